"""What the action-plan endpoints check and compute, apart from storing (issue 15):

* ``check_plan``: a plan is checked with the format's own code, against the programme's latest
  scenario with the plan added (in place of that scenario's plans of the same workplace);
  every error comes back at once, its JSON path pointing into the plan
  (``$.action_plans[3].participants[2].team`` -> ``$.participants[2].team``).
* ``plan_feedback``: what the manager's form shows next to the plan: each team's staffing
  slack, and the pre-solve diagnosis's findings about this plan (in Swedish or English).
* ``compile_programme``: the programme's next scenario: the latest one with each workplace's
  plans replaced by its submitted plans; errors across plans name the plans.
"""

from __future__ import annotations

import copy
import logging
import re

from scheduler.format import ScenarioInvalid, load_scenario_with_warnings, problem_dicts
from service.jobs.child import ChildFailed, ChildLimits, run_in_child
from service.problems import problem
from service.store.db import ActionPlanRow
from service.views.common import state

#: the fields of a plan in the format (``scheduler.format.scenario.ActionPlanSchema``)
FORMAT_FIELDS = ("id", "workplace", "track", "participants", "earliest", "deadline", "target",
                 "allow_on_shift", "allow_off_shift")
log = logging.getLogger("modulplan.service")

MAX_NOTE = 4000
DIAGNOSIS_SECONDS = 5.0  # wall time of a plan's diagnosis before the answer goes without it

TEXTS = {
    "slack": {"en": "Team {team} has a staffing slack of {slack}: at most {slack} of its members can be in training "
                    "at a time during their shift ({headcount} in the team, minimum staffing {min_staffing}).",
              "sv": "Arbetslaget {team} har en bemanningsmarginal på {slack}: högst {slack} av dess medlemmar kan vara "
                    "på utbildning samtidigt under sitt pass ({headcount} i laget, minimibemanning {min_staffing})."},
    "no_slack": {"en": "Team {team} has no staffing slack ({headcount} in the team, minimum staffing {min_staffing}): "
                       "nobody can be released during their shift, so its participants must train outside their "
                       "shifts (allow_off_shift).",
                 "sv": "Arbetslaget {team} har ingen bemanningsmarginal ({headcount} i laget, minimibemanning "
                       "{min_staffing}): ingen kan gå ifrån under sitt pass, så deltagarna måste utbildas utanför "
                       "sina pass (allow_off_shift)."},
    "more_than_slack": {"en": " This plan has {n} participants from the team who may train only during their shift.",
                        "sv": " Planen har {n} deltagare från laget som bara får utbildas under sitt pass."},
    "unavailable": {"en": "The diagnosis could not be completed in time: {why}",
                    "sv": "Diagnosen hann inte bli klar: {why}"},
}


def plan_document(plan: dict) -> dict:
    """The plan as the format has it: without the ``note``, which is the service's own."""
    return {k: v for k, v in plan.items() if k != "note"}


def other_workplaces_plans(doc: dict, workplace: str) -> list:
    """The scenario's action plans of every workplace but ``workplace``."""
    plans = doc.get("action_plans")
    return [p for p in (plans if isinstance(plans, list) else [])
            if not (isinstance(p, dict) and p.get("workplace") == workplace)]


_INDEX = re.compile(r"^\$\.action_plans\[(\d+)\]")


def _map_paths(found: list[dict], index: int) -> list[dict]:
    """Paths into the candidate scenario -> paths into the plan; a problem elsewhere in the
    scenario keeps its path in the message and gets ``$``."""
    out = []
    for e in found:
        m = _INDEX.match(e["path"])
        if m and int(m.group(1)) == index:
            out.append({"path": "$" + e["path"][m.end():], "message": e["message"]})
        else:
            out.append({"path": "$", "message": f"in the programme's scenario at {e['path']}: {e['message']}"})
    return out


def check_plan(base: dict, plan: dict, extra_errors: list[dict] | None = None) -> tuple[dict, list[dict]]:
    """Check ``plan`` (with ``id`` and ``workplace``) against the scenario document ``base``:
    (the normalized candidate scenario, warnings with plan paths), or a 422 problem listing
    every error with its path in the plan (``extra_errors`` too, already in plan paths)."""
    errors = list(extra_errors or [])
    note = plan.get("note")
    if note is not None and (not isinstance(note, str) or len(note) > MAX_NOTE):
        errors.append({"path": "$.note", "message": f"must be text of at most {MAX_NOTE} characters"})
    others = other_workplaces_plans(base, str(plan.get("workplace")))
    candidate = dict(base, action_plans=[*others, plan_document(plan)])
    index = len(others)
    try:
        normalized, found = load_scenario_with_warnings(candidate)
    except ScenarioInvalid as exc:
        if exc.beyond_limits:
            raise problem(413, "Programme too large", f"{len(exc.errors)} part(s) are beyond the service's limits",
                          errors=_map_paths(exc.as_dicts(), index)) from None
        errors += _map_paths(exc.as_dicts(), index)
        raise problem(422, "Invalid action plan", f"{len(errors)} problem(s) in the action plan", errors=errors,
                      warnings=_map_paths(exc.warning_dicts(), index)) from None
    if errors:
        raise problem(422, "Invalid action plan", f"{len(errors)} problem(s) in the action plan", errors=errors,
                      warnings=_map_paths(problem_dicts(found), index))
    return normalized, _map_paths(problem_dicts(found), index)


# ---------------------------------------------------------------------------- feedback

def _team_of(scenario: dict, workplace: str, team: str) -> tuple[str, dict] | None:
    """A plan's team: looked up in the plan's workplace first, then in any workplace (the format's rule)."""
    ordered = sorted(scenario.get("workplaces") or [], key=lambda w: w.get("id") != workplace)
    for w in ordered:
        for t in w.get("teams") or []:
            if t.get("id") == team:
                return str(w["id"]), t
    return None


def team_notes(scenario: dict, plan: dict, lang: str) -> list[dict]:
    """Per team of the plan: headcount, minimum staffing, staffing slack and a sentence about it."""
    counts: dict[str, int] = {}
    for p in plan.get("participants") or []:
        counts[str(p["team"])] = counts.get(str(p["team"]), 0) + (int(p["count"]) if "count" in p else 1)
    only_on_shift = plan.get("allow_on_shift", True) and not plan.get("allow_off_shift", False)
    out = []
    for team, n in counts.items():
        found = _team_of(scenario, str(plan["workplace"]), team)
        if found is None:
            continue
        wp, t = found
        headcount, min_staffing = int(t["headcount"]), int(t["min_staffing"])
        slack = max(0, headcount - min_staffing)
        values = {"team": team, "slack": slack, "headcount": headcount, "min_staffing": min_staffing}
        message = TEXTS["slack" if slack else "no_slack"][lang].format(**values)
        if only_on_shift and n > slack:
            message += TEXTS["more_than_slack"][lang].format(n=n)
        out.append({"team": team, "workplace": wp, "headcount": headcount, "min_staffing": min_staffing,
                    "staffing_slack": slack, "participants": n,
                    "severity": "warning" if only_on_shift and n > slack else "info", "message": message})
    return out


def diagnose_in_child(scenario: dict, lang: str, *, send, cancel) -> list[dict]:
    """The pre-solve diagnosis (without verifying suggestions) in a child process."""
    from scheduler.explain.diagnose import diagnose  # the solver's imports: on first use, not when the API starts

    return [f.as_dict() for f in diagnose(scenario, lang, verify=False)]


def diagnosis(scenario: dict, lang: str) -> tuple[list[dict] | None, str | None]:
    """(findings, None), or (None, why) when the diagnosis did not finish within its limits."""
    limits = ChildLimits(memory_mb=state().config["JOB_MEMORY_MB"], wall_seconds=DIAGNOSIS_SECONDS)
    try:
        return run_in_child(diagnose_in_child, (scenario, lang), limits=limits, what="the diagnosis", grace=1.0), None
    except ChildFailed as exc:
        return None, str(exc)
    except (OSError, RuntimeError) as exc:  # no child could be started: the answer goes without the diagnosis
        log.warning("the diagnosis of an action plan did not start: %s", exc)
        return None, "the diagnosis could not be started"


def _about(finding: dict, plan_id: str, workplace: str) -> bool:
    entities = finding.get("entities") or {}
    if "plans" in entities:
        return plan_id in entities["plans"]
    return workplace in (entities.get("workplaces") or [])


def plan_feedback(scenario: dict, plan: dict, lang: str) -> dict:
    """The feedback on a plan: its teams' staffing slack, and the diagnosis's findings about it
    (``complete`` false, with the reason in ``note``, when the diagnosis did not finish)."""
    findings, why = diagnosis(scenario, lang)
    about = [f for f in findings or [] if _about(f, str(plan["id"]), str(plan["workplace"]))]
    return {"language": lang, "complete": findings is not None,
            "note": TEXTS["unavailable"][lang].format(why=why) if why else None,
            "teams": team_notes(scenario, plan, lang), "findings": about}


# ---------------------------------------------------------------------------- compiling

def compiled_document(base: dict, submitted: list[ActionPlanRow]) -> tuple[dict, dict[int, ActionPlanRow]]:
    """The programme's next scenario: ``base`` with every workplace that has submitted plans
    getting those plans instead of its own; and which index of ``action_plans`` is which plan."""
    replaced = {r.workplace for r in submitted}
    plans = [p for p in base.get("action_plans") or []
             if not (isinstance(p, dict) and p.get("workplace") in replaced)]
    index: dict[int, ActionPlanRow] = {}
    for row in submitted:
        index[len(plans)] = row
        plans.append(plan_document(row.document))
    return dict(copy.deepcopy(base), action_plans=plans), index


def compile_errors(doc: dict, index: dict[int, ActionPlanRow]) -> None:
    """A 422 naming the plans, when the compiled scenario is not valid (e.g. two plans with the
    same participant); the paths are the compiled scenario's."""
    try:
        load_scenario_with_warnings(doc)
    except ScenarioInvalid as exc:
        errors, named = [], []
        for e in exc.as_dicts():
            m = _INDEX.match(e["path"])
            row = index.get(int(m.group(1))) if m else None
            if row is not None:
                named.append(row.plan_id)
                e = {"path": e["path"], "message": f"action plan {row.plan_id} of {row.workplace} (resource "
                                                   f"{row.id}): {e['message']}"}
            errors.append(e)
        names = ", ".join(dict.fromkeys(named)) or "none of the plans: the programme's own scenario"
        raise problem(422, "Invalid action plans", f"{len(errors)} problem(s) in the compiled programme "
                      f"(plans: {names})", errors=errors, warnings=exc.warning_dicts()) from None


def participants(plan: dict) -> int:
    """How many people a plan names or counts."""
    return sum(int(p["count"]) if isinstance(p, dict) and "count" in p else 1 for p in plan.get("participants") or [])
