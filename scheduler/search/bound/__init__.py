"""A lower bound on the objective of *every* valid schedule of a programme.

CP-SAT's bound is a bound for the cohorts the solver fixed up front; who studies with whom
is itself a decision, so that figure is not a bound for the programme. This package proves one
that is: for every way of forming cohorts, with any number of unscheduled sessions and
unassigned participants, the spec's objective (scenario-v1.md, "Objective") is at least
:func:`programme_lower_bound`'s ``total``.

The argument
============

Notation: ``Us`` = weight ``unscheduled_session``, ``Up`` = ``unassigned_participant``.
A *unit* is one person in one track (one person in two plans of a track is one unit: they are
in at most one cohort of the track). A *pool* is a set of units that may share a cohort: all
units of a ``mix_workplaces`` track, otherwise the units whose plans of the track are at one
workplace (rule 5: a cohort's workplaces are those of its members' plans, one without mixing),
joined where one person has plans at several. Merging pools only relaxes the bound, so doing
it where in doubt is safe.

Every objective term is a sum over units, cohorts or sessions, so the objective is the sum,
over units and cohorts, of what is charged to them below; we bound each piece from below and
take the minimum over every choice the schedule could make, *per pool* (pools are coupled
only through trainers, see 8), so no cost is counted twice.

1. **Per unit and module** (``att``). A scheduled session of module m that unit u attends
   starts at a calendar slot (rule 2) inside the windows of all of u's plans of the track,
   fitting u's shifts (rule 8, u's first plan of the track as the validator reads it), not
   overlapping u's team's shifts if the team has no staffing slack (rule 7: with
   ``headcount == min_staffing`` no member may be in a session while on shift), with a
   qualified trainer available for all of it (rule 3), a room with the features (at a site of
   the pool for ``workplace`` modules) not unavailable (rule 4), and language support for u
   (rule 10). Among those slots the participant cost of u (session minutes inside the union of
   u's shifts at ``backfill_per_hour``, the rest at ``overtime_per_hour``) is at least
   ``att[u,m]``, the minimum over them (+inf if there is none). Daily rest is deliberately
   *not* used: a session that breaks the rest alone may be legal next to another session
   (blocks merge and the rule's exemption is judged per window), so it is no proof.
2. **Unscheduled sessions are shared.** A cohort has at most ``G = max(max_group,
   min_group - 1)`` members, so the ``Us`` of an unscheduled cohort-session is at least
   ``G * Us / G``; we charge each member ``a[u,m] = min(Us / G, att[u,m])`` per session of m
   -- whether the session is scheduled (then u pays ``att >= a``) or not (``Us`` pays it).
   What is left of an unscheduled session's ``Us`` after its members' ``a`` is at least
   ``slack[m](n) = Us - (the n largest a[u,m] of the pool)`` for a cohort of n members.
3. **Per cohort** (``rho``). A scheduled cohort-session of m costs its trainer's
   ``cost_per_hour`` x hours, plus a share of travel: a trainer's travel on a day is split
   equally over that day's sessions (the shares add up to exactly the travel). A trainer whose
   home is not at any site where the pool's module m may be held (no fitting room there; not
   a remote module) travels at least home -> x and x -> home that
   day, i.e. ``2 * dist(home, x)`` (shortest chain of trips: the table need not keep the
   triangle inequality) for the session's site x among the fitting rooms' sites, shared by at most
   ``cap_t`` sessions (``max_sessions_per_day`` and the start slots of a day at which the
   trainer is available). ``rho[m]`` is the minimum of cost + travel share over the qualified
   trainers available at some slot admissible for some unit of the pool. A cohort whose
   sessions are *all* scheduled ("full") is also ``late_per_day`` x days late at least as
   much as its least-late member allows: its sessions, in track order with ``min_gap_days``
   (max gaps ignored), lie on slots admissible for each member, so its last session is no
   earlier than the greedy earliest chain ``E[u]`` of any member, and its target is at most
   each member's; ``L`` = the smallest such lateness in its component (5). Hence a full cohort costs,
   beyond its members' ``a``, at least ``opt_all = sum_m sessions_m * rho[m] + L``, and it can
   have at most ``Gs = min(G, largest fitting room of each room module)`` members. A cohort
   with some unscheduled session ("broken", n members) costs at least ``opt_some(n)``: per
   session the min of ``rho`` and ``slack(n)`` (just ``slack`` when the room is too small for
   n), and at least one session at ``slack`` (no lateness counted).
4. **Staffing within a full cohort** (rule 7). All members of a team work the same shifts. If
   a cohort session overlaps team θ's shifts, at most ``s_θ = headcount - min_staffing`` of
   θ's members are in it. Members whose plan forbids off-shift training must sit inside their
   shift, so a full cohort holds at most ``s_θ`` of them: K full cohorts hold at most
   ``K * s_θ``. Members that may train on or off shift ("flex") beyond ``K * s_θ`` (with θ's
   other on-shift-capable members) train off shift for the whole track: each pays at least
   ``Δ_θ`` more, the smallest (cheapest fully off-shift track) - (sum of its ``a``) over θ's
   flex units.
   **Crews.** In one session at slot s the members on shift number at most the sum of
   ``min(s_θ, θ's units in the pool)`` over the teams whose shift overlaps s (rotating crews
   are rarely on shift together); ``C[m]`` is the most over m's possible slots. So of f flex
   members in K full cohorts at least ``f - K * C[m]`` sit each session of m fully off shift,
   paying at least the least (cheapest fully-off-shift cost - ``a``). This and the per-team
   extra charge the same kind of cost, so only the larger of the two is counted.
   **Anchoring.** A full cohort holding a member v whose plan forbids off-shift training
   holds every session at a slot admissible for v, so each other member u pays at least her
   cheapest cost over the slots admissible for both (an evening worker in a day workers'
   cohort pays overtime). Per u the least such sum over the possible anchors of its component,
   minus u's ``a``-sum, is u's *anchor extra*; full cohorts are anchored (K_a of them, each
   with an anchor, so K_a <= anchors in them) or free (none), and the z others in anchored
   cohorts pay at least the z smallest extras (see `full_cohorts.anchored_full_cohort_cost`).
5. **Compatibility.** Two profiles (units alike in team, flags, window, language) can sit in
   one full cohort only if, for every module, some slot is admissible for both; so a full
   cohort lies inside one connected component of that relation, and the full cohorts' cost is
   the cheapest split of their members over the components (a min-plus convolution).
6. **The pool's choice.** The schedule picks the assigned units (the others cost ``Up`` per
   plan), how many members sit in broken cohorts (m) and in full ones (x), and the number K of
   full cohorts. For given numbers, the cheapest choice of assigned units are those with the
   smallest ``sum a - Up``; broken cohorts cost at least ``B(m)``, the cheapest split of m into
   sizes <= G under ``opt_some``; full cohorts at least ``K * opt_all`` plus the staffing
   extras, with ``K >= ceil(x / Gs)`` and ``K >= ceil(on_θ / s_θ)``, where the counts of each
   team's members among x are bounded below by ``x - (eligible units not of θ)``. Only units
   with a finite ``att`` for every module and a finite ``E`` can be in full cohorts. The pool's
   bound is the minimum over a, m and K of the sum: every valid schedule is one of these
   choices and costs at least its value.
7. **Cohort relaxation (CP-SAT), where it can add.** For small pools whose profiles' cheapest
   slots differ, a relaxed model of the pool that lets each full cohort pick one *slot class*
   per module (see `relaxation.pool_relaxation_bound`) is given CP-SAT for a fraction of a second; its
   *proven* bound (floored to 1/60) replaces the pool's bound when higher. It is a bound of a
   relaxation, so valid whether or not CP-SAT finished.
8. **Trainer capacity (Lagrangian).** A trainer teaches at most ``Cap_t`` minutes in the
   horizon (per ISO week ``max_minutes_per_week``, per day ``min(max_sessions_per_day, start
   slots the trainer is free at) x`` the longest module). For any prices ``λ_t >= 0`` per
   minute, objective >= (the bound computed with ``cost_per_hour / 60 + λ_t`` per minute)
   ``- sum_t λ_t Cap_t``, since the priced minutes never exceed ``Cap_t``. A few subgradient
   steps on λ (from 0, so never below the unpriced bound) keep the best value. The CP-SAT pool
   bounds are computed at λ = 0, which only lowers them (prices add cost), so they stay valid
   inside this sum.

**Interpreters.** A full cohort holding a member who needs language L, in a module none of
the pool's qualified trainers speaks L, has an interpreter speaking L at every session, who
travels home -> site -> home that day like a trainer (shares as in 3). At least
``ceil(x_L / Gs)`` full cohorts hold one of the x_L such members; since one interpreter may
speak several languages, only the dearest language is counted.

The total is the sum of the pools' bounds; trainer changes are counted as 0 (allowed: every
term is >= 0). ``terms`` splits the total by objective term *as the
minimising choice charges it* (participant costs of the cheapest slots, trainer cost and
travel of ``rho``, lateness ``L``, the unscheduled shares and slack, the unassigned
penalties, the staffing extra and what the CP-SAT relaxation adds as overtime, the capacity
prices off the trainer cost); they add up to ``total``, but each is *not* on its
own a bound on that term of a schedule (the minimum may trade one term against another).

Cost: numpy over the calendar slots, per (team, duration), (person, duration) and per
profile (units with the same team, plan window, flags, language and pool); O(P^2) per pool of
P units for the choice, vectorised.

Modules, in the order the bound uses them
=========================================

* `programme`    - :func:`programme_lower_bound`: puts the steps together, runs the relaxation
  and the Lagrangian steps (8);
* `inputs`       - the programme-wide facts: weights, trainers' and interpreters' sessions a
  day, shortest travel, trainers' minutes, the slots at which each module can be held;
* `slots`        - the calendar slots as numpy arrays, with per-slot team, person and room facts;
* `units`        - units and pools, and each unit's cheapest slots (1);
* `pools`        - one pool's facts: shares, components, anchoring, trainers, interpreters,
  crews (2-5);
* `full_cohorts` - the cost of x members in full cohorts: staffing, crews, anchoring (4, 5);
* `pool_choice`  - the pool's cheapest choice of assigned units, broken and full cohorts (6);
* `relaxation`   - the cohort relaxation solved by CP-SAT (7).
"""

from scheduler.search.bound.programme import TERMS, ProgrammeBound, programme_lower_bound

__all__ = ["TERMS", "ProgrammeBound", "programme_lower_bound"]
