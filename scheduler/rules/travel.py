"""Travel between sites, shared by rule 3 (trainers) and rule 10 (interpreters): a person's
session at site S' starts at least travel(S, S') after their session at S ends.

A person keeps no gap between sessions at one site; the no-overlap of their sessions is
their rule function's job (`trainers.trainer_time`, `languages.interpreter_time`), which
hands its intervals to `with_travel` and gets back the intervals for that no-overlap. Which
site pairs can bind at all is worked out in the candidate starts
(`PlanningProblem.travel_pads`).
"""

from __future__ import annotations

from scheduler.prepare.problem import PlanningProblem, TravelGaps
from scheduler.rules.builder import ModelBuilder

DAY = 24 * 60


def most_per_day(problem: PlanningProblem, idxs: list[int], limit: int | None = None) -> int:
    """The most sessions one person could hold in one day: start times packed greedily
    with the shortest of these sessions' durations (capped by the person's own limit)."""
    dur = min(problem.sessions[i].duration for i in idxs)
    times = sorted(t.hour * 60 + t.minute for t in problem.scenario.calendar.start_times)
    count, free_at = 0, -1
    for t in times:
        if t >= free_at:
            count += 1
            free_at = t + dur
    return max(1, min(count, limit) if limit else count)


def with_travel(problem: PlanningProblem, mb: ModelBuilder, items: list, lits: dict, home: str | None,
                gaps: TravelGaps | None) -> list:
    """Rules 3/10 travel: a person's session at site S' starts at least travel(S, S') after
    their session at S ends. Only the site pairs where that can bind get a constraint (see
    `PlanningProblem.travel_pads`): one cumulative per pair holds the person's sessions at S
    extended by the travel time (demand 1) and their sessions at S' (demand K = capacity).
    Extended S-sessions may overlap each other (same site), but never an S'-session: exact.
    A person who could go between very many sites gets one cumulative per site S instead,
    with S-sessions extended by the longest trip from S and every other-site session in it.
    `items` are the person's (session, interval) pairs, `lits` their session -> literal map
    (the person is at the session). Returns the plain intervals for the person's no-overlap."""
    plain = dict(items)
    if gaps is None:
        return list(plain.values())
    groups: list[tuple[str, frozenset[str] | None, int]]
    if gaps.per_site is None:  # exact: one group per site pair
        groups = [(site, frozenset([other]), pad) for (site, other), pad in sorted(gaps.pairs.items())]
    else:
        groups = [(site, None, pad) for site, pad in sorted(gaps.per_site.items())]
    for site, others, pad in groups:
        travel_group(problem, mb, items, lits, home, site, others, pad, plain)
    return list(plain.values())


def travel_group(problem, mb, items, lits, home, site, others, pad, plain) -> None:
    """One cumulative: sessions at `site` extended by `pad` (demand 1) against the sessions at
    `others` (all other sites when None) (demand K = capacity). Only sessions that could meet
    a free (not pinned) one within the pad go in: fixed sessions alone already keep the rule,
    and in a neighbourhood step most of a person's year is fixed and far away in time."""
    m = mb.model
    k = len(problem.scenario.calendar.start_times) + 1
    entries = []
    for i, _ in items:
        here = mb.sites_of(i, home)
        elsewhere = sorted(here - {site}) if others is None else sorted(here & others)
        if site not in here and not elsewhere:
            continue
        entries.append((i, site in here, elsewhere))
    free = [e for e in entries if e[0] not in mb.pinned]
    if not free:
        return
    # A session at `site` needs a session elsewhere to bind, and the other way round.
    if not (any(at for _, at, _ in entries) and any(other for _, _, other in entries)):
        return
    lo = min(mb.options[i].candidates[0].start for i, _, _ in free) - pad - DAY
    hi = max(mb.options[i].candidates[-1].end for i, _, _ in free) + pad + DAY
    ivs, demands = [], []
    for i, at, elsewhere in entries:
        if i in mb.pinned and not (lo <= mb.options[i].candidates[0].start <= hi):
            continue
        dur = problem.sessions[i].duration
        if at:
            ivs.append(m.new_optional_fixed_size_interval_var(
                mb.start[i], dur + pad, mb.at_site(i, lits[i], site), f"pad[{i},{site}]"))
            demands.append(1)
        for other in elsewhere:
            lit = mb.at_site(i, lits[i], other)
            ivs.append(plain[i] if lit is lits[i] else
                       m.new_optional_fixed_size_interval_var(mb.start[i], dur, lit, f"at[{i},{other}]"))
            demands.append(k)
    if 1 in demands and k in demands:
        m.add_cumulative(ivs, demands, k)
