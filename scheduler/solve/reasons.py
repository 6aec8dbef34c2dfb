"""Why a session could not be placed, in a coordinator's words."""

from __future__ import annotations

from collections import Counter
from datetime import time, timedelta

from scheduler.domain import Period
from scheduler.prepare.problem import Placement, PlanningProblem
from scheduler.search.construct import Bookings, _ordered_candidates, what_blocks

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


def unscheduled_reason(problem: PlanningProblem, i: int, placed: dict, book: Bookings | None = None) -> str:
    """Why session i is not in the schedule `placed` (`book`: its bookings, when the caller has them)."""
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
    if book is None:
        book = booked(problem, placed)
    return (f"{what} could not be fitted at any of its {len(o.candidates)} possible start times in "
            f"{fill['window']}: " + "; ".join(_blocked_starts(problem, book, i, placed, fill)) + ".")


def booked(problem: PlanningProblem, placed: dict[int, Placement]) -> Bookings:
    """The bookings of a schedule: what every unscheduled session's starts are checked against."""
    book = Bookings(problem)
    for pl in placed.values():
        book.book(pl)
    return book


def _blocked_starts(problem: PlanningProblem, book: Bookings, i: int, placed: dict[int, Placement],
                    fill: dict) -> list[str]:
    """What keeps the session from each of its possible starts in the schedule as it is, most
    frequent first: the track's order and gaps after its previous session, the participants'
    other sessions and rest, a team's staffing, rooms, trainers, interpreters."""
    sc = problem.scenario
    s, o = problem.sessions[i], problem.options[i]
    idxs = problem.by_cohort[s.key.cohort]
    q = idxs.index(i)
    allowed = set(range(len(o.candidates)))
    prev = None
    if q > 0 and idxs[q - 1] in placed:
        j = idxs[q - 1]
        prev = problem.sessions[j]
        after = (j, problem.options[j].candidates[placed[j].candidate])
        allowed = set(_ordered_candidates(problem, i, "earliest", after))
    counts: Counter = Counter()
    teams: Counter = Counter()
    for k in range(len(o.candidates)):
        if k not in allowed:
            counts["order"] += 1
            continue
        why, team = what_blocks(problem, book, i, k)
        counts[why] += 1
        if team is not None:
            teams[team] += 1
    busiest = _names(f"{t[1]} of {sc.workplaces[t[0]].name}" if t[0] in sc.workplaces else str(t[1])
                     for t, _ in teams.most_common())
    text = {
        "order": lambda n: (f"{n} do not follow {prev.module_id} session {prev.index} as the module order and gaps "
                            f"require" if prev is not None else f"{n} break the module order"),
        "participants": lambda n: f"at {n} participants have other sessions or would lose their daily rest",
        "staffing": lambda n: f"at {n} other sessions already use the staffing slack of {busiest}",
        "room": lambda n: f"at {n} every fitting room is booked",
        "trainer": lambda n: (f"at {n} every qualified trainer ({fill['trainers']}) is teaching, travelling or at "
                              f"a daily or weekly limit"),
        "interpreter": lambda n: f"at {n} no interpreter for {fill['languages']} is free",
        "fits": lambda n: f"at {n} it would fit, but then the track's later sessions could not follow in time",
    }
    return [text[why](n) for why, n in counts.most_common()]


def _window(problem: PlanningProblem, cohort) -> str:
    sc = problem.scenario
    plans = [sc.action_plans[p] for p in cohort.plans]
    return f"{max(p.earliest for p in plans)} to {min(p.deadline for p in plans)}"
