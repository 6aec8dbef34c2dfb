"""Rule 4, rooms: a room with enough seats and every feature, at the cohort's workplace site
for `workplace` modules, free of bookings, hosting one session at a time; `remote` sessions
have none.

Seats, features, site and bookings are in the candidate starts
(`PlanningProblem._room_choices`, `PlanningProblem._rooms_matrix`); "exactly one room" is in
the variables (`ModelBuilder`). Here: one session at a time, per room (`room_time`), so that
the conflict search can put each room behind its own literal.
"""

from __future__ import annotations

from scheduler.prepare.problem import PlanningProblem
from scheduler.rules.builder import ModelBuilder
from scheduler.rules.enforce import Enforce, gated_intervals


def room_time(problem: PlanningProblem, mb: ModelBuilder, room_id: str, enforce: Enforce = None) -> None:
    """Rule 4 for one room: it hosts one session at a time. With `enforce`, only while that
    literal is true."""
    items = mb.room_intervals[room_id]
    items, _ = gated_intervals(mb, items, {i: mb.in_room[i, room_id] for i, _ in items}, enforce)
    mb.model.add_no_overlap([iv for _, iv in items])


def room_rule(problem: PlanningProblem, mb: ModelBuilder, enforce: Enforce = None) -> None:
    """Rule 4: a room with enough seats and every feature (in the candidates), at the cohort's
    workplace site for `workplace` modules, free of bookings, hosting one session at a time
    (`room_time` for every room). With `enforce`, only while that literal is true."""
    for room_id in mb.room_intervals:
        room_time(problem, mb, room_id, enforce)
