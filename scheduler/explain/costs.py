"""Why the plan costs what it costs: the objective broken down by term, and each term by
action plan, workplace, team, trainer and week, the largest contributors first.

Computed from the schedule document and the scenario (so any valid schedule can be
explained), with the spec's definitions (the same as `result.exact_costs` and the
validator's `compute_kpis`):

* backfill / overtime: per participant and session, the minutes inside / outside the
  participant's own shifts at `backfill_per_hour` / `overtime_per_hour`; they belong to
  the participant's plan, workplace and team, the session's trainer and week;
* trainer cost: per session, shared among the cohort's participants' plans, workplaces and
  teams in proportion to their numbers; trainer and week of the session;
* travel: each leg of a trainer's or interpreter's day (home → first site → … → home)
  belongs to the session it leads to (the way home to the day's last session);
* lateness: per cohort, at the week and trainer of its last session;
* trainer change: each trainer beyond the first a cohort meets in a module, at the week of
  their first session with it;
* unscheduled sessions and unassigned participants: at the cohort's / participant's plans,
  no trainer and no week.

Every share is an exact fraction; shares are rounded to 1/10 000 by the largest-remainder
method, so the shares of a term sum exactly to the term, and the terms exactly to the
objective.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from scheduler.domain import OBJECTIVE_TERMS, ActionPlan, build_scenario
from scheduler.explain.messages import Texts
from scheduler.prepare.timeline import Timeline, overlap_minutes

DIMENSIONS = ("action_plan", "workplace", "team", "trainer", "interpreter", "week")
UNITS = 10_000  # amounts are reported in 1/10 000 currency units, exactly
NONE_KEY = "-"  # a contribution without a trainer / week (e.g. an unscheduled session)


def _frac(x) -> Fraction:
    return Fraction(str(x)) if isinstance(x, float) else Fraction(x)


class _Ledger:
    """Contributions: (term, amount, {dimension: key}) with exact amounts."""

    def __init__(self) -> None:
        self.items: list[tuple[str, Fraction, dict[str, str]]] = []

    def add(self, term: str, amount: Fraction, **keys) -> None:
        if amount:
            self.items.append((term, amount, keys))

    def split(self, term: str, amount: Fraction, members: list[tuple[str, str, str]], **keys) -> None:
        """`amount` shared among members (plan, workplace, team) in proportion to their number."""
        if not amount:
            return
        if not members:
            self.add(term, amount, action_plan=NONE_KEY, workplace=NONE_KEY, team=NONE_KEY, **keys)
            return
        counts: dict[tuple, int] = defaultdict(int)
        for m in members:
            counts[m] += 1
        for (plan, wp, team), n in sorted(counts.items()):
            self.add(term, amount * n / len(members), action_plan=plan, workplace=wp, team=team, **keys)


def _round_shares(shares: dict[str, Fraction], total_units: int) -> dict[str, int]:
    """Shares in whole UNITS summing exactly to `total_units` (largest remainder)."""
    scaled = {k: v * UNITS for k, v in shares.items()}
    floors = {k: int(v // 1) for k, v in scaled.items()}
    rest = total_units - sum(floors.values())
    order = sorted(scaled, key=lambda k: (-(scaled[k] - floors[k]), k))
    if rest >= 0:
        for k in order[:rest]:
            floors[k] += 1
    else:
        for k in sorted(scaled, key=lambda k: (scaled[k] - floors[k], k))[: -rest]:
            floors[k] -= 1
    return floors


def _amount(units: int) -> float | int:
    d = Decimal(units) / UNITS
    return int(d) if d == d.to_integral_value() else float(d)


def cost_breakdown(data: dict, schedule: dict, lang: str = "sv", top: int = 10) -> dict:
    """The schedule's objective by term and each term by action plan, workplace, team, trainer,
    interpreter and week (largest first), with a short text in `lang`."""
    sc = build_scenario(data)
    tl = Timeline(sc)
    w = {k: _frac(v) for k, v in sc.weights.items()}
    ledger = _Ledger()
    track_plans: dict[str, list[ActionPlan]] = defaultdict(list)
    for p in sc.action_plans.values():
        track_plans[p.track].append(p)

    cohorts = {c["id"]: c for c in schedule.get("cohorts") or []}

    def plans_of_track(track: str | None) -> list[ActionPlan]:
        """The plans of a track (none for a cohort without one)."""
        return track_plans[track] if track is not None else []

    def member_keys(pid: str, track: str | None) -> tuple[str, str, str]:
        plan = next((p for p in plans_of_track(track) if pid in p.participants), None)
        part = sc.participants.get(pid)
        team = f"{part.team[0]}/{part.team[1]}" if part else NONE_KEY
        return (plan.id if plan else NONE_KEY, plan.workplace if plan else NONE_KEY, team)

    def members_of(cid: str) -> list[tuple[str, str, str]]:
        c = cohorts.get(cid) or {}
        return [member_keys(pid, c.get("track")) for pid in c.get("participants", [])]

    epoch = tl.clock.epoch

    def minute(iso: str) -> int:
        return int((datetime.fromisoformat(iso).astimezone(UTC) - epoch).total_seconds() // 60)

    sessions = []
    for s in schedule.get("sessions") or []:
        a, b = minute(s["start"]), minute(s["end"])
        local = tl.clock.local(a).date()
        sessions.append((s, a, b, local))
    sessions.sort(key=lambda x: (x[1], x[0]["id"]))

    def week(d: date) -> str:
        y, wk, _ = d.isocalendar()
        return f"{y}-W{wk:02d}"

    # backfill, overtime, trainer cost
    for s, a, b, day in sessions:
        c = cohorts.get(s["cohort"]) or {}
        dur = b - a
        for pid in c.get("participants", []):
            part = sc.participants.get(pid)
            inside = overlap_minutes(tl.shift_union.get(part.team, []), a, b) if part else 0
            plan, wp, team = member_keys(pid, c.get("track"))
            keys = dict(action_plan=plan, workplace=wp, team=team, trainer=s["trainer"], interpreter=NONE_KEY,
                        week=week(day))
            ledger.add("backfill_per_hour", Fraction(inside, 60) * w["backfill_per_hour"], **keys)
            ledger.add("overtime_per_hour", Fraction(dur - inside, 60) * w["overtime_per_hour"], **keys)
        tr = sc.trainers.get(s["trainer"])
        if tr is not None:
            ledger.split("trainer_cost", _frac(tr.cost_per_hour) * Fraction(dur, 60), members_of(s["cohort"]),
                         trainer=s["trainer"], interpreter=NONE_KEY, week=week(day))

    # travel: per person and local date, each leg belongs to the session it leads to
    visits: dict[tuple, list] = defaultdict(list)
    for s, a, _end, day in sessions:
        room_site = sc.rooms[s["room"]].site if s.get("room") in sc.rooms else None
        visits["trainer", s["trainer"], day].append((a, s, room_site))
        for j in s.get("interpreters") or []:
            visits["interpreter", j, day].append((a, s, room_site))
    for (kind, pid, day), items in sorted(visits.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2])):
        person = (sc.trainers if kind == "trainer" else sc.interpreters).get(pid)
        if person is None:
            continue
        home = person.home_site
        items.sort(key=lambda x: x[0])
        here = home
        legs = []
        for _, s, site in items:
            site = site or home
            legs.append((sc.travel_minutes(here, site), s))
            here = site
        legs.append((sc.travel_minutes(here, home), items[-1][1]))
        for minutes, s in legs:
            keys = dict(trainer=pid if kind == "trainer" else NONE_KEY,
                        interpreter=pid if kind == "interpreter" else NONE_KEY, week=week(day))
            ledger.split("travel_per_minute", minutes * w["travel_per_minute"], members_of(s["cohort"]), **keys)

    # lateness and trainer changes, per cohort
    by_cohort: dict[str, list] = defaultdict(list)
    for item in sessions:
        by_cohort[item[0]["cohort"]].append(item)
    for cid, items in sorted(by_cohort.items()):
        c = cohorts.get(cid) or {}
        members = set(c.get("participants", []))
        plans = {p.id for p in plans_of_track(c.get("track")) if members & set(p.participants)}
        if plans:
            target = min(sc.action_plans[p].target for p in plans)
            last = max(items, key=lambda x: (x[3], x[1]))
            late = max(0, (last[3] - target).days)
            ledger.split("late_per_day", late * w["late_per_day"], members_of(cid), trainer=last[0]["trainer"],
                         interpreter=NONE_KEY, week=week(last[3]))
        seen: dict[str, list] = defaultdict(list)
        for s, _start, _end, day in items:
            met = seen[s["module"]]
            if s["trainer"] not in met:
                if met:
                    ledger.split("trainer_change", w["trainer_change"], members_of(cid), trainer=s["trainer"],
                                 interpreter=NONE_KEY, week=week(day))
                met.append(s["trainer"])

    # unscheduled sessions and unassigned participants
    for u in schedule.get("unscheduled") or []:
        ledger.split("unscheduled_session", w["unscheduled_session"], members_of(u["cohort"]), trainer=NONE_KEY,
                     interpreter=NONE_KEY, week=NONE_KEY)
    for u in schedule.get("unassigned_participants") or []:
        left_plan = sc.action_plans.get(u["action_plan"])
        part = sc.participants.get(u["participant"])
        ledger.add("unassigned_participant", w["unassigned_participant"],
                   action_plan=u["action_plan"], workplace=left_plan.workplace if left_plan else NONE_KEY,
                   team=f"{part.team[0]}/{part.team[1]}" if part else NONE_KEY, trainer=NONE_KEY,
                   interpreter=NONE_KEY, week=NONE_KEY)
    # terms the scenario alone cannot recompute (re-planning's move_session) are taken as stated
    stated = (schedule.get("kpis") or {}).get("objective_breakdown") or {}
    for term, amount in sorted(stated.items()):
        if term not in OBJECTIVE_TERMS and isinstance(amount, (int, float)):
            ledger.add(term, _frac(amount), action_plan=NONE_KEY, workplace=NONE_KEY, team=NONE_KEY,
                       trainer=NONE_KEY, interpreter=NONE_KEY, week=NONE_KEY)
    return _report(ledger, schedule, Texts(lang), top)


def _report(ledger: _Ledger, schedule: dict, t: Texts, top: int) -> dict:
    names = list(OBJECTIVE_TERMS) + sorted({term for term, _, _ in ledger.items} - set(OBJECTIVE_TERMS))
    exact: dict[str, Fraction] = {k: Fraction(0) for k in names}
    cells: dict[str, dict[str, dict[str, Fraction]]] = {k: {d: defaultdict(Fraction) for d in DIMENSIONS}
                                                        for k in names}
    for term, amount, keys in ledger.items:
        exact[term] += amount
        for d in DIMENSIONS:
            cells[term][d][keys.get(d, NONE_KEY)] += amount
    term_units = {k: round(v * UNITS) for k, v in exact.items()}
    total_units = sum(term_units.values())
    terms: list[dict[str, Any]] = []  # one report row per term
    totals: dict[str, dict[str, dict[str, int]]] = {d: defaultdict(lambda: defaultdict(int)) for d in DIMENSIONS}
    for term in sorted(names, key=lambda k: (-term_units[k], names.index(k))):
        by = {}
        for d in DIMENSIONS:
            units = _round_shares(cells[term][d], term_units[term])
            ranked = sorted(((k, u) for k, u in units.items() if u), key=lambda kv: (-kv[1], kv[0]))
            by[d] = [{"key": k, "amount": _amount(u)} for k, u in ranked]
            for k, u in units.items():
                totals[d][k][term] += u
        terms.append({"term": term, "label": t.label(f"term.{term}", term), "amount": _amount(term_units[term]),
                      "share": round(100 * term_units[term] / total_units, 1) if total_units else 0.0, "by": by})
    by_dim = {}
    for d in DIMENSIONS:
        rows = [{"key": k, "amount": _amount(sum(v.values())),
                 "terms": {term: _amount(u) for term, u in sorted(v.items(), key=lambda kv: -kv[1]) if u}}
                for k, v in totals[d].items() if sum(v.values())]
        by_dim[d] = sorted(rows, key=lambda r: (-Decimal(str(r["amount"])), r["key"]))
    objective = _amount(total_units)
    stated = schedule.get("objective")
    text = [t("costs.title", total=t.num(objective, 2))]
    for row in terms:
        if row["amount"]:
            text.append("  " + t("costs.term", term=row["label"], amount=t.num(row["amount"], 2),
                                 share=t.num(row["share"])))
    return {
        "objective": objective,
        "schedule_objective": stated,
        "matches_schedule": stated is not None and Decimal(str(stated)) == Decimal(total_units) / UNITS,
        "terms": terms,
        "by": {d: rows[:top] if top else rows for d, rows in by_dim.items()},
        "text": text,
    }
