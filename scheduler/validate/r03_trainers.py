"""Hard rule 3, trainers: one qualified, available trainer per session, within their limits.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from scheduler.validate.overlaps import clashes
from scheduler.validate.parsed import TimedSession
from scheduler.validate.reading import Context
from scheduler.validate.report import Violation, violation
from scheduler.validate.values import DAY_NAMES, fmt_num, nonempty_str, number


def check_trainers(ctx: Context) -> list[Violation]:
    """Rule 3. Every session has exactly one trainer, who exists, holds the
    module's qualification, is available for the whole session, is never in two
    places at once (sessions on one local day are at least the travel time
    apart), teaches at most max_sessions_per_day sessions per local start date
    and at most max_minutes_per_week minutes per ISO week."""
    out: list[Violation] = []
    by_trainer: dict[str, list[TimedSession]] = defaultdict(list)
    for s in ctx.sessions:
        t = s.trainer
        ent = dict(sessions=[s.id], trainer=t if isinstance(t, str) else None)
        if isinstance(t, list):
            out.append(violation(3, f"Session {s.id} has {len(t)} trainers; it needs exactly one.", **ent))
            continue
        if not nonempty_str(t):
            out.append(violation(3, f"Session {ctx.sdesc(s)} has no trainer.", **ent))
            continue
        tr = ctx.trainers.get(t)
        if tr is None:
            out.append(violation(3, f"Session {s.id} names trainer {t}, who does not exist.", **ent))
            continue
        if s.module is not None:
            q = s.module.get("qualification") or s.module_id
            if q not in (tr.get("qualifications") or []):
                out.append(violation(3, f"{ctx.label('trainer', t)} does not hold qualification "
                                        f"{q} needed for {ctx.sdesc(s)}.", qualification=q, **ent))
        if isinstance(s, TimedSession):
            why = ctx.availability_problem("trainer", t, tr, s.a, s.b)
            if why:
                out.append(violation(3, f"{ctx.label('trainer', t)} {why}, but teaches {ctx.sdesc(s)}.", **ent))
            by_trainer[t].append(s)

    for t, lst in by_trainer.items():
        tr = ctx.trainers[t]
        out += clashes(ctx, 3, "trainer", t, tr, lst)
        max_day = number(tr.get("max_sessions_per_day"))
        if max_day is not None:
            per_day: dict[date, list[TimedSession]] = defaultdict(list)
            for s in lst:
                per_day[s.ldate].append(s)
            for d, ss in sorted(per_day.items()):
                if len(ss) > max_day:
                    out.append(violation(3, f"{ctx.label('trainer', t)} teaches {len(ss)} sessions on "
                                            f"{DAY_NAMES[d.weekday()]} {d} ({', '.join(s.id for s in ss)}); at most "
                                            f"{fmt_num(max_day)} a day.", sessions=[s.id for s in ss], trainer=t,
                                         date=d.isoformat()))
        max_week = number(tr.get("max_minutes_per_week"))
        if max_week is not None:
            per_week: dict[tuple, list[TimedSession]] = defaultdict(list)
            for s in lst:
                per_week[tuple(s.ldate.isocalendar())[:2]].append(s)
            for (y, w), ss in sorted(per_week.items()):
                minutes = sum((s.b - s.a) / 60.0 for s in ss)
                if minutes > max_week + 1e-6:
                    out.append(violation(3, f"{ctx.label('trainer', t)} teaches {fmt_num(minutes)} minutes in week "
                                            f"{w} of {y} ({', '.join(s.id for s in ss)}); at most {fmt_num(max_week)}.",
                                         sessions=[s.id for s in ss], trainer=t, week=f"{y}-W{w:02d}"))
    return out
