"""The hard rules and objective terms as model constraints, one module per rule.

Rules that depend on one session alone (calendar, plan window, shift fit, daily rest against
the shifts, availability, room fit) are already in the candidate starts
(`scheduler.prepare.problem`); the modules here add what couples sessions:

  completeness.py  rule 1   a track is taken in order: no session without its predecessor
  trainers.py      rule 3   each trainer's time (with travel.py) and limits
  rooms.py         rule 4   one session at a time per room
  participants.py  rule 5   no participant in two sessions at once
  order.py         rule 6   module and index order, gap bounds
  staffing.py      rule 7   each team's staffing slack during its shifts
  languages.py     rule 10  language cover, each interpreter's time (with travel.py)
  objective.py     the objective terms
  model.py         `build_model`: all of them on one `ModelBuilder` (builder.py)
  catalogue.py     all ten rules: where each is enforced, checked, explained and tested

Every rule function takes an optional enforcement literal (enforce.py), so the conflict
search (`scheduler.explain.conflicts`) uses these same functions. The independent validator
(`scheduler.validate`) re-checks all ten rules with its own code.
"""

from scheduler.rules.completeness import completeness_rule
from scheduler.rules.languages import interpreter_time, language_cover, language_rule
from scheduler.rules.model import HARD_RULES, build_model
from scheduler.rules.objective import (
    OBJECTIVE,
    move_session_cost,
    participant_cost,
    trainer_change_cost,
    trainer_cost,
    travel_cost,
    unscheduled_cost,
)
from scheduler.rules.order import order_rule
from scheduler.rules.participants import participant_rule
from scheduler.rules.rooms import room_rule, room_time
from scheduler.rules.staffing import staffing_demand, staffing_rule, team_staffing
from scheduler.rules.trainers import trainer_limits, trainer_rule, trainer_time

__all__ = [
    "HARD_RULES",
    "OBJECTIVE",
    "build_model",
    "completeness_rule",
    "interpreter_time",
    "language_cover",
    "language_rule",
    "move_session_cost",
    "order_rule",
    "participant_cost",
    "participant_rule",
    "room_rule",
    "room_time",
    "staffing_demand",
    "staffing_rule",
    "team_staffing",
    "trainer_change_cost",
    "trainer_cost",
    "trainer_limits",
    "trainer_rule",
    "trainer_time",
    "travel_cost",
    "unscheduled_cost",
]
