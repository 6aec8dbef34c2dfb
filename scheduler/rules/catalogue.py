"""The ten hard rules of the format (scenario-v1.md), in rule-number order: for each, where it
is enforced, where it is checked, how it is explained and where it is tested.

A rule is enforced in one or both of two places: in the *candidate starts*
(`scheduler.prepare`: what depends on one session alone is settled before the model, so a
start that breaks it never reaches the model) and in the *model* (`scheduler.rules`: what
couples sessions, one constraint function per rule, each taking an optional enforcement
literal). The independent validator re-checks every rule with its own code; it is named here
by dotted string only, because the solver must not import it. The explanation texts are the
keys of `scheduler.explain.messages.TEMPLATES` that speak of the rule.

`tests/rules/test_catalogue.py` checks that every dotted name resolves, every text key exists
and every test module is there; docs/model.md shows this table ("Where each rule lives").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HardRule:
    """One hard rule: its number and name as in the format, and where it lives."""

    number: int
    name: str  # as the validator reports it (scheduler.validate.RULE_NAMES)
    rule: str  # the rule in plain words
    model: tuple[str, ...]  # the model's constraint functions (dotted names); () if none
    candidate_starts: tuple[str, ...]  # where the candidate starts / cohorts enforce it (dotted names)
    validator: str  # the validator's check (dotted name)
    texts: tuple[str, ...]  # explanation template keys in scheduler.explain.messages.TEMPLATES
    test_module: str  # the rule's tests: model, solve, and the validator catching a broken schedule
    note: str = ""  # how the parts share the work, where that is not obvious

    @property
    def validator_tests(self) -> str:
        """The validator's own tests of this rule (tests/validate/test_rNN_<name>.py)."""
        return VALIDATOR_TESTS[self.number]


VALIDATOR_TESTS = {
    1: "tests/validate/test_r01_completeness.py", 2: "tests/validate/test_r02_calendar.py",
    3: "tests/validate/test_r03_trainers.py", 4: "tests/validate/test_r04_rooms.py",
    5: "tests/validate/test_r05_cohorts.py", 6: "tests/validate/test_r06_order.py",
    7: "tests/validate/test_r07_staffing.py", 8: "tests/validate/test_r08_shift_fit.py",
    9: "tests/validate/test_r09_daily_rest.py", 10: "tests/validate/test_r10_language.py",
}


_P = "scheduler.prepare.problem.PlanningProblem"
_R = "scheduler.rules"

CATALOGUE: tuple[HardRule, ...] = (
    HardRule(
        1, "completeness",
        "Every participant is in exactly one cohort of the plan's track or listed unassigned with a reason; "
        "every session of every cohort is scheduled exactly once or listed unscheduled with a reason.",
        (f"{_R}.completeness.completeness_rule", f"{_R}.builder.ModelBuilder._session_vars"),
        ("scheduler.prepare.cohorts.form_cohorts",),
        "scheduler.validate.check_completeness",
        ("term.unscheduled_session", "term.unassigned_participant", "no_admissible_start", "no_start_time",
         "conflict", "conflict.hard", "conflict.unknown", "solver_time"),
        "tests/rules/test_completeness.py",
        "Cohorts are formed before the model (every participant placed or unassigned); the variables "
        "schedule a session at most once; the rule function keeps a track's sessions in sequence "
        "(none without its predecessor). The reasons for unscheduled sessions come from "
        "scheduler.solve.reasons.",
    ),
    HardRule(
        2, "calendar",
        "Every session starts at an allowed start time on an allowed day and lies inside earliest..deadline "
        "of the action plans of all its participants.",
        (),
        ("scheduler.prepare.timeline.Timeline.slots", f"{_P}._options"),
        "scheduler.validate.check_calendar",
        ("plan_window", "plan_window.never", "why.plan_window", "reject.plan_window", "group.window",
         "s.move_deadline", "s.move_deadline_horizon", "s.move_earliest", "s.add_start_time"),
        "tests/rules/test_calendar.py",
        "Only in the candidate starts: the timeline's slots are the allowed days and start times, and "
        "a session's candidates are the slots inside its plans' windows.",
    ),
    HardRule(
        3, "trainer",
        "Exactly one trainer per session, holding the module's qualification, available for the whole session, "
        "never in two places at once (travel time between sites), at most max_sessions_per_day sessions a day "
        "and max_minutes_per_week session minutes per ISO week.",
        (f"{_R}.trainers.trainer_rule", f"{_R}.trainers.trainer_time", f"{_R}.trainers.trainer_limits",
         f"{_R}.travel.with_travel", f"{_R}.builder.ModelBuilder._session_vars"),
        (f"{_P}._options", f"{_P}._who_is_free"),
        "scheduler.validate.check_trainers",
        ("trainer_qualification", "trainer_capacity", "reject.trainer_unavailable", "group.trainer",
         "group.trainer_limits", "s.add_qualification", "s.new_trainer", "s.new_trainer_like", "s.raise_weekly",
         "s.raise_daily"),
        "tests/rules/test_trainers.py",
        "Qualification and availability in the candidate starts (the trainers free at each start); exactly "
        "one trainer in the variables; time, travel and limits per trainer in the model.",
    ),
    HardRule(
        4, "room",
        "workplace and any sessions have one room with enough seats and every required feature, not "
        "unavailable, hosting one session at a time, for workplace modules at a site of the cohort's "
        "workplaces; remote sessions have no room.",
        (f"{_R}.rooms.room_rule", f"{_R}.rooms.room_time", f"{_R}.builder.ModelBuilder._session_vars"),
        (f"{_P}._room_choices", f"{_P}._rooms_matrix"),
        "scheduler.validate.check_rooms",
        ("room_capacity", "room_features", "room.where", "room.with", "reject.room_unavailable", "group.room",
         "s.add_room", "s.room_like", "s.smaller_groups"),
        "tests/rules/test_rooms.py",
        "Seats, features, site and bookings in the candidate starts; exactly one room in the variables; "
        "one session at a time per room in the model.",
    ),
    HardRule(
        5, "cohort",
        "Group sizes within min_group..max_group (one smaller cohort where a plan or track is too small), "
        "one workplace per cohort unless the track mixes workplaces, and no participant in two sessions at once.",
        (f"{_R}.participants.participant_rule",),
        ("scheduler.prepare.cohorts.form_cohorts",),
        "scheduler.validate.check_cohorts",
        ("cohort_size", "s.min_group"),
        "tests/rules/test_cohorts.py",
        "Group sizes and workplaces when cohorts are formed; a person in several cohorts gets a "
        "no-overlap in the model.",
    ),
    HardRule(
        6, "order",
        "The sessions of a module follow their index and keep the gap bounds (in days); all sessions of a "
        "track's module k end before the first session of module k+1 starts.",
        (f"{_R}.order.order_rule",),
        (),
        "scheduler.validate.check_order",
        ("group.gaps", "s.lower_min_gap", "s.raise_max_gap"),
        "tests/rules/test_order.py",
    ),
    HardRule(
        7, "staffing",
        "At every moment of every shift of every team, at most headcount - min_staffing of its members are "
        "in a session; during one of a team's blocked periods (its optional `blocked` list) none is.",
        (f"{_R}.staffing.staffing_rule", f"{_R}.staffing.team_staffing"),
        ("scheduler.prepare.shiftfit.shift_fit", "scheduler.prepare.shiftfit.shift_fit_rows",
         "scheduler.prepare.timeline.Timeline.team_blocked", "scheduler.prepare.cohort_shaper.CohortShaper.team_mask"),
        "scheduler.validate.check_staffing",
        ("staffing", "staffing.no_off", "staffing_capacity", "reject.staffing", "reject.team_blocked",
         "group.staffing", "s.release_staff"),
        "tests/rules/test_staffing.py",
        "One cohort alone within the slack, and no start overlapping a blocked period of a member's team, "
        "in the candidate starts (`shift_fit_rows`, `shift_fit` one start at a time; so construct, search and "
        "CP-SAT all follow); the sum over "
        "a team's cohorts in the model (one cumulative per team).",
    ),
    HardRule(
        8, "shift_fit",
        "A participant whose plan forbids on-shift training has no session overlapping their shifts; one "
        "whose plan forbids off-shift training has every session inside one of their own shifts.",
        (),
        ("scheduler.prepare.shiftfit.shift_fit", "scheduler.prepare.shiftfit.shift_fit_rows"),
        "scheduler.validate.check_shift_fit",
        ("why.off_shift_not_allowed", "why.on_shift_not_allowed", "reject.on_shift_not_allowed",
         "reject.off_shift_not_allowed", "group.off_shift", "s.allow_off_shift", "s.allow_on_shift"),
        "tests/rules/test_shift_fit.py",
        "Only in the candidate starts: it depends on one session alone.",
    ),
    HardRule(
        9, "daily_rest",
        "With daily_rest_hours R > 0, every 24-hour window starting at a work block (shift or session) of a "
        "participant keeps a free stretch of at least R hours, unless the shifts alone already break it.",
        (),
        ("scheduler.prepare.shiftfit.rest_ok", "scheduler.prepare.shiftfit.team_fit_at"),
        "scheduler.validate.check_daily_rest",
        ("why.daily_rest", "reject.daily_rest"),
        "tests/rules/test_daily_rest.py",
        "In the candidate starts against the participants' own shifts; rest between two sessions is kept "
        "by the constructive search (scheduler.search.construct) and the solve's final replay of the "
        "schedule against every rule (`_keep_valid` in scheduler/solve), not by a model constraint.",
    ),
    HardRule(
        10, "language",
        "For each language a participant of a session needs that the trainer does not speak, an interpreter "
        "speaking it is assigned, available for all of it and never in two places at once (with travel time).",
        (f"{_R}.languages.language_rule", f"{_R}.languages.language_cover", f"{_R}.languages.interpreter_time",
         f"{_R}.travel.with_travel"),
        (f"{_P}._options", f"{_P}._who_is_free"),
        "scheduler.validate.check_language",
        ("language_support", "interpreter_capacity", "reject.no_interpreter", "group.interpreter",
         "s.add_interpreter", "s.interpreter_like"),
        "tests/rules/test_languages.py",
        "Availability and a possible cover at each start in the candidate starts; the cover itself and "
        "each interpreter's time in the model.",
    ),
)


def rule(number: int) -> HardRule:
    """The catalogue entry of hard rule `number` (1..10)."""
    return CATALOGUE[number - 1]


def markdown_table() -> str:
    """The catalogue as the Markdown table of docs/model.md ("Where each rule lives")."""
    lines = ["| # | rule | model (scheduler/rules) | candidate starts / cohorts | validator | explanation texts "
             "(explain/messages.py) | tests |",
             "|---|---|---|---|---|---|---|"]
    for r in CATALOGUE:
        model = ", ".join(f"`{_short(n, 'scheduler.rules.')}`" for n in r.model) or "—"
        starts = ", ".join(f"`{_short(n, 'scheduler.prepare.')}`" for n in r.candidate_starts) or "—"
        texts = ", ".join(f"`{t}`" for t in r.texts)
        lines.append(f"| {r.number} | {r.name} | {model} | {starts} | `{_short(r.validator, 'scheduler.')}` "
                     f"| {texts} | `{r.test_module}`, `{r.validator_tests}` |")
    return "\n".join(lines)


def _short(name: str, prefix: str) -> str:
    return name[len(prefix):] if name.startswith(prefix) else name
