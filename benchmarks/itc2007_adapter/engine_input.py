"""An ITC-2007 Track 3 instance as modulplan's own input: a scenario and four costs of its own.

The engine is not told it solves a benchmark. The instance becomes a programme in the
format of `shared/spec/scenario-v1.md`, checked by the same schemas as a coordinator's:

* one workplace, a one-week horizon whose days are the instance's days and whose start
  times are its periods (one hour each, from 08:00);
* every room a site of its own, all at no travel from each other: the search's neighbourhoods
  take sessions that share a trainer, a room, a site or a team, and with one site every
  session would be every other's neighbour (measured on six instances at 30 s: 1 679 so,
  1 452 with a site per room and a team per curriculum);
* a lecture is a track of its own (one module of one session), all of a course's taught by
  its teacher (a trainer qualified for exactly that teacher's courses). Not one module of
  several sessions: a module's sessions come in order, so a search that moves the second
  lecture would have to move the later ones too (measured: comp01 at 30 s cost 1 044 so,
  10 with a track per lecture);
* a curriculum is a participant (``Q-<curriculum>``, in a team of its own) enrolled in the
  tracks of its courses:
  a person is never in two sessions at once, so no two courses of one curriculum meet in the
  same period (the hard conflict rule, with no rule of its own);
* every course has a participant of its own (``K-<course>``) in a team of its own whose
  ``blocked`` periods are the course's UNAVAILABILITY_CONSTRAINTS (rule 7);
* rooms keep their order by size, and every cohort fits every room (in ITC-2007 a room too
  small is a cost, not a refusal);
* every weight of the spec but ``unscheduled_session`` is 0 (no shifts, no travel, no
  lateness, trainers cost nothing).

The cohorts are given, one per lecture with all its course's participants (the lectures of a
course share people, so they never meet in one period) (min_group = max_group, so the
search's cohort moves have nothing to re-form), and the instance's soft constraints are the
problem's `objective_terms` (`ItcCosts`): the search's ledger counts them beside the spec's.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from benchmarks.itc2007_adapter.instance import Instance, Lecture
from scheduler.domain import build_scenario
from scheduler.format.loading import load_scenario
from scheduler.prepare.cohorts import Cohort
from scheduler.prepare.problem import Placement, PlanningProblem

MONDAY = date(2025, 2, 3)  # a week with no Swedish public holiday and no change of clock
FIRST_HOUR = 8
WORKPLACE, SITE = "ITC", "S"
ROOM_SLACK = 10_000  # added to every capacity: every cohort fits, the order by size stays

# The official weights (technical report, section 4.2).
ROOM_CAPACITY, MIN_WORKING_DAYS, CURRICULUM_COMPACTNESS, ROOM_STABILITY = 1, 5, 2, 1


def _hour(inst: Instance, p: int, hours_later: int = 0) -> str:
    """Period p's start (or the hour `hours_later` after it) as a local date-time of the week."""
    day = MONDAY + timedelta(days=inst.day_of(p))
    return f"{day.isoformat()}T{FIRST_HOUR + inst.slot_of(p) + hours_later:02d}:00"


def scenario_document(inst: Instance) -> dict:
    """The instance as a scenario document of the spec (not yet checked)."""
    if inst.days > 7:
        raise ValueError(f"{inst.name}: {inst.days} days do not fit in one week")
    if FIRST_HOUR + inst.periods_per_day > 24:
        raise ValueError(f"{inst.name}: {inst.periods_per_day} periods of an hour do not fit in a day")
    last = MONDAY + timedelta(days=inst.days - 1)
    curricula_of: dict[str, list[str]] = {c.id: [] for c in inst.courses}
    for q in inst.curricula:
        for cid in q.courses:
            curricula_of[cid].append(q.id)
    blocked: dict[str, list[int]] = {c.id: [] for c in inst.courses}
    for cid, p in sorted(inst.unavailable):
        blocked[cid].append(p)
    teams = [{"id": f"T-{q.id}", "pattern": "off", "headcount": 1, "min_staffing": 0} for q in inst.curricula]
    teams += [{"id": f"T-{c.id}", "pattern": "off", "headcount": 1, "min_staffing": 0,
               "blocked": [{"start": _hour(inst, p), "end": _hour(inst, p, 1), "reason": "unavailable"}
                           for p in blocked[c.id]]}
              for c in inst.courses]
    teachers: dict[str, list[str]] = {}
    for c in inst.courses:
        teachers.setdefault(c.teacher, []).append(f"M-{c.id}")
    plans = []
    for c in inst.courses:
        people = [{"id": f"Q-{q}", "team": f"T-{q}"} for q in curricula_of[c.id]]
        people.append({"id": f"K-{c.id}", "team": f"T-{c.id}"})
        plans += [{"id": f"P-{c.id}-{k}", "workplace": WORKPLACE, "track": f"K-{c.id}-{k}", "participants": people,
                   "earliest": MONDAY.isoformat(), "deadline": last.isoformat(),
                   "allow_on_shift": False, "allow_off_shift": True} for k in range(1, c.lectures + 1)]
    size = {c.id: len(curricula_of[c.id]) + 1 for c in inst.courses}
    return {
        "format": "modulplan/scenario-1",
        "id": f"itc2007-{inst.name}",
        "name": f"ITC-2007 {inst.name}",
        "timezone": "Europe/Stockholm",
        "horizon": {"start": MONDAY.isoformat(), "end": last.isoformat()},
        "calendar": {"holidays": None, "weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                     "start_times": [f"{FIRST_HOUR + k:02d}:00" for k in range(inst.periods_per_day)],
                     "daily_rest_hours": 0},
        "shift_types": [],
        "shift_patterns": [{"id": "off", "anchor": MONDAY.isoformat(), "cycle": ["-"]}],
        "sites": [{"id": SITE, "name": "ITC-2007"}] + [{"id": f"S-{r.id}", "name": r.id} for r in inst.rooms],
        "travel": {"default_minutes": 0},
        "workplaces": [{"id": WORKPLACE, "name": inst.name, "site": SITE, "teams": teams}],
        "rooms": [{"id": r.id, "site": f"S-{r.id}", "capacity": r.capacity + ROOM_SLACK} for r in inst.rooms],
        "trainers": [{"id": t, "name": t, "qualifications": mods, "home_site": SITE, "cost_per_hour": 0}
                     for t, mods in teachers.items()],
        "modules": [{"id": f"M-{c.id}-{k}", "name": f"{c.id} ({k})", "sessions": 1, "duration_minutes": 60,
                     "qualification": f"M-{c.id}", "location": "any"}
                    for c in inst.courses for k in range(1, c.lectures + 1)],
        "tracks": [{"id": f"K-{c.id}-{k}", "modules": [f"M-{c.id}-{k}"], "min_group": size[c.id],
                    "max_group": size[c.id]} for c in inst.courses for k in range(1, c.lectures + 1)],
        "action_plans": plans,
        "weights": {"backfill_per_hour": 0, "overtime_per_hour": 0, "travel_per_minute": 0, "late_per_day": 0,
                    "trainer_change": 0},
    }


def planning_problem(inst: Instance) -> PlanningProblem:
    """The engine's problem for the instance: the scenario checked and prepared, one cohort per
    course, and the instance's soft constraints as objective terms."""
    doc = load_scenario(scenario_document(inst))
    scenario = build_scenario(doc)
    cohorts = []
    for plan in scenario.action_plans.values():
        teams = Counter(scenario.participants[x].team for x in plan.participants)
        cohorts.append(Cohort(id=f"C-{plan.track[2:]}", track=plan.track, plans=(plan.id,), workplaces=(WORKPLACE,),
                              participants=plan.participants, team_counts=tuple(sorted(teams.items())),
                              languages=frozenset()))
    problem = PlanningProblem(scenario, cohorts=cohorts)
    problem.objective_terms = (lambda pr: ItcCosts(inst, pr),)
    return problem


class _Where:
    """Course, period and room of placements, in the instance's terms."""

    def __init__(self, inst: Instance, problem: PlanningProblem):
        self.inst, self.p = inst, problem
        index = {c.id: n for n, c in enumerate(inst.courses)}
        self.course_of = [index[s.module_id[2:].rsplit("-", 1)[0]] for s in problem.sessions]
        self._period: dict[int, int] = {}  # candidate start (minutes) -> period

    def period(self, pl: Placement) -> int:
        c = self.p.options[pl.session].candidates[pl.candidate]
        got = self._period.get(c.start)
        if got is None:
            day = (c.slot.day - MONDAY).days
            got = self._period[c.start] = self.inst.period(day, c.slot.start_time.hour - FIRST_HOUR)
        return got


def lectures_of(inst: Instance, problem: PlanningProblem, placed: dict[int, Placement]) -> list[Lecture]:
    """A schedule of the engine as the instance's solution lines."""
    where = _Where(inst, problem)
    out = []
    for pl in placed.values():
        p = where.period(pl)
        out.append(Lecture(inst.courses[where.course_of[pl.session]].id, pl.room or "",
                           inst.day_of(p), inst.slot_of(p)))
    return out


class ItcCosts:
    """The instance's four soft constraints, kept placement by placement (an `ObjectiveTerm`):

    * room capacity: each student of a lecture beyond its room's capacity, 1;
    * minimum working days: each day a course's lectures are spread over fewer than its
      minimum, 5;
    * curriculum compactness: each lecture of a curriculum with no other lecture of that
      curriculum in the period before or after on the same day, 2;
    * room stability: each room beyond the first that a course's lectures use, 1.
    """

    def __init__(self, inst: Instance, problem: PlanningProblem):
        self.inst = inst
        self.where = _Where(inst, problem)
        self.ppd = inst.periods_per_day
        courses = inst.courses
        q_index = {q.id: n for n, q in enumerate(inst.curricula)}
        self.curricula_of = [[] for _ in courses]
        pos = {c.id: n for n, c in enumerate(courses)}
        for q in inst.curricula:
            for cid in q.courses:
                self.curricula_of[pos[cid]].append(q_index[q.id])
        self.students = [c.students for c in courses]
        self.min_days = [c.min_working_days for c in courses]
        self.capacity = {r.id: r.capacity for r in inst.rooms}
        self.occupied = [[0] * inst.periods for _ in inst.curricula]
        self.days = [Counter() for _ in courses]
        self.rooms = [Counter() for _ in courses]
        self.capacity_excess = 0  # students beyond their rooms' capacity, over all lectures placed
        self._at_period: dict[tuple[int, int], float] = {}  # (course, period) -> its part of add_delta, until a change

    def _isolated_around(self, q: int, p: int) -> int:
        """Isolated lectures of curriculum q in periods p-1, p, p+1 (same day)."""
        occ, ppd = self.occupied[q], self.ppd
        first = p - p % ppd
        last = first + ppd - 1
        n = 0
        for x in range(max(first, p - 1), min(last, p + 1) + 1):
            if occ[x] and not ((x > first and occ[x - 1]) or (x < last and occ[x + 1])):
                n += occ[x]
        return n

    def _apply(self, pl: Placement, sign: int) -> float:
        c = self.where.course_of[pl.session]
        p = self.where.period(pl)
        day = p // self.ppd
        delta = 0.0
        if pl.room is not None:
            excess = max(0, self.students[c] - self.capacity[pl.room])
            self.capacity_excess += sign * excess
            delta += sign * ROOM_CAPACITY * excess
            rooms = self.rooms[c]
            before = max(0, len(rooms) - 1)
            rooms[pl.room] += sign
            if rooms[pl.room] <= 0:
                del rooms[pl.room]
            delta += ROOM_STABILITY * (max(0, len(rooms) - 1) - before)
        days = self.days[c]
        # counted from a course's first lecture on (a course not placed at all costs nothing
        # here: it is the engine's unscheduled sessions), so that the sum is the official cost
        before = max(0, self.min_days[c] - len(days)) if days else 0
        days[day] += sign
        if days[day] <= 0:
            del days[day]
        delta += MIN_WORKING_DAYS * ((max(0, self.min_days[c] - len(days)) if days else 0) - before)
        for q in self.curricula_of[c]:
            was = self._isolated_around(q, p)
            self.occupied[q][p] += sign
            delta += CURRICULUM_COMPACTNESS * (self._isolated_around(q, p) - was)
        return delta

    def change(self, pl: Placement, sign: int) -> float:
        self._at_period.clear()
        return self._apply(pl, sign)

    def add_delta(self, pl: Placement) -> float:
        """The room's part (capacity, stability) and the period's (working days, compactness)
        apart: the search compares every free room at a few starts between two changes, and
        the period's part is the same for all rooms of a start."""
        c = self.where.course_of[pl.session]
        p = self.where.period(pl)
        part = self._at_period.get((c, p))
        if part is None:
            part = self._at_period[c, p] = self._period_delta(c, p)
        if pl.room is None:
            return part
        rooms = self.rooms[c]
        return (part + ROOM_CAPACITY * max(0, self.students[c] - self.capacity[pl.room])
                + ROOM_STABILITY * (1 if rooms and pl.room not in rooms else 0))

    def _period_delta(self, c: int, p: int) -> float:
        """What one more lecture of course c in period p adds to working days and compactness."""
        days = self.days[c]
        day = p // self.ppd
        before = max(0, self.min_days[c] - len(days)) if days else 0
        after = max(0, self.min_days[c] - len(days) - (0 if day in days else 1))
        delta = MIN_WORKING_DAYS * (after - before)
        for q in self.curricula_of[c]:
            was = self._isolated_around(q, p)
            self.occupied[q][p] += 1
            delta += CURRICULUM_COMPACTNESS * (self._isolated_around(q, p) - was)
            self.occupied[q][p] -= 1
        return delta

    def totals(self) -> dict[str, int]:
        """The four costs of what is placed now, each counted from scratch (the check on the
        deltas), named as the evaluator names them."""
        ppd, compact = self.ppd, 0
        for occ in self.occupied:
            for x, n in enumerate(occ):
                first, last = x - x % ppd, x - x % ppd + ppd - 1
                if n and not ((x > first and occ[x - 1]) or (x < last and occ[x + 1])):
                    compact += n
        return {"RoomCapacity": ROOM_CAPACITY * self.capacity_excess,
                "MinWorkingDays": MIN_WORKING_DAYS * sum(max(0, m - len(d)) for m, d in zip(self.min_days, self.days)
                                                           if d),
                "CurriculumCompactness": CURRICULUM_COMPACTNESS * compact,
                "RoomStability": ROOM_STABILITY * sum(max(0, len(r) - 1) for r in self.rooms)}
