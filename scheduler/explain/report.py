"""The whole explanation of a scenario (and a schedule): findings, most important first, and
the cost breakdown; as a dict for JSON and as text for the command line."""

from __future__ import annotations

import time

from scheduler.explain.conflicts import explain_conflicts
from scheduler.explain.costs import cost_breakdown
from scheduler.explain.diagnose import diagnose
from scheduler.explain.findings import by_importance
from scheduler.explain.messages import Texts

FORMAT = "modulplan/explanation-1"


def explain(data: dict, schedule: dict | None = None, lang: str = "sv", *, conflicts: bool | None = None,
            time_limit: float = 20.0, verify: bool = True) -> dict:
    """Explain a normalized scenario and, optionally, one of its schedules.

    * the pre-solve diagnosis always;
    * the conflict search (CP-SAT) for the schedule's unscheduled sessions that the diagnosis
      does not account for, or, without a schedule, when `conflicts` is true (is there a
      schedule with every session at all?);
    * with a schedule, the cost breakdown.
    """
    started = time.monotonic()
    findings = diagnose(data, lang, verify=verify)
    diagnosed = time.monotonic() - started
    explained = {c for f in findings if f.severity == "error" for c in f.entities.get("cohorts", [])}
    run_conflicts = conflicts if conflicts is not None else bool(schedule and schedule.get("unscheduled"))
    if run_conflicts and (schedule is not None or not explained):
        findings += explain_conflicts(data, schedule, lang, excluded=explained,
                                      time_limit=time_limit)
    out = {
        "format": FORMAT,
        "scenario": data.get("id"),
        "language": lang,
        "findings": [f.as_dict() for f in by_importance(findings)],
        "costs": cost_breakdown(data, schedule, lang) if schedule is not None else None,
        "seconds": {"diagnosis": round(diagnosed, 3), "total": round(time.monotonic() - started, 3)},
    }
    return out


def format_text(report: dict) -> str:
    """The explanation as plain text: each finding with its suggestions, then the costs."""
    t = Texts(report.get("language") or "sv")
    lines = []
    findings = report["findings"]
    if not findings:
        lines.append(t("no_findings"))
    for n, f in enumerate(findings, start=1):
        lines.append(f"{n}. [{f['rule']}] {f['message']}")
        for s in f["suggestions"]:
            mark = " ✓" if s.get("verified") else ""
            lines.append(f"   → {s['message']}{mark}")
    costs = report.get("costs")
    if costs:
        lines.append("")
        lines += costs["text"]
        for dim in ("action_plan", "workplace", "team", "trainer", "week"):
            rows = [r for r in costs["by"][dim] if r["key"] != "-"][:3]
            if rows:
                parts = ", ".join(f"{r['key']} {t.num(r['amount'], 2)}" for r in rows)
                lines.append(f"  {t(f'dim.{dim}')}: {parts}")
    return "\n".join(lines)
