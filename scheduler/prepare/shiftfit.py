"""Whether a team's members can be in a session at a given time (rules 7-9), for one team;
a team's ``blocked`` periods (rule 7: it releases nobody then) rule a time out for all of them.

Shared by the candidate starts (`problem.py`) and the cohort formation (`cohort_shaper.py`), which
must judge the same way whether a group of people can ever meet.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Mapping

import numpy as np

from scheduler.domain import TeamKey
from scheduler.prepare.timeline import Interval, intervals_near, merge_intervals, overlap_minutes

DAY = 24 * 60


def team_fit_at(union: list[Interval], instances: list[Interval], rest_minutes: int, a: int, b: int
                ) -> tuple[int, bool, bool]:
    """(minutes of [a, b) on shift, lies inside one shift, daily rest kept) for a member of a
    team whose merged shifts are `union` and whose shift instances (sorted) are `instances`."""
    on = overlap_minutes(union, a, b)
    i = bisect.bisect_right(instances, (a, float("inf"))) - 1
    inside = any(instances[j][0] <= a and b <= instances[j][1] for j in range(max(0, i - 1), i + 1))
    # Inside the shifts the session adds no work time, so it cannot cut anyone's rest.
    return on, inside, on == b - a or rest_ok(union, [(a, b)], rest_minutes)


def rest_ok(shifts: list[Interval], extra: list[Interval], rest_minutes: int) -> bool:
    """Daily rest (rule 9) for one person: adding `extra` work blocks to `shifts` must not
    make any 24-hour window starting at a block start have a longest free stretch below
    the rest hours, unless that window already fails with the shifts alone."""
    if rest_minutes <= 0 or not extra:
        return True
    lo = min(a for a, _ in extra) - 2 * DAY
    hi = max(b for _, b in extra) + 2 * DAY
    near = intervals_near(shifts, lo, hi)
    blocks = merge_intervals(near + list(extra))
    first_extra = min(a for a, _ in extra)
    last_extra = max(b for _, b in extra)
    for w, _ in blocks:
        if w + DAY <= first_extra or w >= last_extra:
            continue  # the window does not touch a session: the shifts' own business
        if _longest_free(blocks, w, w + DAY) < rest_minutes and _longest_free(near, w, w + DAY) >= rest_minutes:
            return False
    return True


def shift_fit(groups, team_fit, teams, a: int, b: int,
              blocked: Mapping[TeamKey, list[Interval]] | None = None) -> tuple[str | None, int, int]:
    """Rules 7-9 for a cohort starting a session [a, b): no member's team blocked then (its
    ``blocked`` periods, merged intervals per team: the team releases nobody), its members on
    shift only where their plans allow it, off shift only where allowed, never more of a team
    than its staffing slack while on shift, and daily rest kept. `groups` are the cohort's
    (team, allow_on_shift, allow_off_shift, members); `team_fit(team, a, b)` gives (minutes on
    shift, inside one shift, rest kept). Returns (the first rule broken or None, backfill and
    overtime participant-minutes)."""
    if blocked and any(overlap_minutes(blocked.get(team, []), a, b) for team, _, _, _ in groups):
        return "team_blocked", 0, 0
    backfill = overtime = 0
    for team, on_ok, off_ok, n in groups:
        on, inside, rest = team_fit(team, a, b)
        if on and not on_ok:
            return "on_shift_not_allowed", 0, 0
        if not off_ok and not inside:
            return "off_shift_not_allowed", 0, 0
        if on and n > teams[team].staffing_slack:
            return "staffing", 0, 0
        if not rest:
            return "daily_rest", 0, 0
        backfill += n * on
        overtime += n * (b - a - on)
    return None, backfill, overtime


def shift_fit_rows(groups, rows_of, teams, duration: int, alive: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, Counter]:
    """`shift_fit` for many starts at once: `alive` marks the starts still in question,
    `rows_of(team)` gives that team's rows over the same starts (minutes on shift, inside one
    shift, rest kept, team blocked; see `PlanningProblem._team_rows`). Each start is refused
    for the first rule it breaks, in `shift_fit`'s order. Returns (the starts that fit, their
    backfill and overtime participant-minutes, how many were refused for each rule)."""
    alive = alive.copy()
    refused: Counter = Counter()
    rows = [rows_of(team) for team, _, _, _ in groups]

    def refuse(reason: str, bad: np.ndarray) -> None:
        hit = alive & bad
        count = int(hit.sum())
        if count:
            refused[reason] += count
            alive[hit] = False

    blocked = [r[3] for r in rows if r[3] is not None]
    if blocked:
        refuse("team_blocked", np.logical_or.reduce(blocked))
    backfill = np.zeros(len(alive), dtype=np.int64)
    overtime = np.zeros(len(alive), dtype=np.int64)
    for (team, on_ok, off_ok, n), (on, inside, rest, _) in zip(groups, rows):
        if not on_ok:
            refuse("on_shift_not_allowed", on > 0)
        if not off_ok:
            refuse("off_shift_not_allowed", ~inside)
        if n > teams[team].staffing_slack:
            refuse("staffing", on > 0)
        refuse("daily_rest", ~rest)
        backfill += n * on
        overtime += n * (duration - on)
    return alive, backfill, overtime, refused


def _longest_free(blocks: list[Interval], w0: int, w1: int) -> int:
    best, cur = 0, w0
    for a, b in blocks:
        if b <= cur:
            continue
        if a >= w1:
            break
        best = max(best, a - cur)
        cur = max(cur, b)
    return max(best, w1 - cur)
