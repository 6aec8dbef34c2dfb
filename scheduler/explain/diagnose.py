"""Pre-solve diagnosis: capacity checks that catch the common impossibilities in seconds.

Each check is one function `check_<what>(ctx) -> list[Finding]` that looks at the scenario
before any optimization and names what certainly (severity `error`) or probably keeps
sessions from being scheduled, with the change that would resolve it:

* a module's qualification held by no trainer; trainers' hours vs. the hours needed per
  qualification within the plans' windows;
* a team's staffing slack vs. the participants who may train only during their shifts;
* rooms by capacity, features and site;
* languages no qualified trainer and no interpreter speaks;
* plans whose window is shorter than their track needs given the gap rules;
* participants with no admissible start at all (calendar + plan window + shift fit + rest);
* participants no cohort can hold (group sizes);
* any other session without a single possible start time (from the candidate starts).

Every suggestion carries structured changes (see `findings.py`); `diagnose(verify=True)`
applies each suggestion of an error finding to a copy of the scenario and runs the
diagnosis again, marking the suggestion `verified` when the finding is gone.
"""

from __future__ import annotations

import bisect
import math
import time as _time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from scheduler.domain import Scenario, build_scenario
from scheduler.explain.findings import (
    Finding,
    Suggestion,
    add_change,
    append_change,
    apply_changes,
    by_importance,
    set_change,
    unique_id,
)
from scheduler.explain.messages import Texts
from scheduler.format import ScenarioInvalid, load_scenario
from scheduler.prepare.cohorts import cohort_sessions, form_cohorts
from scheduler.prepare.shiftfit import rest_ok, shift_fit
from scheduler.prepare.timeline import Timeline, covers, merge_intervals, overlap_minutes

VERIFY_SECONDS = 4.0  # time budget for checking suggestions by re-running the diagnosis


class Outline:
    """The part of the planning problem the diagnosis needs: timeline, cohorts (formed exactly as
    for the solve, so the ids agree), their sessions and the people's availability. Instead of
    every candidate start (`PlanningProblem`), it asks per cohort and module only whether *one*
    start exists, stopping at the first: seconds, not minutes, on large programmes."""

    def __init__(self, scenario: Scenario):
        self.scenario = sc = scenario
        self.timeline = tl = Timeline(scenario)
        self.cohorts, self.unassigned = form_cohorts(scenario, tl)
        self.cohort_by_id = {c.id: c for c in self.cohorts}
        self.sessions = cohort_sessions(scenario, self.cohorts)
        self.by_cohort: dict[str, list[int]] = defaultdict(list)
        for i, s in enumerate(self.sessions):
            self.by_cohort[s.key.cohort].append(i)
        self.rest_minutes = int(round(sc.calendar.daily_rest_hours * 60))
        self.availability = {p.id: tl.availability(p) for p in sc.trainers.values()}
        self.interp_availability = {p.id: tl.availability(p) for p in sc.interpreters.values()}
        self.room_blocked = {r.id: merge_intervals([tl.period(p) for p in r.unavailable]) for r in sc.rooms.values()}
        self._instances = {k: [(x.start, x.end) for x in v] for k, v in tl.shift_instances.items()}
        self._fit: dict = {}
        self._starts: dict = {}

    def member_groups(self, cohort) -> list[tuple]:
        """(team, allow_on_shift, allow_off_shift, members) of a cohort, as the candidates see them
        (a member in several plans gets what all of them allow)."""
        sc, cnt = self.scenario, Counter()
        for pid in cohort.participants:
            plans = [sc.action_plans[p] for p in cohort.plans if pid in sc.action_plans[p].participants]
            cnt[(sc.participants[pid].team, all(p.allow_on_shift for p in plans),
                 all(p.allow_off_shift for p in plans))] += 1
        return [(t, on, off, n) for (t, on, off), n in sorted(cnt.items())]

    def _team_fit(self, team, a: int, b: int):
        key = (team, a, b)
        if key not in self._fit:
            union = self.timeline.shift_union.get(team, [])
            inst = self._instances.get(team, [])
            i = bisect.bisect_right(inst, (a, float("inf"))) - 1
            inside = any(inst[j][0] <= a and b <= inst[j][1] for j in range(max(0, i - 1), i + 1))
            self._fit[key] = (overlap_minutes(union, a, b), inside, rest_ok(union, [(a, b)], self.rest_minutes))
        return self._fit[key]

    def rejections(self, i: int) -> Counter | None:
        """None if session i has at least one start at which it could be held on its own (the rules
        of `problem.py`'s candidates); otherwise why each start time is ruled out, counted."""
        s = self.sessions[i]
        key = (s.key.cohort, s.module_id)
        if key not in self._starts:
            self._starts[key] = self._first_start(s)
        return self._starts[key]

    def _first_start(self, s) -> Counter | None:
        sc, tl = self.scenario, self.timeline
        cohort, module = s.cohort, sc.modules[s.module_id]
        why: Counter = Counter()
        plans = [sc.action_plans[p] for p in cohort.plans]
        earliest, deadline = tl.day_start(max(p.earliest for p in plans)), tl.day_end(min(p.deadline for p in plans))
        qualified = [t for t in sc.trainers.values() if module.qualification in t.qualifications]
        needs_room = module.location != "remote"
        sites = {sc.workplaces[w].site for w in cohort.workplaces}
        rooms = [r.id for r in sc.rooms.values() if r.capacity >= cohort.size and module.room_features <= r.features
                 and (module.location != "workplace" or r.site in sites)]
        total = len(tl.slots)
        if not qualified:
            return Counter(no_qualified_trainer=total)
        if needs_room and not rooms:
            return Counter(no_room=total)
        groups = self.member_groups(cohort)
        teams = sc.teams
        for slot in tl.slots:
            a, b = slot.minute, slot.minute + s.duration
            if a < earliest or b > deadline:
                why["plan_window"] += 1
                continue
            reason, _, _ = shift_fit(groups, self._team_fit, teams, a, b)
            if reason:
                why[reason] += 1
                continue
            trainers = [t.id for t in qualified if covers(self.availability[t.id], a, b)]
            if not trainers:
                why["trainer_unavailable"] += 1
                continue
            if needs_room and all(overlap_minutes(self.room_blocked[r], a, b) for r in rooms):
                why["room_unavailable"] += 1
                continue
            interp = [j for j in sc.interpreters.values()
                      if j.languages & cohort.languages and covers(self.interp_availability[j.id], a, b)]
            if any(not any(lang in sc.trainers[t].languages for t in trainers)
                   and not any(lang in j.languages for j in interp) for lang in cohort.languages):
                why["no_interpreter"] += 1
                continue
            return None
        return why


@dataclass
class Ctx:
    """What every check needs: the scenario (document and domain), its planning problem, texts."""

    data: dict
    sc: Scenario
    problem: Outline
    t: Texts

    def __post_init__(self):
        self.tl = self.problem.timeline
        self.slots_by_day: dict[date, list] = defaultdict(list)
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

    # -- time -----------------------------------------------------------------------------
    def inside_one_shift(self, team, a: int, b: int) -> bool:
        inst = self.instances.get(team, [])
        i = bisect.bisect_right(inst, (a, float("inf"))) - 1
        return any(inst[j][0] <= a and b <= inst[j][1] for j in range(max(0, i - 1), i + 1))

    def fit_reason(self, team, on_ok: bool, off_ok: bool, a: int, b: int, rest: bool = True) -> str | None:
        """Why a member of `team` cannot be in a session [a, b) (None: they can): shift fit and daily rest."""
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


# ----------------------------------------------------------------------------- suggestions

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


def new_room_change(ctx: Ctx, site: str, capacity: int, features) -> dict:
    new = {"id": unique_id(ctx.sc.rooms, f"R-NEW-{site}"), "name": f"New room at {ctx.site_name(site)}",
           "site": site, "capacity": capacity, "features": sorted(features)}
    return append_change(["rooms"], new)


def _plan_path(pid: str, key: str) -> list:
    return ["action_plans", {"id": pid}, key]


def _team_path(team, key: str) -> list:
    return ["workplaces", {"id": team[0]}, "teams", {"id": team[1]}, key]


# ----------------------------------------------------------------------------- checks

def check_trainer_qualifications(ctx: Ctx) -> list[Finding]:
    """A module whose qualification no trainer holds: none of its sessions (nor what follows in
    the track) can be held."""
    sc, t = ctx.sc, ctx.t
    by_q: dict[str, list[str]] = defaultdict(list)
    for m in sc.modules.values():
        if ctx.cohorts_with(m.id) and not any(m.qualification in tr.qualifications for tr in sc.trainers.values()):
            by_q[m.qualification].append(m.id)
    out = []
    for q, modules in sorted(by_q.items()):
        cohorts = [c for m in modules for c in ctx.cohorts_with(m)]
        cohorts = list({c.id: c for c in cohorts}.values())
        sessions = sum(max(ctx.sessions_from(c, m) for m in modules) for c in cohorts)
        plans = ctx.plans_of(cohorts)
        first = min(ctx.window(c)[0] for c in cohorts)
        last = max(ctx.window(c)[1] for c in cohorts)
        dur = min(sc.modules[m].duration_minutes for m in modules)
        need = sum(sc.modules[m].duration_minutes * sc.modules[m].sessions for m in modules for c in cohorts
                   if m in sc.tracks[c.track].modules)
        langs = {lang for c in cohorts for lang in c.languages}
        ranked = sorted(sc.trainers.values(),
                        key=lambda tr: (not (langs <= tr.languages), -ctx.trainer_minutes(tr.id, first, last, dur),
                                        tr.id))
        suggestions = [Suggestion(t("s.add_qualification", trainer=tr.id, qualification=q),
                                  [add_change(["trainers", {"id": tr.id}, "qualifications"], q)])
                       for tr in ranked[:2] if ctx.trainer_minutes(tr.id, first, last, dur) >= need]
        per_week = math.ceil(need / ctx.weeks_in(first, last) / dur) * dur
        suggestions.append(Suggestion(
            t("s.new_trainer", hours=t.num(per_week / 60), qualification=q, weeks=t.weeks(first, last)),
            [new_trainer_change(ctx, q, cohorts, None)]))
        ctx.explained.update(c.id for c in cohorts)
        out.append(Finding(
            "trainer_qualification",
            {"qualifications": [q], "modules": modules, "trainers": [], "cohorts": [c.id for c in cohorts],
             "plans": plans},
            t("trainer_qualification", qualification=q, module=t.names(modules), sessions=sessions,
              cohorts=t.names([c.id for c in cohorts]), plans=t.names(plans)),
            suggestions, "error", sessions))
    return out


def check_language_support(ctx: Ctx) -> list[Finding]:
    """A language a participant needs that no trainer qualified for a module of their track and
    no interpreter speaks: that module cannot be held for their cohort."""
    sc, t = ctx.sc, ctx.t
    groups: dict[str, dict] = {}
    for c in ctx.problem.cohorts:
        for lang in sorted(c.languages):
            if any(lang in i.languages for i in sc.interpreters.values()):
                continue
            blocked = [m for m in sc.tracks[c.track].modules
                       if not any(sc.modules[m].qualification in tr.qualifications and lang in tr.languages
                                  for tr in sc.trainers.values())]
            if not blocked:
                continue
            g = groups.setdefault(lang, {"cohorts": [], "modules": set(), "participants": set(), "sessions": 0})
            g["cohorts"].append(c)
            g["modules"].update(blocked)
            g["participants"].update(p for p in c.participants if sc.participants[p].language == lang)
            g["sessions"] += ctx.sessions_from(c, blocked[0])
    out = []
    for lang, g in sorted(groups.items()):
        cohorts = g["cohorts"]
        plans = ctx.plans_of(cohorts)
        site = ctx.home_site(cohorts)
        ctx.explained.update(c.id for c in cohorts)
        modules = sorted(g["modules"])
        out.append(Finding(
            "language_support",
            {"languages": [lang], "plans": plans, "cohorts": [c.id for c in cohorts], "modules": modules,
             "participants": sorted(g["participants"]), "interpreters": []},
            t("language_support", participants=len(g["participants"]), plans=t.names(plans), language=lang,
              modules=t.names(modules)),
            [Suggestion(t("s.add_interpreter", language=lang, site=ctx.site_name(site)),
                        [new_interpreter_change(ctx, [lang], site)])],
            "error", g["sessions"]))
    return out


def check_rooms(ctx: Ctx) -> list[Finding]:
    """Rooms by site, features and capacity: a cohort of a module that needs a room must have one
    (at one of its workplaces' sites for `workplace` modules) with every feature and enough seats."""
    sc, t = ctx.sc, ctx.t
    groups: dict[tuple, dict] = {}
    for c in ctx.problem.cohorts:
        if c.id in ctx.explained:
            continue
        for mid in sc.tracks[c.track].modules:
            m = sc.modules[mid]
            if m.location == "remote":
                continue
            sites = sorted({sc.workplaces[w].site for w in c.workplaces}) if m.location == "workplace" else None
            here = [r for r in sc.rooms.values() if sites is None or r.site in sites]
            featured = [r for r in here if m.room_features <= r.features]
            if featured and max(r.capacity for r in featured) >= c.size:
                continue
            kind = "room_capacity" if featured else "room_features"
            g = groups.setdefault((kind, mid, tuple(sites or ())), {"cohorts": [], "rooms": featured, "sessions": 0})
            g["cohorts"].append(c)
            g["sessions"] += ctx.sessions_from(c, mid)
            break  # the first module without a room blocks the rest of the track
    out = []
    for (kind, mid, sites), g in sorted(groups.items()):
        m, cohorts = sc.modules[mid], g["cohorts"]
        size = max(c.size for c in cohorts)
        where = t("room.where", sites=t.names(ctx.site_name(s) for s in sites)) if sites else ""
        feats = t("room.with", features=t.names(sorted(m.room_features))) if m.room_features else ""
        site = sites[0] if sites else (max(g["rooms"], key=lambda r: r.capacity).site if g["rooms"]
                                       else ctx.home_site(cohorts))
        suggestions = [Suggestion(t("s.add_room", size=size, features=feats, site=ctx.site_name(site)),
                                  [new_room_change(ctx, site, size, m.room_features)])]
        entities = {"modules": [mid], "cohorts": [c.id for c in cohorts], "plans": ctx.plans_of(cohorts),
                    "sites": list(sites), "rooms": [r.id for r in g["rooms"]], "features": sorted(m.room_features)}
        if kind == "room_capacity":
            largest = max(g["rooms"], key=lambda r: r.capacity)
            track = sc.tracks[cohorts[0].track]
            if track.min_group <= largest.capacity < track.max_group:
                suggestions.append(Suggestion(
                    t("s.smaller_groups", track=track.id, size=largest.capacity, old=track.max_group),
                    [set_change(["tracks", {"id": track.id}, "max_group"], largest.capacity)]))
            message = t("room_capacity", where=where, features=feats, size=size, cohort=t.names([c.id for c in cohorts]),
                        module=mid, largest=largest.id, capacity=largest.capacity)
        else:
            message = t("room_features", where=where, features_list=t.names(sorted(m.room_features)), module=mid,
                        cohort=t.names([c.id for c in cohorts]))
        ctx.explained.update(c.id for c in cohorts)
        out.append(Finding(kind, entities, message, suggestions, "error", g["sessions"]))
    return out


def _off_shift_slots(ctx: Ctx, team, first: date, last: date, duration: int) -> bool:
    """Whether some start time in the window lies wholly outside the team's shifts (rest kept)."""
    union = ctx.tl.shift_union.get(team, [])
    for d in ctx.days:
        if first <= d <= last:
            for s in ctx.slots_by_day[d]:
                a, b = s.minute, s.minute + duration
                if not overlap_minutes(union, a, b) and rest_ok(union, [(a, b)], ctx.problem.rest_minutes):
                    return True
    return False


def _slack_needed(n_team: int, n_class: int, gmin: int, gmax: int) -> int:
    """The staffing slack at which the cohort formation puts at most `slack` of a team's `n_team`
    members into one cohort (cohorts of gmin..gmax out of `n_class` on-shift participants)."""
    for s in range(1, n_team + 1):
        k = max(math.ceil(n_class / gmax), math.ceil(n_team / s))
        while k > 1 and n_class // k < gmin:
            k -= 1
        if math.ceil(n_team / max(1, k)) <= s:
            return s
    return n_team


def check_staffing(ctx: Ctx) -> list[Finding]:
    """A cohort that must meet during its members' shifts but holds more of a team than the team's
    staffing slack (headcount − min_staffing) can never meet."""
    sc, t = ctx.sc, ctx.t
    groups: dict = {}
    for c in ctx.problem.cohorts:
        if c.id in ctx.explained:
            continue
        first, last = ctx.window(c)
        dur = min(sc.modules[m].duration_minutes for m in sc.tracks[c.track].modules)
        for team, on_ok, off_ok, n in ctx.problem.member_groups(c):
            slack = sc.teams[team].staffing_slack
            if not on_ok or n <= slack:
                continue
            if off_ok and _off_shift_slots(ctx, team, first, last, dur):
                continue
            g = groups.setdefault(team, {"cohorts": [], "members": 0, "sessions": 0, "window": (first, last),
                                         "dur": dur})
            g["cohorts"].append(c)
            g["members"] = max(g["members"], n)
            g["sessions"] += len(ctx.problem.by_cohort[c.id])
            break
    out = []
    for team, g in sorted(groups.items()):
        tm, cohorts = sc.teams[team], g["cohorts"]
        plans = ctx.plans_of(cohorts)
        first, last = g["window"]
        suggestions = []
        off_possible = _off_shift_slots(ctx, team, first, last, g["dur"])
        if off_possible:
            changes = [set_change(_plan_path(p, "allow_off_shift"), True) for p in plans]
            suggestions.append(Suggestion(t("s.allow_off_shift", plan=t.names(plans)), changes))
        track = sc.tracks[cohorts[0].track]
        n_team = sum(n for c in ctx.problem.cohorts if c.track == track.id and set(c.plans) & set(plans)
                     for k, n in c.team_counts if k == team)
        n_class = sum(c.size for c in ctx.problem.cohorts if c.track == track.id and set(c.plans) & set(plans))
        need = _slack_needed(n_team, n_class, track.min_group, track.max_group)
        new_min = max(0, tm.headcount - need)
        if new_min < tm.min_staffing:
            suggestions.append(Suggestion(
                t("s.release_staff", workplace=ctx.workplace_name(team[0]), n=tm.min_staffing - new_min,
                  team=tm.id, old=tm.min_staffing, new=new_min),
                [set_change(_team_path(team, "min_staffing"), new_min)]))
        ctx.explained.update(c.id for c in cohorts)
        out.append(Finding(
            "staffing",
            {"teams": [ctx.team_label(team)], "workplaces": [team[0]], "plans": plans,
             "cohorts": [c.id for c in cohorts]},
            t("staffing", team=tm.id, workplace=ctx.workplace_name(team[0]), headcount=tm.headcount,
              min_staffing=tm.min_staffing, slack=max(0, tm.staffing_slack), cohorts=t.names([c.id for c in cohorts]),
              members=g["members"], plans=t.names(plans), no_off="" if off_possible else t("staffing.no_off")),
            suggestions, "error", g["sessions"]))
    return out


def check_admissible_starts(ctx: Ctx) -> list[Finding]:
    """Participants with no admissible start at all: no allowed start time in their plan's window
    at which the shortest session of their track fits their shifts (shift fit) and daily rest."""
    sc, t = ctx.sc, ctx.t
    out = []
    for plan in sc.action_plans.values():
        track = sc.tracks.get(plan.track)
        if track is None or not track.modules:
            continue
        cohorts = [c for c in ctx.problem.cohorts if plan.id in c.plans]
        if cohorts and all(c.id in ctx.explained for c in cohorts):
            continue
        dur = min(sc.modules[m].duration_minutes for m in track.modules)
        teams = Counter(sc.participants[p].team for p in plan.participants)
        slots = [s for d in ctx.days if plan.earliest <= d <= plan.deadline for s in ctx.slots_by_day[d]]
        for team, n in sorted(teams.items()):
            why: Counter = Counter()
            if not slots:
                why["plan_window"] = 1
            ok = False
            for s in slots:
                r = ctx.fit_reason(team, plan.allow_on_shift, plan.allow_off_shift, s.minute, s.minute + dur)
                if r is None:
                    ok = True
                    break
                why[r] += 1
            if ok:
                continue
            reason = why.most_common(1)[0][0]
            mine = [c for c in cohorts if any(k == team for k, _ in c.team_counts)]
            sessions = sum(len(ctx.problem.by_cohort[c.id]) for c in mine)
            suggestions = _admissible_suggestions(ctx, plan, team, dur, slots, reason)
            ctx.explained.update(c.id for c in mine)
            out.append(Finding(
                "no_admissible_start",
                {"plans": [plan.id], "teams": [ctx.team_label(team)], "workplaces": [team[0]],
                 "participants": sorted(p for p in plan.participants if sc.participants[p].team == team),
                 "cohorts": [c.id for c in mine]},
                t("no_admissible_start", participants=n, team=team[1], plans=plan.id, first=t.date(plan.earliest),
                  deadline=t.date(plan.deadline),
                  why=t(f"why.{reason}", rest=t.num(sc.calendar.daily_rest_hours))),
                suggestions, "error", sessions))
    return out


def _admissible_suggestions(ctx: Ctx, plan, team, dur: int, slots, reason: str) -> list[Suggestion]:
    """What would give these participants a start time: the other shift-fit flag, or a start time
    inside their shifts."""
    t, out = ctx.t, []
    if reason == "off_shift_not_allowed" and any(
            ctx.fit_reason(team, plan.allow_on_shift, True, s.minute, s.minute + dur) is None for s in slots):
        out.append(Suggestion(t("s.allow_off_shift", plan=plan.id), [set_change(_plan_path(plan.id, "allow_off_shift"),
                                                                                True)]))
    if reason == "on_shift_not_allowed" and any(
            ctx.fit_reason(team, True, plan.allow_off_shift, s.minute, s.minute + dur) is None for s in slots):
        out.append(Suggestion(t("s.allow_on_shift", plan=plan.id), [set_change(_plan_path(plan.id, "allow_on_shift"),
                                                                               True)]))
    if reason in ("off_shift_not_allowed", "daily_rest") and plan.allow_on_shift:
        hhmm = _start_inside_shifts(ctx, team, dur)
        if hhmm:
            times = sorted({x.strftime("%H:%M") for x in ctx.sc.calendar.start_times} | {hhmm})
            out.append(Suggestion(t("s.add_start_time", time=hhmm, team=team[1]),
                                  [set_change(["calendar", "start_times"], times)]))
    return out


def _start_inside_shifts(ctx: Ctx, team, dur: int) -> str | None:
    """A whole-hour start time an hour into the team's most common shift type, if a session fits."""
    counts = Counter(x.shift_type for x in ctx.tl.shift_instances.get(team, []))
    if not counts:
        return None
    st = ctx.sc.shift_types[counts.most_common(1)[0][0]]
    start = st.start.hour * 60 + st.start.minute + 60
    length = ((st.end.hour * 60 + st.end.minute) - (st.start.hour * 60 + st.start.minute)) % (24 * 60) or 24 * 60
    if 60 + dur > length:
        start -= 60
        if dur > length:
            return None
    start = math.ceil(start / 60) * 60 % (24 * 60)
    return f"{start // 60:02d}:{start % 60:02d}"


def earliest_end(ctx: Ctx, tl: Timeline, cohort, first: date) -> date | None:
    """The earliest local date on which the cohort's track can be complete, given the calendar, the
    module order, the gap rules and the members' shift fit (not daily rest, not resources):
    each session at the first start time that keeps them. None: not within `tl`'s horizon."""
    sc = ctx.sc
    groups = ctx.problem.member_groups(cohort)
    instances = {k: [(x.start, x.end) for x in v] for k, v in tl.shift_instances.items()}
    prev_end, prev_day, prev_module = None, None, None
    slots = [s for s in tl.slots if s.day >= first]
    pos = 0
    for i in ctx.problem.by_cohort[cohort.id]:
        s_ = ctx.problem.sessions[i]
        module = sc.modules[s_.module_id]
        found = None
        while pos < len(slots):
            s = slots[pos]
            a, b = s.minute, s.minute + s_.duration
            if prev_end is not None and a < prev_end:
                pos += 1
                continue
            if prev_module == module.id and (s.day - prev_day).days < module.min_gap_days:
                pos += 1
                continue
            if all(_fits(tl, instances, team, on_ok, off_ok, a, b) for team, on_ok, off_ok, _ in groups):
                found = s
                break
            pos += 1
        if found is None:
            return None
        prev_end, prev_day, prev_module = found.minute + s_.duration, found.day, module.id
    return prev_day


def _fits(tl: Timeline, instances, team, on_ok: bool, off_ok: bool, a: int, b: int) -> bool:
    if not on_ok and overlap_minutes(tl.shift_union.get(team, []), a, b):
        return False
    if not off_ok:
        inst = instances.get(team, [])
        i = bisect.bisect_right(inst, (a, float("inf"))) - 1
        return any(inst[j][0] <= a and b <= inst[j][1] for j in range(max(0, i - 1), i + 1))
    return True


def check_plan_windows(ctx: Ctx) -> list[Finding]:
    """A plan whose window (earliest..deadline) is shorter than its track needs: the sessions in
    order, with each module's minimum gap in days, on the allowed days, cannot end by the deadline."""
    sc, t = ctx.sc, ctx.t
    out = []
    long_tl = None
    for c in ctx.problem.cohorts:
        if c.id in ctx.explained or not ctx.problem.by_cohort[c.id]:
            continue
        first, deadline = ctx.window(c)
        end = earliest_end(ctx, ctx.tl, c, first)
        if end is not None and end <= deadline:
            continue
        beyond = end is None
        if beyond:
            if long_tl is None:
                long_tl = _extended_timeline(ctx)
            end = earliest_end(ctx, long_tl, c, first) if long_tl else None
        track = sc.tracks[c.track]
        gaps = sorted({sc.modules[m].min_gap_days for m in track.modules if sc.modules[m].sessions > 1}) or [0]
        plans = sorted(c.plans)
        values = dict(plans=t.names(plans), first=t.date(first), deadline=t.date(deadline), track=track.id,
                      sessions=len(ctx.problem.by_cohort[c.id]), gaps=t.names(gaps),
                      earliest_end=t.date(end) if end else "–", horizon_end=t.date(sc.horizon_end))
        suggestions = []
        if end is not None:
            late = [p for p in plans if sc.action_plans[p].deadline < end]
            changes = [set_change(_plan_path(p, "deadline"), end.isoformat()) for p in late]
            key = "s.move_deadline"
            if end > sc.horizon_end:
                changes.append(set_change(["horizon", "end"], end.isoformat()))
                key = "s.move_deadline_horizon"
            suggestions.append(Suggestion(t(key, plan=t.names(late), old=t.date(deadline), new=t.date(end)), changes))
        ctx.explained.add(c.id)
        out.append(Finding(
            "plan_window",
            {"plans": plans, "cohorts": [c.id], "tracks": [track.id],
             "dates": [first.isoformat(), deadline.isoformat()] + ([end.isoformat()] if end else [])},
            t("plan_window.never" if beyond and end is None else "plan_window", **values),
            suggestions, "error", len(ctx.problem.by_cohort[c.id])))
    return _merge_same(out)


def _extended_timeline(ctx: Ctx) -> Timeline | None:
    """The scenario's timeline with the horizon a year longer (to say how far a deadline must move)."""
    data = dict(ctx.data)
    data["horizon"] = {"start": ctx.sc.horizon_start.isoformat(),
                       "end": (ctx.sc.horizon_end + timedelta(days=366)).isoformat()}
    try:
        return Timeline(build_scenario(data))
    except (KeyError, ValueError):
        return None


def _merge_same(findings: list[Finding]) -> list[Finding]:
    """One finding per plan set (cohorts of one plan share their window)."""
    merged: dict[tuple, Finding] = {}
    for f in findings:
        key = (f.rule, tuple(f.entities.get("plans", [])))
        if key in merged:
            m = merged[key]
            m.entities["cohorts"] = sorted(set(m.entities["cohorts"]) | set(f.entities["cohorts"]))
            m.sessions += f.sessions
            if f.suggestions and (not m.suggestions or _later(f, m)):
                m.suggestions, m.message = f.suggestions, f.message
        else:
            merged[key] = f
    return list(merged.values())


def _later(a: Finding, b: Finding) -> bool:
    return (a.entities.get("dates") or [""])[-1] > (b.entities.get("dates") or [""])[-1]


def check_trainer_capacity(ctx: Ctx) -> list[Finding]:
    """Per qualification: the session hours the plans need within their windows against the most
    the qualified trainers can teach then (availability, start times, daily and weekly limits).
    Checked for every window a cohort has and for their union; the worst shortfall is reported."""
    sc, t = ctx.sc, ctx.t
    by_q: dict[str, list[tuple]] = defaultdict(list)  # qualification -> (cohort, minutes, duration)
    for c in ctx.problem.cohorts:
        if c.id in ctx.explained:
            continue
        per_q: Counter = Counter()
        dur_q: dict[str, int] = {}
        for i in ctx.problem.by_cohort[c.id]:
            s = ctx.problem.sessions[i]
            q = sc.modules[s.module_id].qualification
            per_q[q] += s.duration
            dur_q[q] = min(dur_q.get(q, s.duration), s.duration)
        for q, minutes in per_q.items():
            by_q[q].append((c, minutes, dur_q[q]))
    out = []
    for q, items in sorted(by_q.items()):
        trainers = sorted(tr.id for tr in sc.trainers.values() if q in tr.qualifications)
        if not trainers:
            continue
        dur = min(d for _, _, d in items)
        windows = {ctx.window(c) for c, _, _ in items}
        windows.add((min(w[0] for w in windows), max(w[1] for w in windows)))
        worst = None
        for first, last in sorted(windows):
            need = sum(m for c, m, _ in items if first <= ctx.window(c)[0] and ctx.window(c)[1] <= last)
            have = sum(ctx.trainer_minutes(tr, first, last, dur) for tr in trainers)
            if need > have and (worst is None or need - have > worst[0]):
                worst = (need - have, first, last, need, have)
        if worst is None:
            continue
        short, first, last, need, have = worst
        cohorts = [c for c, _, _ in items if first <= ctx.window(c)[0] and ctx.window(c)[1] <= last]
        plans = ctx.plans_of(cohorts)
        modules = sorted({m for c in cohorts for m in sc.tracks[c.track].modules if sc.modules[m].qualification == q})
        weeks = ctx.weeks_in(first, last)
        per_week = (math.ceil(short / weeks / dur) + 1) * dur  # one session a week to spare
        suggestion = Suggestion(
            t("s.new_trainer", hours=t.num(per_week / 60), qualification=q, weeks=t.weeks(first, last)),
            [new_trainer_change(ctx, q, cohorts, per_week)])
        out.append(Finding(
            "trainer_capacity",
            {"qualifications": [q], "trainers": trainers, "modules": modules, "plans": plans,
             "cohorts": [c.id for c in cohorts], "weeks": _week_list(first, last)},
            t("trainer_capacity", qualification=q, trainers=t.names(trainers), available=t.num(have / 60),
              first=t.date(first), last=t.date(last), weeks=t.weeks(first, last), plans=t.names(plans),
              needed=t.num(need / 60), modules=t.names(modules), short=t.num(short / 60)),
            [suggestion], "error", math.ceil(short / dur)))
    return out


def check_interpreter_capacity(ctx: Ctx) -> list[Finding]:
    """Per language: the session hours that need an interpreter (no trainer qualified for the module
    speaks the language) against the most the interpreters speaking it can attend in those windows."""
    sc, t = ctx.sc, ctx.t
    need: dict[str, list] = defaultdict(list)
    for c in ctx.problem.cohorts:
        if c.id in ctx.explained:
            continue
        for lang in sorted(c.languages):
            minutes = sum(ctx.problem.sessions[i].duration for i in ctx.problem.by_cohort[c.id]
                          if not any(lang in tr.languages and sc.modules[ctx.problem.sessions[i].module_id].qualification
                                     in tr.qualifications for tr in sc.trainers.values()))
            if minutes:
                need[lang].append((c, minutes))
    out = []
    for lang, items in sorted(need.items()):
        speakers = sorted(j.id for j in sc.interpreters.values() if lang in j.languages)
        if not speakers:
            continue  # check_language_support says so
        first = min(ctx.window(c)[0] for c, _ in items)
        last = max(ctx.window(c)[1] for c, _ in items)
        dur = min(ctx.problem.sessions[i].duration for c, _ in items for i in ctx.problem.by_cohort[c.id])
        needed = sum(m for _, m in items)
        have = sum(ctx.person_minutes(ctx.problem.interp_availability[j], first, last, dur) for j in speakers)
        if needed <= have:
            continue
        cohorts = [c for c, _ in items]
        plans = ctx.plans_of(cohorts)
        site = ctx.home_site(cohorts)
        out.append(Finding(
            "interpreter_capacity",
            {"languages": [lang], "interpreters": speakers, "plans": plans, "cohorts": [c.id for c in cohorts],
             "weeks": _week_list(first, last)},
            t("interpreter_capacity", language=lang, interpreters=t.names(speakers), available=t.num(have / 60),
              first=t.date(first), last=t.date(last), needed=t.num(needed / 60), plans=t.names(plans),
              short=t.num((needed - have) / 60)),
            [Suggestion(t("s.add_interpreter", language=lang, site=ctx.site_name(site)),
                        [new_interpreter_change(ctx, [lang], site)])],
            "error", math.ceil((needed - have) / dur)))
    return out


def check_staffing_load(ctx: Ctx) -> list[Finding]:
    """Per team: the participant-minutes its members must spend in sessions during their shifts
    (plans that forbid off-shift training) against the staffing slack times the session minutes
    that fit inside the team's shifts within those windows."""
    sc, t = ctx.sc, ctx.t
    load: Counter = Counter()
    info: dict = {}
    for c in ctx.problem.cohorts:
        if c.id in ctx.explained:
            continue
        minutes = sum(ctx.problem.sessions[i].duration for i in ctx.problem.by_cohort[c.id])
        dur = min(ctx.problem.sessions[i].duration for i in ctx.problem.by_cohort[c.id])
        for team, on_ok, off_ok, n in ctx.problem.member_groups(c):
            if on_ok and not off_ok:
                load[team] += n * minutes
                first, last = ctx.window(c)
                f0, l0, d0, cs = info.get(team, (first, last, dur, []))
                info[team] = (min(f0, first), max(l0, last), min(d0, dur), cs + [c])
    out = []
    for team, minutes in sorted(load.items()):
        tm = sc.teams[team]
        first, last, dur, cohorts = info[team]
        per_person = 0
        for d in ctx.days:
            if first <= d <= last:
                free_at = None
                for s in ctx.slots_by_day[d]:
                    if (free_at is None or s.minute >= free_at) and ctx.inside_one_shift(team, s.minute, s.minute + dur):
                        per_person += dur
                        free_at = s.minute + dur
        capacity = max(0, tm.staffing_slack) * per_person
        if minutes <= capacity or not per_person:
            continue
        plans = ctx.plans_of(cohorts)
        slack = math.ceil(minutes / per_person)
        new_min = max(0, tm.headcount - slack)
        suggestions = []
        if new_min < tm.min_staffing:
            suggestions.append(Suggestion(
                t("s.release_staff", workplace=ctx.workplace_name(team[0]), n=tm.min_staffing - new_min, team=tm.id,
                  old=tm.min_staffing, new=new_min),
                [set_change(_team_path(team, "min_staffing"), new_min)]))
        out.append(Finding(
            "staffing_capacity",
            {"teams": [ctx.team_label(team)], "workplaces": [team[0]], "plans": plans,
             "cohorts": [c.id for c in cohorts], "weeks": _week_list(first, last)},
            t("staffing_capacity", team=tm.id, workplace=ctx.workplace_name(team[0]), needed=t.num(minutes / 60),
              slack=max(0, tm.staffing_slack), available=t.num(capacity / 60), first=t.date(first),
              last=t.date(last), plans=t.names(plans)),
            suggestions, "error", math.ceil((minutes - capacity) / dur)))
    return out


def _week_list(first: date, last: date) -> list[str]:
    out, d = [], first - timedelta(days=first.weekday())
    while d <= last:
        y, w, _ = d.isocalendar()
        out.append(f"{y}-W{w:02d}")
        d += timedelta(days=7)
    return out


def check_cohort_sizes(ctx: Ctx) -> list[Finding]:
    """Participants left out of every cohort because the track's group sizes cannot hold them."""
    sc, t = ctx.sc, ctx.t
    by_plan: dict[str, list[str]] = defaultdict(list)
    for u in ctx.problem.unassigned:
        by_plan[u.action_plan].append(u.participant)
    out = []
    for pid, people in sorted(by_plan.items()):
        plan = sc.action_plans[pid]
        track = sc.tracks[plan.track]
        cohorts = [c for c in ctx.problem.cohorts if pid in c.plans]
        k = max(1, len(cohorts))
        total = sum(c.size for c in cohorts) + len(people)
        new_max = max(track.max_group + 1, math.ceil(total / k))
        out.append(Finding(
            "cohort_size",
            {"plans": [pid], "tracks": [track.id], "participants": sorted(people)},
            t("cohort_size", participants=len(people), plans=pid, track=track.id, min_group=track.min_group,
              max_group=track.max_group),
            [Suggestion(t("s.smaller_groups", track=track.id, size=new_max, old=track.max_group),
                        [set_change(["tracks", {"id": track.id}, "max_group"], new_max)])],
            "error", 0))
    return out


_REJECT_RULE = {
    "plan_window": "plan_window", "on_shift_not_allowed": "shift_fit", "off_shift_not_allowed": "shift_fit",
    "staffing": "staffing", "daily_rest": "daily_rest", "trainer_unavailable": "trainer_availability",
    "room_unavailable": "room_availability", "no_interpreter": "interpreter_availability",
}


def check_sessions_without_start(ctx: Ctx) -> list[Finding]:
    """Any other cohort session with no possible start time at all (from the candidate starts),
    with the count of start times each reason rules out."""
    sc, t = ctx.sc, ctx.t
    out = []
    total = len(ctx.tl.slots)
    for c in ctx.problem.cohorts:
        if c.id in ctx.explained:
            continue
        idxs = ctx.problem.by_cohort[c.id]
        first_bad = next((i for i in idxs if ctx.problem.rejections(i) is not None), None)
        if first_bad is None:
            continue
        rejected = ctx.problem.rejections(first_bad)
        s = ctx.problem.sessions[first_bad]
        module = sc.modules[s.module_id]
        qualified = sorted(tr.id for tr in sc.trainers.values() if module.qualification in tr.qualifications)
        counted = [(k, n) for k, n in rejected.most_common() if k in _REJECT_RULE]
        if not counted:
            continue
        parts = [t(f"reject.{k}", n=n, trainers=t.names(qualified), languages=t.names(sorted(c.languages)))
                 for k, n in counted]
        why = t("reject.of", total=total) + "; ".join(parts) if total else parts[0]
        main = counted[0][0]
        blocked = idxs[idxs.index(first_bad):]
        modules = sorted({ctx.problem.sessions[i].module_id for i in blocked})
        first, last = ctx.window(c)
        suggestions = []
        if main == "trainer_unavailable":
            suggestions.append(Suggestion(
                t("s.new_trainer", hours=t.num(module.duration_minutes * module.sessions / 60),
                  qualification=module.qualification, weeks=t.weeks(first, last)),
                [new_trainer_change(ctx, module.qualification, [c], None)]))
        elif main == "no_interpreter":
            site = ctx.home_site([c])
            suggestions.append(Suggestion(
                t("s.add_interpreter", language=t.names(sorted(c.languages)), site=ctx.site_name(site)),
                [new_interpreter_change(ctx, c.languages, site)]))
        elif main == "room_unavailable":
            sites = sorted({sc.workplaces[w].site for w in c.workplaces})
            feats = t("room.with", features=t.names(sorted(module.room_features))) if module.room_features else ""
            suggestions.append(Suggestion(t("s.add_room", size=c.size, features=feats, site=ctx.site_name(sites[0])),
                                          [new_room_change(ctx, sites[0], c.size, module.room_features)]))
        elif main == "off_shift_not_allowed":
            plans = [p for p in c.plans if not sc.action_plans[p].allow_off_shift]
            suggestions.append(Suggestion(t("s.allow_off_shift", plan=t.names(plans)),
                                          [set_change(_plan_path(p, "allow_off_shift"), True) for p in plans]))
        elif main == "on_shift_not_allowed":
            plans = [p for p in c.plans if not sc.action_plans[p].allow_on_shift]
            suggestions.append(Suggestion(t("s.allow_on_shift", plan=t.names(plans)),
                                          [set_change(_plan_path(p, "allow_on_shift"), True) for p in plans]))
        ctx.explained.add(c.id)
        out.append(Finding(
            _REJECT_RULE[main],
            {"cohorts": [c.id], "plans": sorted(c.plans), "modules": modules, "trainers": qualified,
             "reasons": dict(counted)},
            t("no_start_time", sessions=len(blocked), cohort=c.id, modules=t.names(modules), why=why),
            suggestions, "error", len(blocked)))
    return out


CHECKS = [check_trainer_qualifications, check_language_support, check_rooms, check_staffing,
          check_admissible_starts, check_plan_windows, check_cohort_sizes, check_sessions_without_start,
          check_trainer_capacity, check_interpreter_capacity, check_staffing_load]


# ----------------------------------------------------------------------------- entry point

def diagnose(data: dict, lang: str = "sv", *, problem: Outline | None = None,
             verify: bool = True, verify_seconds: float = VERIFY_SECONDS) -> list[Finding]:
    """Every pre-solve finding of a scenario (a normalized `modulplan/scenario-1` dict), most
    important first. With `verify`, each suggestion of an error finding is applied to a copy and
    the diagnosis run again (within `verify_seconds`); suggestions that resolve their finding
    are marked verified and listed first."""
    sc = build_scenario(data)
    problem = problem or Outline(sc)
    ctx = Ctx(data, sc, problem, Texts(lang))
    findings: list[Finding] = []
    for check in CHECKS:
        findings += check(ctx)
    findings = by_importance(findings)
    if verify:
        _verify(data, findings, lang, _time.monotonic() + verify_seconds)
    return findings


def _verify(data: dict, findings: list[Finding], lang: str, deadline: float) -> None:
    """Apply each suggestion to a copy and diagnose again: verified when no error finding of the same
    rule, nor any error about the same plans, remains. Verified suggestions go first."""
    for f in findings:
        if f.severity != "error":
            continue
        for s in f.suggestions:
            if _time.monotonic() > deadline:
                return
            s.verified = _resolves(data, f, s)
        f.suggestions.sort(key=lambda s: s.verified is False)


def _resolves(data: dict, finding: Finding, suggestion: Suggestion) -> bool:
    try:
        patched = load_scenario(apply_changes(data, suggestion.changes))
    except (ScenarioInvalid, ValueError, KeyError):
        return False
    again = diagnose(patched, verify=False)
    plans = set(finding.entities.get("plans", []))
    return not any(g.severity == "error" and (g.rule == finding.rule or plans & set(g.entities.get("plans", [])))
                   for g in again)
