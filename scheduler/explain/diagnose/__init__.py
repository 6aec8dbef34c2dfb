"""Pre-solve diagnosis: capacity checks that catch the common impossibilities in seconds.

Each check is one function `check_<what>(ctx) -> list[Finding]` that looks at the scenario
before any optimization and names what certainly (severity `error`) or probably keeps
sessions from being scheduled, with the change that would resolve it:

* a module's qualification held by no trainer; trainers' hours vs. the hours needed per
  qualification within the plans' windows;
* a team's staffing slack vs. the participants who may train only during their shifts;
* rooms by capacity, features and site;
* languages no qualified trainer and no interpreter speaks;
* plans whose window is shorter than their track needs given the gap rules;
* participants with no admissible start at all (calendar + plan window + shift fit + rest);
* participants no cohort can hold (group sizes);
* any other session without a single possible start time (from the candidate starts).

Every suggestion carries structured changes (see `findings.py`); `diagnose(verify=True)`
applies each suggestion of an error finding to a copy of the scenario and runs the
diagnosis again, marking the suggestion `verified` when the finding is gone.

Modules:

* `outline`      - the part of the planning problem the checks read, and whether one start exists;
* `context`      - `Ctx`, what every check reads, and the changes suggestions propose;
* `trainers`     - qualifications held by no trainer; trainer hours against the hours needed;
* `languages`    - languages nobody speaks; interpreter hours against the hours needed;
* `rooms`        - rooms by site, features and capacity;
* `staffing`     - staffing slack per cohort and per team;
* `windows`      - plan windows shorter than their track needs;
* `starts`       - participants without an admissible start; sessions without any start;
* `cohort_sizes` - participants no cohort can hold;
* `run`          - `diagnose`: the checks in order, and the suggestions verified.
"""

from scheduler.explain.diagnose.cohort_sizes import check_cohort_sizes
from scheduler.explain.diagnose.context import Ctx, new_interpreter_change, new_room_change, new_trainer_change
from scheduler.explain.diagnose.languages import check_interpreter_capacity, check_language_support
from scheduler.explain.diagnose.outline import Outline
from scheduler.explain.diagnose.rooms import check_rooms
from scheduler.explain.diagnose.run import CHECKS, VERIFY_SECONDS, diagnose
from scheduler.explain.diagnose.staffing import check_staffing, check_staffing_load
from scheduler.explain.diagnose.starts import check_admissible_starts, check_sessions_without_start
from scheduler.explain.diagnose.trainers import check_trainer_capacity, check_trainer_qualifications
from scheduler.explain.diagnose.windows import check_plan_windows, earliest_end

__all__ = [
    "CHECKS", "VERIFY_SECONDS", "Ctx", "Outline", "check_admissible_starts", "check_cohort_sizes",
    "check_interpreter_capacity", "check_language_support", "check_plan_windows", "check_rooms",
    "check_sessions_without_start", "check_staffing", "check_staffing_load", "check_trainer_capacity",
    "check_trainer_qualifications", "diagnose", "earliest_end", "new_interpreter_change", "new_room_change",
    "new_trainer_change",
]
