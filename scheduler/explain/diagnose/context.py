"""What every check of the diagnosis reads (`Ctx`: scenario, outline, texts, calendar days)
and the changes its suggestions propose: a new trainer, interpreter or room, a plan's or a
team's field set, a team's blocked period lifted."""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from scheduler.domain import BlockedPeriod, Scenario, TeamKey
from scheduler.explain.diagnose.outline import Outline
from scheduler.explain.findings import append_change, unblock_team_change, unique_id
from scheduler.explain.messages import Texts
from scheduler.prepare.shiftfit import rest_ok
from scheduler.prepare.timeline import Slot, covers, overlap_minutes


@dataclass
class Ctx:
    """What every check needs: the scenario (document and domain), its planning problem, texts."""

    data: dict
    sc: Scenario
    problem: Outline
    t: Texts

    def __post_init__(self) -> None:
        self.tl = self.problem.timeline
        self.slots_by_day: dict[date, list[Slot]] = defaultdict(list)
        for s in self.tl.slots:
            self.slots_by_day[s.day].append(s)
        self.days = sorted(self.slots_by_day)
        self.instances = {k: [(x.start, x.end) for x in v] for k, v in self.tl.shift_instances.items()}
        self.explained: set[str] = set()  # cohorts an error finding already accounts for
        self.raw = {k: {x["id"]: x for x in self.data.get(k) or []} for k in ("trainers", "interpreters", "rooms")}

    # -- cohorts ------------------------------------------------------------------------
    def window(self, cohort) -> tuple[date, date]:
        plans = [self.sc.action_plans[p] for p in cohort.plans]
        return max(p.earliest for p in plans), min(p.deadline for p in plans)

    def sessions_from(self, cohort, module_id: str) -> int:
        """How many sessions of a cohort a blocked module keeps unscheduled (it and all after it)."""
        idxs = self.problem.by_cohort[cohort.id]
        first = next((n for n, i in enumerate(idxs) if self.problem.sessions[i].module_id == module_id), len(idxs))
        return len(idxs) - first

    def cohorts_with(self, module_id: str) -> list:
        return [c for c in self.problem.cohorts if module_id in self.sc.tracks[c.track].modules]

    def team_label(self, key) -> str:
        return f"{key[0]}/{key[1]}"

    def workplace_name(self, wid: str) -> str:
        w = self.sc.workplaces.get(wid)
        return w.name if w else wid

    def site_name(self, sid: str | None) -> str:
        s = self.sc.sites.get(sid) if sid else None
        return s.name if s else str(sid)

    def plans_of(self, cohorts) -> list[str]:
        return sorted({p for c in cohorts for p in c.plans})

    def blocked_in(self, team, first: date, last: date) -> list[tuple[int, BlockedPeriod]]:
        """A team's blocked periods overlapping the days first..last, each with its place in the
        team's ``blocked`` list."""
        tm = self.sc.teams.get(team)
        a, b = self.tl.day_start(first), self.tl.day_end(last)
        return [(n, p) for n, p in enumerate(tm.blocked if tm else ()) if overlap_minutes([self.tl.period(p)], a, b)]

    def blocked_label(self, periods: list[tuple[int, BlockedPeriod]]) -> str:
        """Blocked periods as a sentence names them: dates (times) and reasons."""
        return self.t.names([self.t.period(p.start, p.end, p.reason) for _, p in periods])

    # -- time -----------------------------------------------------------------------------
    def inside_one_shift(self, team, a: int, b: int) -> bool:
        inst = self.instances.get(team, [])
        i = bisect.bisect_right(inst, (a, float("inf"))) - 1
        return any(inst[j][0] <= a and b <= inst[j][1] for j in range(max(0, i - 1), i + 1))

    def fit_reason(self, team, on_ok: bool, off_ok: bool, a: int, b: int, rest: bool = True,
                   blocked: bool = True) -> str | None:
        """Why a member of `team` cannot be in a session [a, b) (None: they can): the team's blocked
        periods (unless `blocked` is False: what if they were lifted), shift fit and daily rest."""
        if blocked and overlap_minutes(self.tl.team_blocked.get(team, []), a, b):
            return "team_blocked"
        on = overlap_minutes(self.tl.shift_union.get(team, []), a, b)
        if on and not on_ok:
            return "on_shift_not_allowed"
        if not off_ok and not self.inside_one_shift(team, a, b):
            return "off_shift_not_allowed"
        if rest and not rest_ok(self.tl.shift_union.get(team, []), [(a, b)], self.problem.rest_minutes):
            return "daily_rest"
        return None

    def trainer_minutes(self, trainer_id: str, first: date, last: date, duration: int) -> int:
        """The most session minutes a trainer can teach between two dates: per day the start times
        at which they are available for a whole session, packed without overlap, capped by their
        sessions per day; per ISO week capped by their weekly minutes."""
        tr = self.sc.trainers[trainer_id]
        avail = self.problem.availability[trainer_id]
        per_week: Counter = Counter()
        for d in self.days:
            if d < first or d > last:
                continue
            count, free_at = 0, None
            for s in self.slots_by_day[d]:
                if free_at is not None and s.minute < free_at:
                    continue
                if covers(avail, s.minute, s.minute + duration):
                    count += 1
                    free_at = s.minute + duration
            if tr.max_sessions_per_day is not None:
                count = min(count, tr.max_sessions_per_day)
            per_week[d.isocalendar()[:2]] += count * duration
        cap = tr.max_minutes_per_week
        return sum(min(m, cap) if cap is not None else m for m in per_week.values())

    def person_minutes(self, avail, first: date, last: date, duration: int) -> int:
        """Session minutes a person with availability `avail` can attend between two dates (start
        times packed without overlap, no limits)."""
        total = 0
        for d in self.days:
            if first <= d <= last:
                free_at = None
                for s in self.slots_by_day[d]:
                    if (free_at is None or s.minute >= free_at) and covers(avail, s.minute, s.minute + duration):
                        total += duration
                        free_at = s.minute + duration
        return total

    def weeks_in(self, first: date, last: date) -> int:
        return len({d.isocalendar()[:2] for d in self.days if first <= d <= last}) or 1

    def home_site(self, cohorts) -> str | None:
        for c in cohorts:
            for w in c.workplaces:
                if w in self.sc.workplaces:
                    return self.sc.workplaces[w].site
        return next(iter(self.sc.sites), None)


def new_trainer_change(ctx: Ctx, qualification: str, cohorts, minutes_per_week: int | None) -> dict:
    """A new trainer holding `qualification`, speaking the cohorts' languages, always available."""
    qualified = [t for t in ctx.sc.trainers.values() if qualification in t.qualifications] or list(
        ctx.sc.trainers.values())
    cost = round(sum(t.cost_per_hour for t in qualified) / len(qualified)) if qualified else 0
    langs = sorted({lang for c in cohorts for lang in c.languages} | {"sv"})
    new = {"id": unique_id(ctx.sc.trainers, f"T-NEW-{qualification}"), "name": f"New trainer {qualification}",
           "qualifications": [qualification], "languages": langs, "home_site": ctx.home_site(cohorts),
           "cost_per_hour": cost}
    if minutes_per_week:
        new["max_minutes_per_week"] = minutes_per_week
    return append_change(["trainers"], new)


def new_interpreter_change(ctx: Ctx, languages, site: str | None, like: str | None = None) -> dict:
    base = dict(ctx.raw["interpreters"].get(like, {})) if like else {}
    new = {"id": unique_id(ctx.sc.interpreters, f"I-NEW-{'-'.join(sorted(languages))}"),
           "name": f"New interpreter {', '.join(sorted(languages))}", "languages": sorted(languages),
           "home_site": base.get("home_site", site)}
    for key in ("available", "unavailable"):
        if base.get(key) is not None:
            new[key] = base[key]
    return append_change(["interpreters"], new)


def new_room_change(ctx: Ctx, site: str | None, capacity: int, features: frozenset[str]) -> dict:
    """A new room at `site` with `capacity` seats and `features`."""
    new = {"id": unique_id(ctx.sc.rooms, f"R-NEW-{site}"), "name": f"New room at {ctx.site_name(site)}",
           "site": site, "capacity": capacity, "features": sorted(features)}
    return append_change(["rooms"], new)


def unblock_change(ctx: Ctx, team: TeamKey, n: int) -> dict:
    """The what-if change that lifts blocked period `n` of `team`: its start and end as the
    scenario document writes them."""
    workplace = next(w for w in ctx.data["workplaces"] if w["id"] == team[0])
    period = next(t for t in workplace["teams"] if t["id"] == team[1])["blocked"][n]
    start, end = (period, period) if isinstance(period, str) else (period["start"], period["end"])
    return unblock_team_change(team[0], team[1], start, end)


def plan_path(pid: str, key: str) -> list:
    """The path of field `key` of action plan `pid` in the scenario document."""
    return ["action_plans", {"id": pid}, key]


def team_path(team: TeamKey, key: str) -> list:
    """The path of field `key` of a team in the scenario document."""
    return ["workplaces", {"id": team[0]}, "teams", {"id": team[1]}, key]


def week_list(first: date, last: date) -> list[str]:
    """The ISO weeks (`2025-W07`) from the week of `first` to that of `last`."""
    out, d = [], first - timedelta(days=first.weekday())
    while d <= last:
        y, w, _ = d.isocalendar()
        out.append(f"{y}-W{w:02d}")
        d += timedelta(days=7)
    return out
