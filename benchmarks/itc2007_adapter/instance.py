"""ITC-2007 Track 3 instances (`.ctt`) and solutions (`.sol`): plain frozen dataclasses.

In the scheduler's words: a course's lectures are its *sessions*, a curriculum is a group
of courses whose sessions must never meet in the same period (a *conflicting group*), a
course's teacher is its *trainer* (one trainer per course, never in two periods at once),
the days x periods-per-day grid gives the *start slots* (period index
``p = day * periods_per_day + day_period``), and the UNAVAILABILITY_CONSTRAINTS are
*course unavailability* (that course may not be held in that period). Every room suits
every course; only its capacity matters.

Nothing here knows about the solver. The format is in
``shared/bench/itc2007/README.md`` (technical report, section 4.1).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

HEADER_KEYS = ("Name", "Courses", "Rooms", "Days", "Periods_per_day", "Curricula", "Constraints")
SECTIONS = ("COURSES:", "ROOMS:", "CURRICULA:", "UNAVAILABILITY_CONSTRAINTS:")


class InstanceError(ValueError):
    """A malformed `.ctt` (or solution) file; the message names the file and line."""

    def __init__(self, source: str, line: int | None, message: str):
        self.source, self.line, self.detail = source, line, message
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Course:
    id: str
    teacher: str  # the course's trainer
    lectures: int  # sessions per week, each in a distinct period
    min_working_days: int  # the lectures should be spread over at least this many days
    students: int


@dataclass(frozen=True)
class Room:
    id: str
    capacity: int


@dataclass(frozen=True)
class Curriculum:
    id: str
    courses: tuple[str, ...]  # a conflicting group: no two of these courses in one period


@dataclass(frozen=True)
class Instance:
    name: str
    days: int
    periods_per_day: int
    courses: tuple[Course, ...]
    rooms: tuple[Room, ...]
    curricula: tuple[Curriculum, ...]
    unavailable: frozenset[tuple[str, int]]  # (course id, period index)

    @property
    def periods(self) -> int:
        return self.days * self.periods_per_day

    def period(self, day: int, day_period: int) -> int:
        return day * self.periods_per_day + day_period

    def day_of(self, p: int) -> int:
        return p // self.periods_per_day

    def slot_of(self, p: int) -> int:
        """The period's index within its day."""
        return p % self.periods_per_day

    @cached_property
    def course_by_id(self) -> dict[str, Course]:
        return {c.id: c for c in self.courses}

    @cached_property
    def room_by_id(self) -> dict[str, Room]:
        return {r.id: r for r in self.rooms}

    @property
    def total_lectures(self) -> int:
        return sum(c.lectures for c in self.courses)


@dataclass(frozen=True)
class Lecture:
    """One line of a solution: a lecture of `course` in `room` on `day`, `day_period`."""

    course: str
    room: str
    day: int
    day_period: int


# -- parsing ---------------------------------------------------------------------------


def _int(tok: str, what: str, source: str, line: int, minimum: int = 0) -> int:
    try:
        v = int(tok)
    except ValueError:
        raise InstanceError(source, line, f"{what} must be a whole number, got {tok!r}") from None
    if v < minimum:
        raise InstanceError(source, line, f"{what} must be at least {minimum}, got {v}")
    return v


def parse_instance(text: str, source: str = "<string>") -> Instance:
    """Parse the text of a `.ctt` file. Tokens are separated by blanks or tabs; blank lines
    are ignored. Every error names the line it was found on."""
    lines = [(n, ln.split()) for n, ln in enumerate(text.splitlines(), start=1)]
    lines = [(n, toks) for n, toks in lines if toks]
    pos = 0

    def next_line(expect: str) -> tuple[int, list[str]]:
        nonlocal pos
        if pos >= len(lines):
            last = lines[-1][0] if lines else None
            raise InstanceError(source, last, f"the file ends where {expect} was expected")
        item = lines[pos]
        pos += 1
        return item

    header: dict[str, str] = {}
    header_line: dict[str, int] = {}
    for key in HEADER_KEYS:
        n, toks = next_line(f"the header line '{key}: ...'")
        if toks[0] != f"{key}:" or len(toks) != 2:
            raise InstanceError(source, n, f"expected '{key}: <value>', got {' '.join(toks)!r}")
        header[key], header_line[key] = toks[1], n
    counts = {k: _int(header[k], k, source, header_line[k], 1 if k in ("Days", "Periods_per_day") else 0)
              for k in HEADER_KEYS[1:]}
    days, ppd = counts["Days"], counts["Periods_per_day"]

    def section(marker: str, count: int, width) -> list[tuple[int, list[str]]]:
        n, toks = next_line(f"the section marker {marker}")
        if toks != [marker]:
            raise InstanceError(source, n, f"expected the section marker {marker!r}, got {' '.join(toks)!r}")
        rows = []
        for _ in range(count):
            n, toks = next_line(f"one of the {count} lines of {marker}")
            if toks[0] in SECTIONS or toks[0] == "END.":
                raise InstanceError(source, n, f"{marker} has fewer lines than the header's {count}")
            if not width(toks):
                raise InstanceError(source, n, f"malformed {marker[:-1]} line {' '.join(toks)!r}")
            rows.append((n, toks))
        return rows

    courses: list[Course] = []
    course_rows = section("COURSES:", counts["Courses"], lambda t: len(t) == 5)
    for n, t in course_rows:
        c = Course(t[0], t[1], _int(t[2], "#Lectures", source, n), _int(t[3], "MinWorkingDays", source, n),
                   _int(t[4], "#Students", source, n))
        if c.lectures > days * ppd:
            raise InstanceError(source, n, f"course {c.id} has {c.lectures} lectures but there are only "
                                           f"{days * ppd} periods")
        courses.append(c)
    course_ids = _unique(course_rows, "course", source)

    room_rows = section("ROOMS:", counts["Rooms"], lambda t: len(t) == 2)
    rooms = [Room(t[0], _int(t[1], "room capacity", source, n)) for n, t in room_rows]
    _unique(room_rows, "room", source)

    curricula: list[Curriculum] = []
    curriculum_rows = section("CURRICULA:", counts["Curricula"], lambda t: len(t) >= 2)
    _unique(curriculum_rows, "curriculum", source)
    for n, t in curriculum_rows:
        k = _int(t[1], "#Courses", source, n)
        if len(t) != 2 + k:
            raise InstanceError(source, n, f"curriculum {t[0]} says {k} courses but lists {len(t) - 2}")
        for cid in t[2:]:
            if cid not in course_ids:
                raise InstanceError(source, n, f"curriculum {t[0]} names unknown course {cid!r}")
        if len(set(t[2:])) != k:
            raise InstanceError(source, n, f"curriculum {t[0]} lists a course twice")
        curricula.append(Curriculum(t[0], tuple(t[2:])))

    unavailable: set[tuple[str, int]] = set()
    for n, t in section("UNAVAILABILITY_CONSTRAINTS:", counts["Constraints"], lambda t: len(t) == 3):
        if t[0] not in course_ids:
            raise InstanceError(source, n, f"unavailability names unknown course {t[0]!r}")
        d, q = _int(t[1], "Day", source, n), _int(t[2], "Day_Period", source, n)
        if d >= days or q >= ppd:
            raise InstanceError(source, n, f"day {d}, period {q} is outside {days} days x {ppd} periods")
        unavailable.add((t[0], d * ppd + q))

    n, toks = next_line("END.")
    if toks != ["END."]:
        raise InstanceError(source, n, f"expected 'END.' after the sections (a header count too small?), "
                                       f"got {' '.join(toks)!r}")
    if pos < len(lines):
        raise InstanceError(source, lines[pos][0], "text after 'END.'")
    return Instance(header["Name"], days, ppd, tuple(courses), tuple(rooms), tuple(curricula),
                    frozenset(unavailable))


def _unique(rows: list[tuple[int, list[str]]], what: str, source: str) -> set[str]:
    """The ids (first tokens) of a section's rows; an id given twice is an error."""
    seen: dict[str, int] = {}
    for n, toks in rows:
        if toks[0] in seen:
            raise InstanceError(source, n, f"{what} id {toks[0]!r} appears twice (first on line {seen[toks[0]]})")
        seen[toks[0]] = n
    return set(seen)


def load_instance(path: str | Path) -> Instance:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InstanceError(str(path), None, f"cannot read: {exc.strerror or exc}") from None
    return parse_instance(text, str(path))


# -- solutions ---------------------------------------------------------------------------


def parse_solution(text: str, source: str = "<string>") -> list[Lecture]:
    """Parse solution lines `<CourseID> <RoomID> <Day> <Day_Period>` (blank lines ignored).
    Ids are not checked against an instance here: the evaluator does that, as the
    official validator does (it warns and skips unknown ids)."""
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        t = line.split()
        if not t:
            continue
        if len(t) != 4:
            raise InstanceError(source, n, f"expected '<CourseID> <RoomID> <Day> <Day_Period>', got {line.strip()!r}")
        out.append(Lecture(t[0], t[1], _int(t[2], "Day", source, n), _int(t[3], "Day_Period", source, n)))
    return out


def load_solution(path: str | Path) -> list[Lecture]:
    path = Path(path)
    return parse_solution(path.read_text(encoding="utf-8"), str(path))


def format_solution(lectures) -> str:
    """The solution text, one lecture per line, sorted by course, day and period."""
    rows = sorted(lectures, key=lambda lc: (lc.course, lc.day, lc.day_period))
    return "".join(f"{lc.course} {lc.room} {lc.day} {lc.day_period}\n" for lc in rows)
