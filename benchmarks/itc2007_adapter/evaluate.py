"""The official ITC-2007 Track 3 cost of a solution, independent of the model.

Written from the definitions of the technical report (section 3) and the official
validator `ctt-validator.cc` v1.1, as summarised in ``shared/bench/itc2007/README.md``.
It shares no code with the engine or `engine_input.py`: it only reads the instance and the solution lines.

Bad lines are treated as the validator treats them: an unknown course or room, or a day or
period out of range, gives a warning and the line is skipped; a second lecture of the same
course in the same period is skipped with a warning ("Repeated entry").

Hard violations (counts):
  Lectures        |scheduled - required| per course
  Conflicts       +1 per pair of courses sharing a curriculum or a teacher, per period
                  in which both have a lecture
  Availability    +1 per lecture in a period where its course is unavailable
  RoomOccupancy   +(n - 1) for n lectures in one room in one period
Soft costs (already weighted, as the validator prints them):
  RoomCapacity           1 x students without a seat, summed over lectures
  MinWorkingDays         5 x missing working days per course
  CurriculumCompactness  2 x isolated lectures, per curriculum (a lecture of a course in k
                         curricula can count k times)
  RoomStability          1 x (distinct rooms of a course - 1)
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from benchmarks.itc2007_adapter.instance import Instance, Lecture, load_solution, parse_solution

MIN_WORKING_DAYS_WEIGHT = 5
COMPACTNESS_WEIGHT = 2

#: Best known objective values (feasible solutions), from shared/bench/itc2007/README.md:
#: Bettinelli et al., TOP 23 (2015), Tables 1-3, the Udine CB-CTT site as of 9 Oct 2014.
#: True in the second field: a matching lower bound is known (proven optimal). comp15 is the
#: same instance as comp03. Unverified later claims (Ceschia et al. 2023, via a third party):
#: comp12 = 294 and comp03/comp15 = 62; not used here.
BEST_KNOWN: dict[str, tuple[int, bool]] = {
    "comp01": (5, True), "comp02": (24, False), "comp03": (64, False), "comp04": (35, True),
    "comp05": (284, False), "comp06": (27, True), "comp07": (6, True), "comp08": (37, True),
    "comp09": (96, True), "comp10": (4, True), "comp11": (0, True), "comp12": (298, False),
    "comp13": (59, True), "comp14": (51, True), "comp15": (64, False), "comp16": (18, True),
    "comp17": (56, True), "comp18": (61, True), "comp19": (57, True), "comp20": (4, True),
    "comp21": (74, True),
}
#: The instances' `Name:` lines, for files not named compNN.ctt.
INSTANCE_NAMES = {
    "Fis0506-1": "comp01", "Ing0203-2": "comp02", "Ing0304-1": "comp03", "Ing0405-3": "comp04",
    "Let0405-1": "comp05", "Ing0506-1": "comp06", "Ing0607-2": "comp07", "Ing0607-3": "comp08",
    "Ing0304-3": "comp09", "Ing0405-2": "comp10", "Fis0506-2": "comp11", "Let0506-2": "comp12",
    "Ing0506-3": "comp13", "Ing0708-1": "comp14", "Ing0203-1": "comp15", "Ing0607-1": "comp16",
    "Ing0405-1": "comp17", "Let0304-1": "comp18", "Ing0203-3": "comp19", "Ing0506-2": "comp20",
    "Ing0304-2": "comp21",
}


def best_known(instance_name: str, path: str | Path | None = None) -> tuple[str, int, bool] | None:
    """(compNN, best known cost, proven optimal) for an instance, by its file name or its
    `Name:` line; None for other instances (e.g. the toy example)."""
    key = Path(path).stem if path is not None else None
    if key not in BEST_KNOWN:
        key = INSTANCE_NAMES.get(instance_name)
    if key is None:
        return None
    value, optimal = BEST_KNOWN[key]
    return key, value, optimal


def ratio(cost: int, best: int) -> float | None:
    """cost / best known (None when the best known is 0: then only cost 0 matches it)."""
    return cost / best if best else None


@dataclass(frozen=True)
class Evaluation:
    lectures: int
    conflicts: int
    availability: int
    room_occupancy: int
    room_capacity: int
    min_working_days: int  # weighted (x5)
    curriculum_compactness: int  # weighted (x2)
    room_stability: int
    warnings: tuple[str, ...] = ()

    @property
    def violations(self) -> int:
        """Distance to feasibility: the sum of all hard violations."""
        return self.lectures + self.conflicts + self.availability + self.room_occupancy

    @property
    def cost(self) -> int:
        return self.room_capacity + self.min_working_days + self.curriculum_compactness + self.room_stability

    def soft_costs(self) -> dict[str, int]:
        return {"RoomCapacity": self.room_capacity, "MinWorkingDays": self.min_working_days,
                "CurriculumCompactness": self.curriculum_compactness, "RoomStability": self.room_stability}

    def hard_violations(self) -> dict[str, int]:
        return {"Lectures": self.lectures, "Conflicts": self.conflicts, "Availability": self.availability,
                "RoomOccupation": self.room_occupancy}


def evaluate(instance: Instance, solution: list[Lecture] | str | Path) -> Evaluation:
    """Score `solution` (a list of lectures, solution text, or a path to a .sol file)."""
    if isinstance(solution, Path):
        solution = load_solution(solution)
    elif isinstance(solution, str):
        solution = parse_solution(solution)
    inst = instance
    courses = inst.course_by_id
    rooms = inst.room_by_id
    warnings: list[str] = []

    # Timetable as the validator holds it: course -> period -> room.
    table: dict[str, dict[int, str]] = defaultdict(dict)
    for lc in solution:
        if lc.course not in courses:
            warnings.append(f"unknown course {lc.course!r}: line skipped")
            continue
        if lc.room not in rooms:
            warnings.append(f"unknown room {lc.room!r}: line skipped")
            continue
        if not (0 <= lc.day < inst.days and 0 <= lc.day_period < inst.periods_per_day):
            warnings.append(f"day {lc.day} period {lc.day_period} out of range: line skipped")
            continue
        p = lc.day * inst.periods_per_day + lc.day_period
        if p in table[lc.course]:
            warnings.append(f"Repeated entry: {lc.course} day {lc.day} period {lc.day_period}: line skipped")
            continue
        table[lc.course][p] = lc.room

    # -- hard -------------------------------------------------------------------------
    lectures = sum(abs(len(table.get(c.id, {})) - c.lectures) for c in inst.courses)

    curricula_of: dict[str, set[str]] = defaultdict(set)
    for q in inst.curricula:
        for cid in q.courses:
            curricula_of[cid].add(q.id)
    conflicts = 0
    ids = [c.id for c in inst.courses]
    for a in range(len(ids)):
        ca = courses[ids[a]]
        for b in range(a + 1, len(ids)):
            cb = courses[ids[b]]
            if ca.teacher == cb.teacher or curricula_of[ca.id] & curricula_of[cb.id]:
                conflicts += len(table.get(ca.id, {}).keys() & table.get(cb.id, {}).keys())

    availability = sum(1 for cid, periods in table.items() for p in periods if (cid, p) in inst.unavailable)

    in_room: dict[tuple[str, int], int] = defaultdict(int)
    for periods in table.values():
        for p, r in periods.items():
            in_room[r, p] += 1
    room_occupancy = sum(n - 1 for n in in_room.values() if n > 1)

    # -- soft -------------------------------------------------------------------------
    room_capacity = sum(max(0, courses[cid].students - rooms[r].capacity)
                        for cid, periods in table.items() for r in periods.values())

    missing_days = 0
    for c in inst.courses:
        days = {p // inst.periods_per_day for p in table.get(c.id, {})}
        missing_days += max(0, c.min_working_days - len(days))

    isolated = 0
    for q in inst.curricula:
        count = [0] * inst.periods
        for cid in q.courses:
            for p in table.get(cid, {}):
                count[p] += 1
        for p in range(inst.periods):
            if not count[p]:
                continue
            slot = p % inst.periods_per_day
            before = count[p - 1] if slot > 0 else 0
            after = count[p + 1] if slot < inst.periods_per_day - 1 else 0
            if not before and not after:
                isolated += count[p]

    room_stability = sum(max(0, len(set(periods.values())) - 1) for periods in table.values())

    return Evaluation(lectures, conflicts, availability, room_occupancy, room_capacity,
                      MIN_WORKING_DAYS_WEIGHT * missing_days, COMPACTNESS_WEIGHT * isolated, room_stability,
                      tuple(warnings))


def format_evaluation(ev: Evaluation) -> str:
    """The validator's summary lines."""
    lines = [f"Violations of {k} (hard) : {v}" for k, v in ev.hard_violations().items()]
    lines += [f"Cost of {k} (soft) : {v}" for k, v in ev.soft_costs().items()]
    lines.append(f"Summary: Violations = {ev.violations}, Total Cost = {ev.cost}")
    return "\n".join(lines)
