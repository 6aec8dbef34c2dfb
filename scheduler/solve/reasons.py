"""Why a session could not be placed, in a coordinator's words."""

from __future__ import annotations

from datetime import time, timedelta

from scheduler.domain import Period
from scheduler.prepare.problem import PlanningProblem

_REJECTION_TEXT = {
    "plan_window": "lie outside the action plans' window {window}",
    "on_shift_not_allowed": "overlap participants' shifts, and plan {plans} does not allow training on shift",
    "off_shift_not_allowed": "do not lie inside all participants' own shifts, and plan {plans} does not allow "
                             "training off shift",
    "staffing": "would take more of a team's members than its staffing slack allows ({teams})",
    "team_blocked": "fall in a blocked period of a team of the cohort ({blocked}), when it releases nobody",
    "daily_rest": "would break the participants' daily rest of {rest} hours next to their shifts",
    "trainer_unavailable": "have no trainer qualified for {qualification} available ({trainers})",
    "room_unavailable": "have every fitting room booked",
    "no_interpreter": "have no interpreter for {languages} available",
}


def period_text(p: Period) -> str:
    """A period in words: whole days as "2027-03-22..2027-03-26" (the end day inclusive),
    otherwise "2027-03-22 08:00..2027-03-22 12:00"."""
    if p.start.time() == time() and p.end.time() == time():
        last = p.end.date() - timedelta(days=1)
        return f"{p.start.date()}" if last == p.start.date() else f"{p.start.date()}..{last}"
    return f"{p.start:%Y-%m-%d %H:%M}..{p.end:%Y-%m-%d %H:%M}"


def _names(items) -> str:
    items = list(items)
    return ", ".join(items[:4]) + (f" and {len(items) - 4} more" if len(items) > 4 else "")


def unscheduled_reason(problem: PlanningProblem, i: int, placed: dict) -> str:
    sc = problem.scenario
    s = problem.sessions[i]
    o = problem.options[i]
    cohort = s.cohort
    module = sc.modules[s.module_id]
    what = (f"{module.name} ({module.id}) session {s.index} of {s.of} for cohort {cohort.id} "
            f"({cohort.size} participants from {_names(sc.workplaces[w].name for w in cohort.workplaces)})")
    earlier = [j for j in problem.by_cohort[cohort.id] if j < i and j not in placed]
    if earlier:
        e = problem.sessions[earlier[0]]
        return f"{what} waits for {e.module_id} session {e.index}, which could not be placed."
    if o.rejected.get("no_qualified_trainer"):
        return f"{what}: no trainer holds the qualification {module.qualification}."
    if o.rejected.get("no_room"):
        where = ""
        if module.location == "workplace":
            where = " at " + _names(sc.sites[sc.workplaces[w].site].name if sc.workplaces[w].site in sc.sites
                                    else sc.workplaces[w].site for w in cohort.workplaces)
        feats = f" with {', '.join(sorted(module.room_features))}" if module.room_features else ""
        return f"{what}: no room{where} has {cohort.size} seats{feats}."
    qualified = [t.name for t in sc.trainers.values() if module.qualification in t.qualifications]
    for key in o.rejected:
        if key.startswith("no_language_support:"):
            lang = key.split(":", 1)[1]
            return (f"{what}: a participant needs language {lang}, but none of the trainers qualified for "
                    f"{module.qualification} ({_names(qualified)}) speaks it and no interpreter does.")
    plans = sorted(cohort.plans)
    fill = {
        "window": _window(problem, cohort),
        "plans": _names(plans),
        "teams": _names(sorted(f"{t[1]} slack {sc.teams[t].staffing_slack}, {n} in cohort"
                               for t, n in cohort.team_counts if n > sc.teams[t].staffing_slack)),
        "blocked": _names(f"team {t[1]} {period_text(p)}" + (f" ({p.reason})" if p.reason else "")
                          for t, _ in cohort.team_counts for p in sc.teams[t].blocked),
        "rest": f"{sc.calendar.daily_rest_hours:g}",
        "qualification": module.qualification,
        "trainers": _names(qualified),
        "languages": ", ".join(sorted(cohort.languages)),
    }
    if not o.candidates:
        total = len(problem.timeline.slots)
        parts = [f"{n} {_REJECTION_TEXT[k].format(**fill)}" for k, n in o.rejected.most_common()
                 if k in _REJECTION_TEXT]
        return f"{what} has no possible start time: of the {total} allowed start times, " + "; ".join(parts) + "."
    return (f"{what} could not be fitted: at each of its {len(o.candidates)} possible start times in "
            f"{fill['window']} the qualified trainers ({fill['trainers']}), rooms, interpreters, the teams' staffing "
            f"or the participants' other sessions are already taken, or the module order and gaps cannot be kept.")


def _window(problem: PlanningProblem, cohort) -> str:
    sc = problem.scenario
    plans = [sc.action_plans[p] for p in cohort.plans]
    return f"{max(p.earliest for p in plans)} to {min(p.deadline for p in plans)}"
