"""The diagnosis run: every check in order (a later check skips the cohorts an earlier error
already explains), the findings most important first, and each suggestion of an error
finding verified by applying it to a copy and diagnosing again."""

from __future__ import annotations

import time as _time

from scheduler.domain import build_scenario
from scheduler.explain.diagnose.cohort_sizes import check_cohort_sizes
from scheduler.explain.diagnose.context import Ctx
from scheduler.explain.diagnose.languages import check_interpreter_capacity, check_language_support
from scheduler.explain.diagnose.outline import Outline
from scheduler.explain.diagnose.rooms import check_rooms
from scheduler.explain.diagnose.staffing import check_staffing, check_staffing_load
from scheduler.explain.diagnose.starts import check_admissible_starts, check_sessions_without_start
from scheduler.explain.diagnose.trainers import check_trainer_capacity, check_trainer_qualifications
from scheduler.explain.diagnose.windows import check_plan_windows
from scheduler.explain.findings import Finding, Suggestion, apply_changes, by_importance
from scheduler.explain.messages import Texts
from scheduler.format import ScenarioInvalid, load_scenario

VERIFY_SECONDS = 4.0  # time budget for checking suggestions by re-running the diagnosis


# In this order: each check skips the cohorts an earlier one's error finding already explains.
CHECKS = [check_trainer_qualifications, check_language_support, check_rooms, check_staffing,
          check_admissible_starts, check_plan_windows, check_cohort_sizes, check_sessions_without_start,
          check_trainer_capacity, check_interpreter_capacity, check_staffing_load]


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
