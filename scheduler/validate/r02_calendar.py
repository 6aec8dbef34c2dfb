"""Hard rule 2, calendar: dates, weekdays, holidays, closed periods, start times, durations.
"""

from __future__ import annotations

from datetime import timedelta

from scheduler.validate.reading import Context
from scheduler.validate.report import Violation, violation
from scheduler.validate.values import DAY_NAMES, EPS, fmt_num, number


def check_calendar(ctx: Context) -> list[Violation]:
    """Rule 2. Every session starts on a local date inside the horizon, on an
    allowed weekday, not on a public holiday, not in a closed period, at one of
    the allowed start times (local wall clock); it lasts exactly the module's
    duration (real time); and it lies inside earliest 00:00 .. deadline 24:00
    (local) of the action plans of all its participants."""
    out: list[Violation] = []
    if ctx.holiday_error:
        out.append(violation(2, f"Public holidays of {ctx.holiday_code!r} are not known ({ctx.holiday_error}).",
                             holidays=ctx.holiday_code))
    for s in ctx.timed:
        d, loc = s.ldate, s.local
        when = ctx.fmt(s.a)
        ent = dict(sessions=[s.id], date=d.isoformat())
        if not (ctx.horizon_start <= d <= ctx.horizon_end):
            out.append(violation(2, f"Session {s.id} starts {when}, outside the planning "
                                    f"period {ctx.horizon_start}..{ctx.horizon_end}.", **ent))
        if d.weekday() not in ctx.weekdays:
            out.append(violation(2, f"Session {s.id} starts on a {DAY_NAMES[d.weekday()]} "
                                    f"({when}), which is not a training weekday.", **ent))
        hol = ctx.is_holiday(d)
        if hol:
            out.append(violation(2, f"Session {s.id} starts {when}, a public holiday ({hol}).", holiday=hol, **ent))
        for c0, c1, reason in ctx.closed:
            if c0 <= d <= c1:
                why = f" ({reason})" if reason else ""
                out.append(violation(2, f"Session {s.id} starts {when}, inside the "
                                        f"closed period {c0}..{c1}{why}.", **ent))
        if loc.hour * 60 + loc.minute not in ctx.start_times or loc.second or loc.microsecond:
            out.append(violation(2, f"Session {s.id} starts at {loc:%H:%M:%S} local time on {when[:14]}, "
                                    f"which is not an allowed start time ({ctx.start_times_text}).", **ent))
        if s.module is not None:
            dur = number(s.module.get("duration_minutes"))
            real = (s.b - s.a) / 60.0
            if dur is not None and abs(real - dur) > 1e-6:
                out.append(violation(2, f"Session {s.id} ({when}) lasts {fmt_num(real)} minutes, but module "
                                        f"{s.module_id} sessions last {fmt_num(dur)} minutes.", **ent))
        if s.cohort is not None:
            for pl_id in s.cohort.plans:
                pl = ctx.plans[pl_id]
                lo = ctx.local_ts(pl.earliest, 0)
                hi = ctx.local_ts(pl.deadline + timedelta(days=1), 0)
                if s.a < lo - EPS or s.b > hi + EPS:
                    out.append(violation(2, f"Session {s.id} ({ctx.fmt_span(s.a, s.b)}) lies outside action plan "
                                            f"{pl_id}'s period "
                                            f"{pl.earliest}..{pl.deadline}.", action_plan=pl_id, **ent))
    return out
