"""The hard rules and objective terms as model constraints, one function each.

Rules that depend on one session alone (calendar, plan window, shift fit, daily
rest against the shifts, availability, room fit) are already in the candidate
starts (`problem.py`); the functions here add what couples sessions. The
independent validator (`validate.py`) re-checks all ten rules with its own code.
"""

from __future__ import annotations

from collections import defaultdict

from scheduler.prepare.problem import PlanningProblem
from scheduler.rules.builder import SCALE, ModelBuilder

DAY = 24 * 60

# -- hard rules ------------------------------------------------------------------


def completeness_rule(problem: PlanningProblem, mb: ModelBuilder) -> None:
    """Rule 1: every session is scheduled once or reported unscheduled. A session
    whose predecessor in the track is not scheduled cannot be scheduled either
    (a cohort does not take module 3 without module 2)."""
    for idxs in problem.by_cohort.values():
        if problem.sessions[idxs[0]].key.cohort in mb.fixed_cohorts:
            continue
        for prev, nxt in zip(idxs, idxs[1:]):
            if nxt not in mb.present:
                continue
            if prev not in mb.present:
                mb.model.add(mb.present[nxt] == 0)
            else:
                mb.model.add_implication(mb.present[nxt], mb.present[prev])


def order_rule(problem: PlanningProblem, mb: ModelBuilder) -> None:
    """Rule 6: sessions follow the track's module order and each module's index order;
    a later session starts no earlier than the previous one ends; consecutive sessions of a
    module are min_gap_days..max_gap_days calendar days apart (start date to start date)."""
    sc, m = problem.scenario, mb.model
    for idxs in problem.by_cohort.values():
        if problem.sessions[idxs[0]].key.cohort in mb.fixed_cohorts:
            continue
        for i, j in zip(idxs, idxs[1:]):
            if i not in mb.present or j not in mb.present:
                continue
            pj = mb.present[j]
            m.add(mb.start[j] >= mb.end(i)).only_enforce_if(pj)
            si, sj = problem.sessions[i], problem.sessions[j]
            if si.module_id == sj.module_id:
                mod = sc.modules[si.module_id]
                if mod.min_gap_days > 0:
                    m.add(mb.day(j) - mb.day(i) >= mod.min_gap_days).only_enforce_if(pj)
                if mod.max_gap_days is not None:
                    m.add(mb.day(j) - mb.day(i) <= mod.max_gap_days).only_enforce_if(pj)


def participant_rule(problem: PlanningProblem, mb: ModelBuilder) -> None:
    """Rule 5 (part): no participant is in two sessions at once. Within a cohort the order
    rule already keeps sessions apart; people in several cohorts get a no-overlap over all."""
    cohorts_of: dict[str, set[str]] = defaultdict(set)
    for c in problem.cohorts:
        for pid in c.participants:
            cohorts_of[pid].add(c.id)
    for group in {frozenset(v) for v in cohorts_of.values() if len(v) > 1}:
        ivs = [mb.interval[i] for c in sorted(group) for i in problem.by_cohort[c] if i in mb.interval]
        if len(ivs) > 1:
            mb.model.add_no_overlap(ivs)


def staffing_rule(problem: PlanningProblem, mb: ModelBuilder) -> None:
    """Rule 7: during every shift of a team at most headcount - min_staffing of its members
    are in sessions. Modelled as a cumulative whose free capacity is the staffing slack
    during the team's shifts and unlimited (all its participants) outside them."""
    sc, m = problem.scenario, mb.model
    demand: dict = defaultdict(list)
    for i in mb.schedulable:
        for team, n in problem.sessions[i].cohort.team_counts:
            demand[team].append((i, n))
    for team_key, uses in demand.items():
        team = sc.teams[team_key]
        total = sum(n for c in problem.cohorts for t, n in c.team_counts if t == team_key)
        slack = team.staffing_slack
        if slack >= total:
            continue  # can never bind
        lo = min(mb.options[i].candidates[0].start for i, _ in uses)
        hi = max(mb.options[i].candidates[-1].end for i, _ in uses)
        shifts = [(a, b) for a, b in problem.timeline.shift_union[team_key] if b > lo and a < hi]
        if not shifts:
            continue
        ivs = [mb.interval[i] for i, _ in uses] + [m.new_fixed_size_interval_var(a, b - a, f"shift[{team.id},{a}]")
                                                   for a, b in shifts]
        m.add_cumulative(ivs, [n for _, n in uses] + [total - max(slack, 0)] * len(shifts), total)


def trainer_rule(problem: PlanningProblem, mb: ModelBuilder) -> None:
    """Rule 3: one qualified, available trainer per session (in the candidates and the
    exactly-one choice); a trainer is never in two places at once, keeps travel time between
    sessions at different sites, and keeps max_sessions_per_day and max_minutes_per_week."""
    sc, m = problem.scenario, mb.model
    for t_id, items in mb.trainer_intervals.items():
        trainer = sc.trainers[t_id]
        m.add_no_overlap(_with_travel(problem, mb, items, {i: mb.teaches[i, t_id] for i, _ in items},
                                      trainer.home_site, problem.trainer_pads.get(t_id)))
        if trainer.max_sessions_per_day is not None and trainer.max_sessions_per_day < _max_per_day(problem, [i for i, _ in items]):
            ivs = [m.new_optional_fixed_size_interval_var(mb.day(i), 1, mb.teaches[i, t_id], f"tday[{i},{t_id}]")
                   for i, _ in items]
            m.add_cumulative(ivs, [1] * len(ivs), trainer.max_sessions_per_day)
        if trainer.max_minutes_per_week is not None:
            durs = [problem.sessions[i].duration for i, _ in items]
            if sum(durs) > trainer.max_minutes_per_week:
                ivs = [m.new_optional_fixed_size_interval_var(mb.week(i), 1, mb.teaches[i, t_id], f"tweek[{i},{t_id}]")
                       for i, _ in items]
                m.add_cumulative(ivs, durs, trainer.max_minutes_per_week)


def room_rule(problem: PlanningProblem, mb: ModelBuilder) -> None:
    """Rule 4: a room with enough seats and every feature (in the candidates), at the cohort's
    workplace site for `workplace` modules, free of bookings, hosting one session at a time."""
    for ivs in mb.room_intervals.values():
        mb.model.add_no_overlap(ivs)


def language_cover(problem: PlanningProblem, mb: ModelBuilder) -> None:
    """Rule 10 (part): a scheduled session has, for every language its participants need, a
    trainer who speaks it or an assigned interpreter who does."""
    sc, m = problem.scenario, mb.model
    for i in mb.schedulable:
        o = mb.options[i]
        for lang in sorted(o.languages):
            speakers = [mb.teaches[i, t] for t in o.trainers if lang in sc.trainers[t].languages]
            interps = [mb.interprets[i, j] for j in o.interpreters if lang in sc.interpreters[j].languages]
            m.add(sum(interps) + sum(speakers) >= mb.present[i])


def language_rule(problem: PlanningProblem, mb: ModelBuilder) -> None:
    """Rule 10: every language a participant needs that the trainer does not speak is covered
    by an assigned interpreter, who is available and never in two places at once."""
    sc, m = problem.scenario, mb.model
    language_cover(problem, mb)
    for j_id, items in mb.interpreter_intervals.items():
        m.add_no_overlap(_with_travel(problem, mb, items, {i: mb.interprets[i, j_id] for i, _ in items},
                                      sc.interpreters[j_id].home_site, problem.interpreter_pads.get(j_id)))


HARD_RULES = [completeness_rule, order_rule, participant_rule, staffing_rule, trainer_rule, room_rule, language_rule]


# -- objective -------------------------------------------------------------------


def unscheduled_cost(problem: PlanningProblem, mb: ModelBuilder) -> None:
    """Soft: `unscheduled_session` per session left unscheduled."""
    w = problem.scenario.weights["unscheduled_session"] * SCALE
    for i in mb.schedulable:
        mb.add_term("unscheduled_session", 1 - mb.present[i], w)


def participant_cost(problem: PlanningProblem, mb: ModelBuilder) -> None:
    """Soft: backfill (participant-hours on shift), overtime (off shift) and lateness
    (days a cohort's last session lies after its target), exact per candidate start."""
    sc = problem.scenario
    w = sc.weights
    for i in mb.schedulable:
        costs = [round(c.backfill_minutes * w["backfill_per_hour"] + c.overtime_minutes * w["overtime_per_hour"]
                       + c.late_days * w["late_per_day"] * SCALE) for c in mb.options[i].candidates]
        for x, cost in zip(mb.pick[i], costs):
            mb.add_term("participants", x, cost)


def trainer_cost(problem: PlanningProblem, mb: ModelBuilder) -> None:
    """Soft: each trainer's cost_per_hour for every session hour they teach."""
    sc = problem.scenario
    for (i, t), lit in mb.teaches.items():
        mb.add_term("trainer_cost", lit, round(sc.trainers[t].cost_per_hour * problem.sessions[i].duration))


def travel_cost(problem: PlanningProblem, mb: ModelBuilder) -> None:
    """Soft: `travel_per_minute` for trainers' and interpreters' travel. The model charges each
    session the round trip home -> site -> home divided by the most sessions the person can hold
    in one day: never more than the real day's travel, so the proven bound stays a true bound;
    the reported objective uses the exact travel of the final schedule."""
    sc = problem.scenario
    w = sc.weights["travel_per_minute"] * SCALE
    if not w:
        return
    people = [(mb.teaches, sc.trainers), (mb.interprets, sc.interpreters)]
    for lits, persons in people:
        for (i, pid), lit in lits.items():
            home = persons[pid].home_site
            if home is None or not mb.options[i].needs_room:
                continue  # remote: held at home
            per_day = _max_per_day(problem, [i], getattr(persons[pid], "max_sessions_per_day", None))
            for site in sorted(mb.sites_of(i, home)):
                coef = int(2 * sc.travel_minutes(home, site) * w // per_day)
                if coef:
                    mb.add_term("travel_per_minute", mb.at_site(i, lit, site), coef)


def trainer_change_cost(problem: PlanningProblem, mb: ModelBuilder) -> None:
    """Soft: `trainer_change` for each trainer beyond the first a cohort meets within a module."""
    w = problem.scenario.weights["trainer_change"] * SCALE
    if not w:
        return
    m = mb.model
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i in mb.schedulable:
        s = problem.sessions[i]
        groups[s.key.cohort, s.module_id].append(i)
    for (cohort, module), idxs in groups.items():
        if len(idxs) < 2:
            continue
        trainers = sorted({t for i in idxs for t in mb.options[i].trainers})
        if len(trainers) < 2:
            continue
        used = []
        for t in trainers:
            u = m.new_bool_var(f"meets[{cohort},{module},{t}]")
            for i in idxs:
                if (i, t) in mb.teaches:
                    m.add_implication(mb.teaches[i, t], u)
            used.append(u)
        mb.add_term("trainer_change", sum(used) - mb.present[idxs[0]], w)


def move_session_cost(problem: PlanningProblem, mb: ModelBuilder) -> None:
    """Soft, re-planning only (`replan.py`): `move_session` for each baseline session that is
    scheduled at another start, with another trainer or in another room. `stay[i]` may be
    true only at the baseline's start, trainer and room; the cost is present[i] - stay[i]."""
    rp = getattr(problem, "replan", None)
    if rp is None or not rp.weight:
        return
    m, w = mb.model, round(rp.weight * SCALE)
    for i, home in rp.home.items():
        if i not in mb.present or i in mb.pinned:
            continue
        o = mb.options[i]
        k = next((k for k, c in enumerate(o.candidates) if c.start == home.start), None)
        stay = m.new_bool_var(f"stay[{i}]")
        if k is None or (i, home.trainer) not in mb.teaches or (home.room and (i, home.room) not in mb.in_room):
            m.add(stay == 0)
        else:
            m.add_implication(stay, mb.pick[i][k])
            m.add_implication(stay, mb.teaches[i, home.trainer])
            if home.room:
                m.add_implication(stay, mb.in_room[i, home.room])
        mb.add_term("move_session", mb.present[i] - stay, w)


OBJECTIVE = [unscheduled_cost, participant_cost, trainer_cost, travel_cost, trainer_change_cost, move_session_cost]


def build_model(problem: PlanningProblem, options: list | None = None, pinned: frozenset[int] = frozenset()) -> ModelBuilder:
    """The whole model: every hard rule and every objective term (see `ModelBuilder` for
    `options` and `pinned`)."""
    mb = ModelBuilder(problem, options, pinned)
    for rule in HARD_RULES:
        rule(problem, mb)
    for term in OBJECTIVE:
        term(problem, mb)
    mb.set_objective()
    return mb


# -- helpers -----------------------------------------------------------------------


def _max_per_day(problem: PlanningProblem, idxs: list[int], limit: int | None = None) -> int:
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


def _with_travel(problem: PlanningProblem, mb: ModelBuilder, items, lits: dict, home: str | None, gaps) -> list:
    """Rules 3/10 travel: a person's session at site S' starts at least travel(S, S') after
    their session at S ends. Only the site pairs where that can bind get a constraint (see
    `PlanningProblem.travel_pads`): one cumulative per pair holds the person's sessions at S
    extended by the travel time (demand 1) and their sessions at S' (demand K = capacity).
    Extended S-sessions may overlap each other (same site), but never an S'-session: exact.
    A person who could go between very many sites gets one cumulative per site S instead,
    with S-sessions extended by the longest trip from S and every other-site session in it.
    Returns the plain intervals for the person's no-overlap."""
    plain = dict(items)
    if gaps is None:
        return list(plain.values())
    if gaps.exact:
        groups = [(site, frozenset([other]), pad) for (site, other), pad in sorted(gaps.pairs.items())]
    else:
        groups = [(site, None, pad) for site, pad in sorted(gaps.per_site.items())]
    for site, others, pad in groups:
        _travel_group(problem, mb, items, lits, home, site, others, pad, plain)
    return list(plain.values())


def _travel_group(problem, mb, items, lits, home, site, others, pad, plain) -> None:
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
