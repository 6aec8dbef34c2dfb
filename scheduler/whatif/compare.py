"""Comparing schedules side by side: every KPI of each, and the session-level differences.

The numbers come from the independent validator (`validate.compute_kpis` through
`validate.validate`), never from what a schedule claims about itself; ``claims_agree`` says
whether the schedule's own KPIs match them. Trainer load and completion dates are read from
the sessions directly.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd

from scheduler.solve.replan import diff_sessions
from scheduler.validate import BREAKDOWN_TERMS, validate


def _participant_ids(plan: dict) -> set[str]:
    """A plan's participant ids, counted entries expanded (<plan>-<team>-<n>)."""
    out = set()
    for p in plan.get("participants") or []:
        if "id" in p:
            out.add(str(p["id"]))
        else:
            out |= {f"{plan['id']}-{p['team']}-{n}" for n in range(1, int(p.get("count", 0)) + 1)}
    return out


def _sessions_frame(schedule: dict) -> pd.DataFrame:
    """One row per scheduled session: cohort, trainer, start and end (aware datetimes, as written)."""
    rows = [(s["cohort"], s["trainer"], datetime.fromisoformat(s["start"]), datetime.fromisoformat(s["end"]))
            for s in schedule.get("sessions") or []]
    return pd.DataFrame(rows, columns=["cohort", "trainer", "start", "end"], dtype=object)


def completion_dates(scenario: dict, schedule: dict) -> dict[str, str | None]:
    """Per action plan: the local date of the last session of the cohorts that hold its
    participants, or None when one of those sessions is unscheduled (not complete)."""
    tz = ZoneInfo(scenario.get("timezone") or "Europe/Stockholm")
    sessions = _sessions_frame(schedule)
    local_day = sessions["start"].map(lambda start: start.astimezone(tz).date().isoformat())
    last: dict[str, str] = local_day.groupby(sessions["cohort"]).max().to_dict()
    open_cohorts = {u["cohort"] for u in schedule.get("unscheduled") or []}
    out: dict[str, str | None] = {}
    for plan in scenario.get("action_plans") or []:
        ids = _participant_ids(plan)
        cohorts = [c["id"] for c in schedule.get("cohorts") or []
                   if c.get("track") == plan.get("track") and ids & set(map(str, c.get("participants") or []))]
        if not cohorts or any(c in open_cohorts or c not in last for c in cohorts):
            out[plan["id"]] = None
        else:
            out[plan["id"]] = max(last[c] for c in cohorts)
    return out


def trainer_hours(schedule: dict) -> dict[str, float]:
    """Session hours per trainer, sorted by trainer (rounded to 4 decimals: sessions last whole
    seconds, so the rounding does not depend on the order the hours are added in)."""
    sessions = _sessions_frame(schedule)
    hours = (sessions["end"] - sessions["start"]).map(lambda span: span.total_seconds() / 3600)
    per_trainer = hours.astype(float).groupby(sessions["trainer"]).sum()
    return {str(t): round(float(h), 4) for t, h in per_trainer.items()}


def schedule_kpis(scenario: dict, schedule: dict, label: str) -> dict:
    """Every KPI of one schedule, recomputed by the validator."""
    report = validate(scenario, schedule)
    k = report.kpis
    kpi_claims = [v for v in report.violations if v.rule == 0 and v.rule_name == "kpis"]
    return {
        "label": label,
        "scenario": scenario.get("id"),
        "scenario_name": scenario.get("name") or scenario.get("id"),
        "objective": k["objective"],
        "objective_breakdown": dict(k["objective_breakdown"]),
        "sessions_total": k["sessions_total"],
        "sessions_scheduled": k["sessions_scheduled"],
        "unscheduled": k["sessions_unscheduled"],
        "participants_unassigned": k["participants_unassigned"],
        "backfill_hours": k["backfill_hours"],
        "overtime_hours": k["overtime_hours"],
        "travel_minutes": k["travel_minutes"],
        "late_days": k["late_days"],
        "trainer_changes": k["trainer_changes"],
        "trainer_hours": trainer_hours(schedule),
        "completion": completion_dates(scenario, schedule),
        "valid": not [v for v in report.violations if v.rule_name != "kpis"],
        "claims_agree": not kpi_claims,
        "violations": [str(v.message) for v in report.violations],
    }


def compare(entries: list[tuple[dict, dict, str]]) -> dict:
    """``entries``: (scenario, schedule, label) in order; the first is the reference that the
    session-level differences of the others are taken against."""
    rows = [schedule_kpis(sc, sched, label) for sc, sched, label in entries]
    differences = []
    if entries:
        ref_sched, ref_label = entries[0][1], entries[0][2]
        ref = {s["id"]: s for s in ref_sched.get("sessions") or []}
        for _, sched, label in entries[1:]:
            d = diff_sessions(ref_sched, sched)
            mine = {s["id"]: s for s in sched.get("sessions") or []}
            differences.append({
                "from": ref_label, "to": label, **d,
                "sessions": [{"id": sid, "change": "moved", "before": _brief(ref[sid]), "after": _brief(mine[sid])}
                             for sid in d["moved"]]
                + [{"id": sid, "change": "added", "after": _brief(mine[sid])} for sid in d["added"]]
                + [{"id": sid, "change": "cancelled", "before": _brief(ref[sid])} for sid in d["cancelled"]],
            })
    return {"schedules": rows, "differences": differences}


def _brief(s: dict) -> dict:
    return {"start": s["start"], "end": s["end"], "trainer": s["trainer"], "room": s.get("room")}


def _fmt(x) -> str:
    if x is None:
        return "–"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, (int, float)):
        return f"{round(x):,}".replace(",", " ") if abs(x - round(x)) < 1e-9 or abs(x) >= 100 else f"{x:.2f}"
    return str(x)


def render_text(result: dict) -> str:
    """The comparison as a table: one row per KPI, one column per schedule, then the differences."""
    rows = result["schedules"]
    terms = list(BREAKDOWN_TERMS) + (["move_session"] if any("move_session" in r["objective_breakdown"]
                                                             for r in rows) else [])
    table: list[tuple[str, list]] = [("scenario", [r["scenario_name"] for r in rows]),
                                     ("objective", [r["objective"] for r in rows])]
    table += [(f"  {t}", [r["objective_breakdown"].get(t) for r in rows]) for t in terms]
    for key in ("sessions_scheduled", "unscheduled", "participants_unassigned", "backfill_hours", "overtime_hours",
                "travel_minutes", "late_days", "trainer_changes"):
        table.append((key.replace("_", " "), [r[key] for r in rows]))
    for t in sorted({t for r in rows for t in r["trainer_hours"]}):
        table.append((f"trainer hours {t}", [r["trainer_hours"].get(t, 0) for r in rows]))
    for p in sorted({p for r in rows for p in r["completion"]}):
        table.append((f"completed {p}", [r["completion"].get(p, "–") or "not complete" for r in rows]))
    table.append(("valid (validator)", [r["valid"] for r in rows]))
    table.append(("own KPIs agree", [r["claims_agree"] for r in rows]))
    head = [""] + [r["label"] for r in rows]
    body = [[name] + [_fmt(v) for v in values] for name, values in table]
    widths = [max(len(line[c]) for line in [head] + body) for c in range(len(head))]
    lines = ["  ".join(cell.ljust(widths[c]) if c == 0 else cell.rjust(widths[c]) for c, cell in enumerate(line))
             for line in [head] + body]
    for d in result["differences"]:
        lines.append("")
        lines.append(f"{d['to']} against {d['from']}: {len(d['moved'])} moved, {len(d['added'])} added, "
                     f"{len(d['cancelled'])} cancelled")
        for s in d["sessions"][:30]:
            before, after = s.get("before"), s.get("after")
            where = " -> ".join(f"{x['start'][:16]} {x['trainer']} {x['room'] or 'remote'}"
                                for x in (before, after) if x)
            lines.append(f"  {s['change']:<9} {s['id']}: {where}")
        if len(d["sessions"]) > 30:
            lines.append(f"  ... and {len(d['sessions']) - 30} more")
    return "\n".join(lines)
