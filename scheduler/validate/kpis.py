"""The recomputed KPIs and objective, and the rule-0 'kpis' comparison with the claimed ones.

The numbers come from the schedule and scenario alone (never from what the schedule claims
about itself); :func:`check_kpis` then compares them with the schedule's ``kpis`` and
``objective``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import Any

from scheduler.validate.parsed import Session, TimedSession
from scheduler.validate.reading import Context
from scheduler.validate.replan import move_term
from scheduler.validate.report import BREAKDOWN_TERMS, Violation, violation
from scheduler.validate.values import fmt_num, number


def compute_kpis(ctx: Context) -> dict:
    """Recompute the schedule's KPIs and objective from scratch.

    backfill = participant-hours of session inside the union of the
    participant's own shifts, overtime = the rest; trainer cost =
    cost_per_hour x session hours; travel per trainer/interpreter and local
    date = home -> first site -> ... -> last site -> home (remote = home);
    lateness = days from the earliest target among the cohort's plans to the
    local date of its last session; trainer_change = distinct trainers - 1 per
    cohort and module."""
    W = ctx.weights
    scheduled_keys = {k for k, v in ctx.scheduled_by_key.items() if v}
    n_unscheduled = sum(1 for k in ctx.required if k not in scheduled_keys)

    in_track: set[tuple[str, str | None]] = set()
    for c in ctx.cohorts:
        for m in c.members:
            in_track.add((m, c.track_id))
    n_unassigned = sum(1 for pl in ctx.plans.values() for m in pl.members if (m, pl.track) not in in_track)

    backfill = overtime = trainer_cost = 0.0
    inside_cache: dict[tuple, float] = {}
    for s in ctx.timed:
        hours = (s.b - s.a) / 3600.0
        for m in s.members:
            p = ctx.persons.get(m)
            if p is None:
                continue
            key = (p.team, s.pos)
            inside = inside_cache.get(key)
            if inside is None:
                inside = inside_cache[key] = ctx.shift_seconds_inside(p.team, s.a, s.b) / 3600.0
            backfill += inside
            overtime += hours - inside
        tr = ctx.trainers.get(s.trainer) if isinstance(s.trainer, str) else None
        if tr is not None:
            trainer_cost += (number(tr.get("cost_per_hour")) or 0.0) * hours

    travel = 0.0
    # (the people, who of them works in a session): trainers, then interpreters
    people_of: tuple[tuple[dict[str, dict[str, Any]], Callable[[TimedSession], list[str]]], ...] = (
        (ctx.trainers, lambda s: [s.trainer] if isinstance(s.trainer, str) else []),
        (ctx.interpreters, lambda s: s.interpreters),
    )
    for table, of in people_of:
        days: dict[tuple[str, date], list[TimedSession]] = defaultdict(list)
        for s in ctx.timed:
            for pid in of(s):
                if pid in table:
                    days[(pid, s.ldate)].append(s)
        for (pid, _), lst in days.items():
            person = table[pid]
            home = person.get("home_site")
            path = [home] + [ctx.site_for(s, person) for s in sorted(lst, key=lambda s: (s.a, s.pos))] + [home]
            travel += sum(ctx.travel(x, y) or 0.0 for x, y in zip(path, path[1:]))

    late_days = 0
    changes = 0
    by_cohort: dict[str | None, list[Session]] = defaultdict(list)
    for session in ctx.sessions:
        if session.key_valid:
            by_cohort[session.cohort_id].append(session)
    for c in ctx.cohorts:
        if ctx.cohort_by_id.get(c.id) is not c:
            continue
        mine = [s for s in by_cohort.get(c.id, ()) if isinstance(s, TimedSession)]
        if mine and c.plans:
            target = min(ctx.plans[p].target for p in c.plans)
            last = max(mine, key=lambda s: (s.a, s.b))
            late_days += max(0, (last.ldate - target).days)
        per_module: dict[str | None, set[str]] = defaultdict(set)
        for session in by_cohort.get(c.id, ()):
            if isinstance(session.trainer, str):
                per_module[session.module_id].add(session.trainer)
        changes += sum(len(t) - 1 for t in per_module.values() if t)

    breakdown = {
        "unscheduled_session": n_unscheduled * W["unscheduled_session"],
        "unassigned_participant": n_unassigned * W["unassigned_participant"],
        "backfill_per_hour": backfill * W["backfill_per_hour"],
        "overtime_per_hour": overtime * W["overtime_per_hour"],
        "trainer_cost": trainer_cost,
        "travel_per_minute": travel * W["travel_per_minute"],
        "late_per_day": late_days * W["late_per_day"],
        "trainer_change": changes * W["trainer_change"],
    }
    move = move_term(ctx)
    if move is not None:  # a re-plan against a baseline (see check_replan)
        breakdown["move_session"] = move
    return {
        "sessions_total": len(ctx.required),
        "sessions_scheduled": len(ctx.sessions),
        "sessions_unscheduled": n_unscheduled,
        "participants_unassigned": n_unassigned,
        "backfill_hours": backfill,
        "overtime_hours": overtime,
        "travel_minutes": travel,
        "late_days": late_days,
        "trainer_changes": changes,
        "objective_breakdown": breakdown,
        "objective": sum(breakdown.values()),
    }


def check_kpis(ctx: Context, kpis: dict, tolerance: float = 1e-6) -> list[Violation]:
    """Rule 0 'kpis'. The schedule's own kpis and objective agree with the
    recomputed ones: counts exactly; hours and minutes within 0.01; every
    objective term and the objective within 0.5 (plus ``tolerance`` relative
    to the size of the numbers)."""
    out: list[Violation] = []
    claimed = ctx.schedule.get("kpis")

    def close(a: float, b: float, abs_tol: float) -> bool:
        return abs(a - b) <= abs_tol + tolerance * max(abs(a), abs(b))

    def compare(label: str, got: Any, want: float, abs_tol: float, unit: str = "") -> None:
        g = number(got)
        if g is None:
            out.append(violation(0, f"The schedule's {label} is missing or not a number ({got!r}); "
                                    f"recomputed {fmt_num(want)}{unit}.", kpi=label, expected=want))
        elif not close(g, want, abs_tol):
            out.append(violation(0, f"The schedule claims {label} = {fmt_num(g)}{unit}, "
                                    f"but it is {fmt_num(want)}{unit}.",
                                 kpi=label, claimed=g, expected=want))

    if not isinstance(claimed, dict):
        out.append(violation(0, "The schedule has no kpis.", kpi="kpis"))
    else:
        compare("sessions_total", claimed.get("sessions_total"), kpis["sessions_total"], 0.0)
        compare("sessions_scheduled", claimed.get("sessions_scheduled"), kpis["sessions_scheduled"], 0.0)
        compare("backfill_hours", claimed.get("backfill_hours"), kpis["backfill_hours"], 0.01, " h")
        compare("overtime_hours", claimed.get("overtime_hours"), kpis["overtime_hours"], 0.01, " h")
        compare("travel_minutes", claimed.get("travel_minutes"), kpis["travel_minutes"], 0.01, " min")
        bd = claimed.get("objective_breakdown")
        if not isinstance(bd, dict):
            out.append(violation(0, "The schedule's kpis have no objective_breakdown.", kpi="objective_breakdown"))
        else:
            for term in BREAKDOWN_TERMS:
                compare(f"objective term {term}", bd.get(term), kpis["objective_breakdown"][term], 0.5)
            if "move_session" in kpis["objective_breakdown"]:
                compare("objective term move_session", bd.get("move_session"),
                        kpis["objective_breakdown"]["move_session"], 0.5)
        if "objective" in claimed and claimed.get("objective") is not None:
            compare("kpis objective", claimed.get("objective"), kpis["objective"], 0.5)
    obj = ctx.schedule.get("objective")
    if obj is None and ctx.schedule.get("status") in ("infeasible", "unknown"):
        return out
    compare("objective", obj, kpis["objective"], 0.5)
    return out
