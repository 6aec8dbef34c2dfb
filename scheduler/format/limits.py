"""Limits decided before any work starts: how large a programme modulplan takes on.

Every figure below is checked on the raw document, cheaply (one pass, no ids expanded, no
timeline built), before the format's own checks run: a request of a few hundred bytes
(a counted group of 10^8, a 200-year horizon with a start every five minutes, a module of
10^5 sessions) is refused with the field and the limit named, instead of costing minutes
and gigabytes. The defaults sit far above the largest real programmes (a national
rollout: 8 000 participants, 12 000 sessions, one year at a few start times a day) and
each can be set in the environment, ``MODULPLAN_LIMIT_<NAME>`` (e.g.
``MODULPLAN_LIMIT_PARTICIPANTS=100000``); docs/service.md lists them.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from scheduler.format.values import objects_of  # the format's own reading of "the objects of a list"

DEFAULT_START_TIMES_PER_DAY = 2  # the format's default start times ("08:00", "13:00")
DEFAULT_WEEKDAYS = 5


@dataclass(frozen=True)
class Limits:
    """The largest programme taken on. Each field: its environment name is
    ``MODULPLAN_LIMIT_`` + the field name in upper case."""

    participants: int = 50_000  # people in all plans, counted groups expanded
    sessions: int = 60_000  # sessions the plans can need at most (see `needed_sessions`)
    sessions_per_module: int = 100  # a module's `sessions`
    horizon_days: int = 1_830  # five years
    candidate_slots: int = 100_000  # open weekdays of the horizon x start times a day
    number: float = 1e9  # any number: counts, headcounts, weights, costs, minutes, days
    json_depth: int = 24  # nesting of objects and lists (a scenario needs 5)
    list_items: int = 200_000  # entries of any one list
    text_chars: int = 2_000  # characters of any one text (ids, names, notes)
    workbook_bytes: int = 40_000_000  # an .xlsx unpacked (a zip bomb is refused before it is read)
    workbook_rows: int = 100_000  # rows of any one sheet
    workbook_cells: int = 1_000_000  # cells of the whole workbook
    calendar_occurrences: int = 5_000  # events one uploaded calendar may expand to

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Limits:
        environ = os.environ if environ is None else environ
        changes: dict[str, Any] = {}  # field name -> an int, or a float for the float fields
        for f in fields(cls):
            raw = environ.get(f"MODULPLAN_LIMIT_{f.name.upper()}")
            if raw:
                changes[f.name] = float(raw) if f.type == "float" else int(raw)
        return replace(cls(), **changes)


def current_limits() -> Limits:
    """The limits in force: the defaults, changed by ``MODULPLAN_LIMIT_*``."""
    return Limits.from_environment()


def _path(parts: tuple) -> str:
    out = "$"
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def _fmt(n: float) -> str:
    return f"{n:,.0f}".replace(",", " ") if abs(n) < 1e15 else f"{n:.3g}"


def shape_problems(doc: Any, limits: Limits) -> list[tuple[str, str]]:
    """(JSON path, sentence) for every nesting, list, text and number beyond the limits, in
    one pass without recursion (a body nested 10 000 deep must not exhaust the stack)."""
    problems: list[tuple[str, str]] = []
    stack: list[tuple[Any, tuple]] = [(doc, ())]
    too_deep = False
    while stack and len(problems) < 100:
        node, path = stack.pop()
        if len(path) > limits.json_depth:
            if not too_deep:
                problems.append((_path(path[: limits.json_depth]),
                                 f"is nested deeper than the limit of {limits.json_depth} levels"))
                too_deep = True
            continue
        if isinstance(node, Mapping):
            if len(node) > limits.list_items:
                problems.append((_path(path), f"has {_fmt(len(node))} fields, more than the limit of "
                                              f"{_fmt(limits.list_items)}"))
                continue
            for key, value in node.items():
                if isinstance(key, str) and len(key) > limits.text_chars:
                    problems.append((_path(path), f"has a field name of {_fmt(len(key))} characters, more than "
                                                  f"the limit of {_fmt(limits.text_chars)}"))
                    continue
                stack.append((value, (*path, key)))
        elif isinstance(node, list):
            if len(node) > limits.list_items:
                problems.append((_path(path), f"has {_fmt(len(node))} entries, more than the limit of "
                                              f"{_fmt(limits.list_items)}"))
                continue
            stack.extend((value, (*path, i)) for i, value in enumerate(node))
        elif isinstance(node, str):
            if len(node) > limits.text_chars:
                problems.append((_path(path), f"is a text of {_fmt(len(node))} characters, more than the limit "
                                              f"of {_fmt(limits.text_chars)}"))
        elif isinstance(node, (int, float)) and not isinstance(node, bool):
            if not math.isfinite(node) or abs(node) > limits.number:
                problems.append((_path(path), f"is {_fmt(node) if math.isfinite(node) else node}, beyond the "
                                              f"limit of {_fmt(limits.number)} for any number"))
    return sorted(problems)


def _whole(value: Any) -> int:
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0 else 0


def _mapping(value: Any) -> Mapping[Any, Any]:
    return value if isinstance(value, Mapping) else {}


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def needed_sessions(doc: Mapping) -> int:
    """The most sessions the plans can need: per track, one cohort per ``min_group``
    participants (and one more below it), times the sessions of the track's modules."""
    per_track: dict[Any, int] = {}
    for _, plan in objects_of(doc, "action_plans"):
        n = sum(_whole(p.get("count")) if "count" in p else 1 for _, p in objects_of(plan, "participants"))
        key = plan.get("track")
        if isinstance(key, str):
            per_track[key] = per_track.get(key, 0) + n
    sessions_of = {m["id"]: _whole(m.get("sessions")) for _, m in objects_of(doc, "modules")
                   if isinstance(m.get("id"), str)}
    total = 0
    for _, track in objects_of(doc, "tracks"):
        people = per_track.get(track["id"], 0) if isinstance(track.get("id"), str) else 0
        if not people:
            continue
        group = max(1, _whole(track.get("min_group")))
        listed = track.get("modules")
        modules: list[Any] = listed if isinstance(listed, list) else []
        total += (math.ceil(people / group) + 1) * sum(sessions_of.get(m, 0) for m in modules if isinstance(m, str))
    return total


def size_problems(doc: Any, limits: Limits) -> list[tuple[str, str]]:
    """(JSON path, sentence) for a programme larger than the limits: participants, sessions,
    the horizon and its candidate start slots."""
    if not isinstance(doc, Mapping):
        return []
    problems: list[tuple[str, str]] = []
    people = 0
    for i, plan in objects_of(doc, "action_plans"):
        for k, part in objects_of(plan, "participants"):
            people += _whole(part.get("count")) if "count" in part else 1
            if people > limits.participants:
                problems.append((_path(("action_plans", i, "participants", k)),
                                 f"brings the programme to more than {_fmt(limits.participants)} participants, "
                                 "the limit for one programme"))
                break
        if people > limits.participants:
            break
    for i, module in objects_of(doc, "modules"):
        if _whole(module.get("sessions")) > limits.sessions_per_module:
            problems.append((_path(("modules", i, "sessions")),
                             f"module {module.get('id')} has {_fmt(_whole(module.get('sessions')))} sessions, more "
                             f"than the limit of {_fmt(limits.sessions_per_module)} for one module"))
    if people <= limits.participants and not problems:
        need = needed_sessions(doc)
        if need > limits.sessions:
            problems.append(("$.action_plans", f"the plans can need up to {_fmt(need)} sessions (one cohort per "
                                               f"min_group participants of each track), more than the limit of "
                                               f"{_fmt(limits.sessions)} for one programme"))
    horizon = _mapping(doc.get("horizon"))
    start, end = _date(horizon.get("start")), _date(horizon.get("end"))
    if start and end and end >= start:
        days = (end - start).days + 1
        if days > limits.horizon_days:
            problems.append(("$.horizon.end", f"the horizon is {_fmt(days)} days long, more than the limit of "
                                              f"{_fmt(limits.horizon_days)} days"))
        else:
            cal = _mapping(doc.get("calendar"))
            times = cal.get("start_times")
            per_day = len(times) if isinstance(times, list) else DEFAULT_START_TIMES_PER_DAY
            weekdays = cal.get("weekdays")
            open_days = days * (len(set(map(str, weekdays))) if isinstance(weekdays, list) else DEFAULT_WEEKDAYS) / 7
            slots = int(open_days * per_day)
            if slots > limits.candidate_slots:
                problems.append(("$.calendar.start_times",
                                 f"{per_day} start times a day over {_fmt(days)} days give about {_fmt(slots)} "
                                 f"possible session starts, more than the limit of {_fmt(limits.candidate_slots)}"))
    return problems


def limit_problems(doc: Any, limits: Limits | None = None) -> list[tuple[str, str]]:
    """Everything in a raw scenario document beyond the limits (empty when it is within)."""
    limits = limits or current_limits()
    shape = shape_problems(doc, limits)
    return shape or size_problems(doc, limits)  # sizes are read only from a sanely shaped document


def workbook_problems(raw: bytes, limits: Limits | None = None) -> list[tuple[str, str]]:
    """(place, sentence) for an .xlsx beyond the limits, judged from the zip's directory and a
    streamed count of the sheets' rows and cells: nothing is unpacked into memory, so a
    666 KB zip bomb of 8 million rows costs a fraction of a second. Empty when within (or
    when it is not a zip at all: the reader says what is wrong then)."""
    import io
    import re
    import zipfile

    limits = limits or current_limits()
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError):
        return []
    infos = zf.infolist()
    unpacked = sum(i.file_size for i in infos)
    if unpacked > limits.workbook_bytes:
        return [("workbook", f"unpacks to {_fmt(unpacked)} bytes, more than the limit of "
                             f"{_fmt(limits.workbook_bytes)}; an action-plan workbook is far smaller")]
    problems, cells = [], 0
    row_tag, cell_tag = re.compile(rb"<(?:\w+:)?row[\s>/]"), re.compile(rb"<(?:\w+:)?c[\s>/]")
    for info in infos:
        if not re.match(r"xl/worksheets/[^/]+\.xml$", info.filename):
            continue
        rows, tail = 0, b""
        with zf.open(info) as stream:
            while chunk := stream.read(1 << 20):
                # a tag cut at a chunk's end is counted with the next one; tags wholly inside
                # the carried tail were counted with the block before
                block = tail + chunk
                rows += len(row_tag.findall(block)) - len(row_tag.findall(tail))
                cells += len(cell_tag.findall(block)) - len(cell_tag.findall(tail))
                tail = block[-16:]
        if rows > limits.workbook_rows:
            problems.append((f"workbook sheet file {info.filename.rsplit('/', 1)[-1]}",
                             f"has {_fmt(rows)} rows, more than the limit of {_fmt(limits.workbook_rows)}"))
    if cells > limits.workbook_cells:
        problems.append(("workbook", f"has {_fmt(cells)} cells, more than the limit of {_fmt(limits.workbook_cells)}"))
    return problems
