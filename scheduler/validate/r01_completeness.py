"""Hard rule 1, completeness: every participant in a cohort and every session scheduled.

Or listed, with a reason, as unassigned or unscheduled.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from scheduler.validate.reading import Context
from scheduler.validate.report import Violation, violation
from scheduler.validate.values import id_list, integer, nonempty_str


def check_completeness(ctx: Context) -> list[Violation]:
    """Rule 1. Every participant of every action plan is in exactly one cohort
    of that plan's track, or listed (with a reason) as unassigned; every session
    of every cohort (each module of its track, each index 1..sessions) is
    scheduled exactly once, or listed (with a reason) as unscheduled.  Entries
    that name a cohort, module, index or participant that does not exist are
    wrong too."""
    out: list[Violation] = []

    for cid in dict.fromkeys(ctx.duplicate_cohort_ids):
        out.append(violation(1, f"Cohort id {cid} is used for more than one cohort.", cohort=cid))

    # cohorts and their members
    in_cohorts: dict[tuple[str, str | None], list[str]] = defaultdict(list)  # (pid, track) -> cohorts
    for c in ctx.cohorts:
        if c.track is None:
            out.append(violation(1, f"Cohort {c.id} belongs to track {c.track_id!r}, which does not exist.",
                                 cohort=c.id, track=c.track_id))
            continue
        for x in dict.fromkeys(c.duplicates):
            out.append(violation(1, f"Cohort {c.id} lists participant {x} more "
                                    f"than once.", cohort=c.id, participants=[x]))
        strangers = []
        for m in c.members:
            in_cohorts[(m, c.track_id)].append(c.id)
            if not ctx.plans_of.get((m, c.track_id)):
                strangers.append(m)
        if strangers:
            out.append(violation(1, f"Cohort {c.id} holds {id_list(strangers)}, who "
                                    f"{'is' if len(strangers) == 1 else 'are'} not in any action plan of track "
                                    f"{c.track_id}.",
                                 cohort=c.id, participants=strangers))

    # unassigned participants
    unassigned: dict[tuple[str, str | None], int] = Counter()
    for pos, u in enumerate(ctx.entries("unassigned_participants")):
        if not isinstance(u, dict):
            out.append(violation(1, f"Entry number {pos + 1} of unassigned_participants cannot be read.", position=pos))
            continue
        pid, plan_id = u.get("participant"), u.get("action_plan")
        pid = str(pid) if isinstance(pid, (str, int)) else None
        plan_id = plan_id if isinstance(plan_id, str) else None
        if pid is None:
            out.append(violation(1, f"Entry number {pos + 1} of unassigned_participants "
                                    f"names no participant.", position=pos))
            continue
        if plan_id is not None and plan_id not in ctx.plans:
            out.append(violation(1, f"Participant {pid} is listed as unassigned from "
                                    f"action plan {plan_id}, which does not exist.",
                                 participants=[pid], action_plan=plan_id))
            continue
        plans = [plan_id] if plan_id is not None else list(ctx.persons[pid].plans if pid in ctx.persons else [])
        plans = [p for p in plans if pid in ctx.plans[p].members]
        if not plans:
            where = f"action plan {plan_id}" if plan_id else "any action plan"
            out.append(violation(1, f"Participant {pid} is listed as unassigned but is not in {where}.",
                                 participants=[pid], action_plan=plan_id))
            continue
        if not nonempty_str(u.get("reason")):
            out.append(violation(1, f"Participant {pid} is listed as unassigned without a reason.", participants=[pid]))
        for p in plans:
            unassigned[(pid, p)] += 1

    for plan in ctx.plans.values():
        forgotten = []
        for pid in plan.members:
            cs = in_cohorts.get((pid, plan.track), [])
            u = unassigned.get((pid, plan.id), 0)
            ent: dict[str, Any] = dict(participants=[pid], action_plan=plan.id)
            if u > 1:
                out.append(violation(1, f"Participant {pid} of action plan {plan.id} "
                                        f"is listed as unassigned {u} times.", **ent))
            if len(cs) > 1:
                out.append(violation(1, f"Participant {pid} of action plan {plan.id} is in {len(cs)} cohorts "
                                        f"of track {plan.track}: {', '.join(cs)}.", cohorts=cs, **ent))
            elif cs and u:
                out.append(violation(1, f"Participant {pid} of action plan {plan.id} is in cohort "
                                        f"{cs[0]} and also listed as unassigned.", cohorts=cs, **ent))
            elif not cs and not u:
                forgotten.append(pid)
        if forgotten:
            out.append(violation(1, f"{'Participant' if len(forgotten) == 1 else 'Participants'} {id_list(forgotten)} "
                                    f"of action plan {plan.id} {'is' if len(forgotten) == 1 else 'are'} in no cohort "
                                    f"of track {plan.track} and not listed as unassigned.",
                                 participants=forgotten, action_plan=plan.id))

    # sessions that do not belong to any required (cohort, module, index)
    for s in ctx.sessions:
        if s.key_valid:
            continue
        ent = dict(sessions=[s.id], cohort=s.cohort_id, module=s.module_id, index=s.index)
        if s.cohort is None:
            out.append(violation(1, f"Session {s.id} belongs to cohort {s.cohort_id!r}, "
                                    f"which is not in the schedule.", **ent))
        elif s.cohort.track is None:
            continue  # the cohort itself was reported above
        elif s.module is None or s.module_id not in (s.cohort.track.get("modules") or []):
            out.append(violation(1, f"Session {s.id} is for module {s.module_id!r}, which is not part "
                                    f"of track {s.cohort.track_id} of cohort {s.cohort_id}.", **ent))
        else:
            out.append(violation(1, f"Session {s.id} has index {s.raw.get('index')!r}, but module {s.module_id} "
                                    f"has sessions 1..{integer(s.module.get('sessions')) or 0}.", **ent))
    for key, lst in ctx.scheduled_by_key.items():
        if len(lst) > 1:
            out.append(violation(1, f"Session {key[1]}#{key[2]} of cohort {key[0]} is scheduled "
                                    f"{len(lst)} times: {', '.join(s.id for s in lst)}.",
                                 sessions=[s.id for s in lst], cohort=key[0], module=key[1], index=key[2]))

    # unscheduled entries
    required = set(ctx.required)
    unscheduled: Counter = Counter()
    for pos, u in enumerate(ctx.entries("unscheduled")):
        if not isinstance(u, dict):
            out.append(violation(1, f"Entry number {pos + 1} of unscheduled cannot be read.", position=pos))
            continue
        key = (u.get("cohort"), u.get("module"), integer(u.get("index")))
        try:
            known = key in required
        except TypeError:
            known = False
        if not known:
            out.append(violation(1, f"Unscheduled entry {key[0]!r} {key[1]!r}#{u.get('index')!r} is not a session of "
                                    f"any cohort in the schedule.", cohort=key[0], module=key[1], index=u.get("index")))
            continue
        if not nonempty_str(u.get("reason")):
            out.append(violation(1, f"Session {key[1]}#{key[2]} of cohort {key[0]} "
                                    f"is listed as unscheduled without a reason.",
                                 cohort=key[0], module=key[1], index=key[2]))
        unscheduled[key] += 1
    for key in ctx.required:
        n_s, n_u = len(ctx.scheduled_by_key.get(key, ())), unscheduled.get(key, 0)
        ent = dict(cohort=key[0], module=key[1], index=key[2])
        what = f"Session {key[1]}#{key[2]} of cohort {key[0]}"
        if n_u > 1:
            out.append(violation(1, f"{what} is listed as unscheduled {n_u} times.", **ent))
        if n_s and n_u:
            out.append(violation(1, f"{what} is both scheduled ({ctx.scheduled_by_key[key][0].id}) "
                                    f"and listed as unscheduled.",
                                 sessions=[s.id for s in ctx.scheduled_by_key[key]], **ent))
        elif not n_s and not n_u:
            out.append(violation(1, f"{what} is neither scheduled nor listed as unscheduled.", **ent))
    return out
