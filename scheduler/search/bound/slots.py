"""The calendar's start slots as numpy arrays, and per-slot facts about teams, trainers,
interpreters and rooms, each computed once and cached: the vectors every step of the bound
reads (see the package docstring)."""

from __future__ import annotations

import math

import numpy as np

from scheduler.domain import Interpreter, Room, Scenario, TeamKey, Trainer
from scheduler.prepare.timeline import Timeline, merge_intervals

INF = math.inf


class SlotArrays:
    """Calendar slots as numpy arrays, and per-slot facts computed once per key."""

    def __init__(self, scenario: Scenario, tl: Timeline):
        self.sc, self.tl = scenario, tl
        slots = tl.slots
        order = sorted(range(len(slots)), key=lambda i: slots[i].minute)
        self.slots = [slots[i] for i in order]
        self.start = np.array([s.minute for s in self.slots], dtype=np.int64)
        self.day = np.array([s.day.toordinal() for s in self.slots], dtype=np.int64)
        self._team: dict[tuple[TeamKey, int], tuple[np.ndarray, np.ndarray]] = {}
        self._free: dict[tuple[str, str, int], np.ndarray] = {}
        self._room: dict[tuple[str, int], np.ndarray] = {}

    def team(self, key: TeamKey, d: int) -> tuple[np.ndarray, np.ndarray]:
        """(minutes on shift, inside one shift instance) per slot for a session of d minutes."""
        hit = self._team.get((key, d))
        if hit is None:
            a, b = self.start, self.start + d
            union = self.tl.shift_union.get(key, [])
            if union:
                us = np.array([x for x, _ in union], dtype=np.int64)
                ue = np.array([y for _, y in union], dtype=np.int64)
                cum = np.concatenate(([0], np.cumsum(ue - us)))

                def before(t: np.ndarray) -> np.ndarray:
                    i = np.searchsorted(us, t, side="right") - 1
                    ok = i >= 0
                    ic = np.maximum(i, 0)
                    return np.where(ok, cum[ic] + np.clip(t - us[ic], 0, ue[ic] - us[ic]), 0)

                on = before(b) - before(a)
            else:
                on = np.zeros(len(a), dtype=np.int64)
            inst = self.tl.shift_instances.get(key, [])
            if inst:
                ist = sorted((s.start, s.end) for s in inst)
                ps = np.array([x for x, _ in ist], dtype=np.int64)
                pe = np.maximum.accumulate(np.array([y for _, y in ist], dtype=np.int64))
                i = np.searchsorted(ps, a, side="right") - 1
                inside = (i >= 0) & (pe[np.maximum(i, 0)] >= b)
            else:
                inside = np.zeros(len(a), dtype=bool)
            hit = self._team[(key, d)] = (on, inside)
        return hit

    def free(self, kind: str, person: Trainer | Interpreter, d: int) -> np.ndarray:
        """Per slot: the trainer/interpreter is available for all of [start, start + d)."""
        key = (kind, person.id, d)
        hit = self._free.get(key)
        if hit is None:
            av = self.tl.availability(person)
            if not av:
                hit = np.zeros(len(self.start), dtype=bool)
            else:
                s0 = np.array([x for x, _ in av], dtype=np.int64)
                e0 = np.array([y for _, y in av], dtype=np.int64)
                i = np.searchsorted(s0, self.start, side="right") - 1
                hit = (i >= 0) & (e0[np.maximum(i, 0)] >= self.start + d)
            self._free[key] = hit
        return hit

    def room_free(self, room: Room, d: int) -> np.ndarray:
        """Per slot: the room is not unavailable during [start, start + d)."""
        key = (room.id, d)
        hit = self._room.get(key)
        if hit is None:
            blocked = merge_intervals([self.tl.period(p) for p in room.unavailable])
            if not blocked:
                hit = np.ones(len(self.start), dtype=bool)
            else:
                bs = np.array([x for x, _ in blocked], dtype=np.int64)
                be = np.array([y for _, y in blocked], dtype=np.int64)
                i = np.searchsorted(bs, self.start + d, side="left") - 1
                hit = ~((i >= 0) & (be[np.maximum(i, 0)] > self.start))
            self._room[key] = hit
        return hit


def trainer_usable(trainer: Trainer, d: int) -> bool:
    """The trainer may teach a session of d minutes at all (a day and a week leave room for one)."""
    if trainer.max_sessions_per_day is not None and trainer.max_sessions_per_day < 1:
        return False
    return trainer.max_minutes_per_week is None or trainer.max_minutes_per_week >= d

