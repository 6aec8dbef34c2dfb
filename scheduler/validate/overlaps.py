"""Who is in two places at once: overlapping sessions of one trainer, interpreter or room.

Shared by rule 3 (trainers), rule 4 (rooms), rule 5 (participants) and rule 10
(interpreters).
"""

from __future__ import annotations

from collections.abc import Iterable

from scheduler.validate.parsed import TimedSession
from scheduler.validate.reading import Context
from scheduler.validate.report import Violation, violation
from scheduler.validate.values import fmt_num


def clashes(ctx: Context, rule: int, kind: str, pid: str, person: dict,
            sessions: list[TimedSession]) -> list[Violation]:
    """Overlaps, and too little travel time between sessions of one local day."""
    out = []
    lst = sorted(sessions, key=lambda s: (s.a, s.b, s.pos))
    who = ctx.label(kind, pid)
    verb = "teaches" if kind == "trainer" else "interprets in"
    for i, s in enumerate(lst):
        for j in range(i + 1, len(lst)):
            u = lst[j]
            if u.a >= s.b and u.ldate != s.ldate:
                break
            ent = {"sessions": [s.id, u.id], kind: pid}
            if u.a < s.b:
                out.append(violation(rule, f"{who} {verb} {s.id} and {u.id} at the "
                                           f"same time on {ctx.fmt(u.a)}.", **ent))
                continue
            x, y = ctx.site_for(s, person), ctx.site_for(u, person)
            need = ctx.travel(x, y)
            gap = (u.a - s.b) / 60.0
            if need is not None and gap + 1e-9 < need:
                out.append(violation(rule, f"{who} has {fmt_num(gap)} minutes between {s.id} at {x} (ends "
                                           f"{ctx.fmt(s.b)}) and {u.id} at {y} (starts {ctx.to_local(u.a):%H:%M}), but "
                                           f"the journey takes {fmt_num(need)} minutes.", **ent))
    return out


def overlapping_pairs(lst: list[TimedSession]) -> Iterable[tuple[TimedSession, TimedSession]]:
    lst = sorted(lst, key=lambda s: (s.a, s.b, s.pos))
    for i, s in enumerate(lst):
        for j in range(i + 1, len(lst)):
            if lst[j].a >= s.b:
                break
            yield s, lst[j]
