"""Hard rule 9, daily rest: training leaves every participant their daily rest.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date

from scheduler.validate.parsed import Shift
from scheduler.validate.reading import Context
from scheduler.validate.report import Violation, violation
from scheduler.validate.values import DAY_SECONDS, EPS, fmt_num, longest_free, merge_intervals


def check_daily_rest(ctx: Context) -> list[Violation]:
    """Rule 9. With daily_rest_hours R > 0, for every participant: their work
    blocks are their shifts plus their sessions (overlapping or touching blocks
    merge).  Every 24-hour window that starts at the start of a block and meets
    one of their sessions must contain a work-free stretch of at least R hours,
    unless the same window already lacks one with the shifts alone."""
    R = ctx.rest_hours
    if not R or R <= 0:
        return []
    need = R * 3600.0 - EPS
    out: list[Violation] = []
    for pid, sess in ctx.person_sessions.items():
        person = ctx.persons.get(pid)
        if person is None:
            continue  # not a participant of any plan: reported by rule 1
        shifts: dict[date, Shift] = {}
        if person.team is not None:
            for s in sess:
                for sh in ctx.shifts_overlapping(person.team, s.a - 2 * DAY_SECONDS, s.b + 2 * DAY_SECONDS):
                    shifts[sh.date] = sh
        team_blocks = merge_intervals((sh.start, sh.end) for sh in shifts.values())
        t_starts = [x for x, _ in team_blocks]
        t_ends = [y for _, y in team_blocks]
        blocks = merge_intervals(team_blocks + [(s.a, s.b) for s in sess])
        b_starts = [x for x, _ in blocks]
        b_ends = [y for _, y in blocks]
        s_starts = [s.a for s in sess]
        longest = max(s.b - s.a for s in sess)
        reported: set = set()
        for w in b_starts:
            we = w + DAY_SECONDS
            lo = bisect_left(s_starts, w - longest)
            hi = bisect_left(s_starts, we)
            hit = [s for s in sess[lo:hi] if s.b > w]
            if not hit:
                continue
            free = longest_free(b_starts, b_ends, w, we)
            if free >= need:
                continue
            if longest_free(t_starts, t_ends, w, we) < need:
                continue  # the shifts alone already break the rest: not the schedule's fault
            key = tuple(s.id for s in hit)
            if key in reported:
                continue
            reported.add(key)
            out.append(violation(9, f"Participant {pid} ({ctx.team_label(person.team)}) gets at most {free / 3600:.1f} "
                                    f"h of rest in the 24 hours from {ctx.fmt(w)} (needs {fmt_num(R)} h) because of "
                                    f"{', '.join(ctx.sdesc(s) for s in hit)}.",
                                 participants=[pid], sessions=[s.id for s in hit],
                                 window_start=ctx.to_local(w).isoformat()))
    return out
