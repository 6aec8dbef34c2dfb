"""Hard rule 8, shift fit: sessions on or off the participants' own shifts as their plan allows.
"""

from __future__ import annotations

from collections import defaultdict

from scheduler.validate.reading import Context
from scheduler.validate.report import Violation, violation
from scheduler.validate.values import id_list


def check_shift_fit(ctx: Context) -> list[Violation]:
    """Rule 8. If the participant's plan (the plan of the session's track) has
    allow_on_shift false, no session overlaps one of their shifts; if it has
    allow_off_shift false, every session lies entirely inside one of their own
    shift instances."""
    out: list[Violation] = []
    for s in ctx.timed:
        if s.cohort is None:
            continue
        groups: dict[tuple, list[str]] = defaultdict(list)
        for m in s.members:
            plans = ctx.plans_of.get((m, s.cohort.track_id))
            if not plans:
                continue
            pl = ctx.plans[plans[0]]
            if pl.allow_on_shift and pl.allow_off_shift:
                continue
            groups[(pl.id, ctx.plan_team.get((m, pl.id)))].append(m)
        for (plan_id, team_key), people in groups.items():
            pl = ctx.plans[plan_id]
            shifts = ctx.shifts_overlapping(team_key, s.a, s.b)
            ent = dict(sessions=[s.id], participants=people, action_plan=plan_id,
                       team=team_key[1] if team_key else None)
            who = f"{id_list(people)} ({ctx.team_label(team_key)}, plan {plan_id})"
            if not pl.allow_on_shift and shifts:
                sh = shifts[0]
                out.append(violation(8, f"{ctx.sdesc(s)} overlaps the {sh.type} shift of {sh.date} "
                                        f"({ctx.fmt_span(sh.start, sh.end)}) of {who}, whose plan does not allow "
                                        f"training on shift.", **ent))
            if not pl.allow_off_shift and not any(sh.start <= s.a and s.b <= sh.end for sh in shifts):
                where = (f"it is not inside one "
                         f"{', '.join(f'{sh.type} {ctx.fmt_span(sh.start, sh.end)}' for sh in shifts)} shift"
                         if shifts else "they have no shift then")
                out.append(violation(8, f"{ctx.sdesc(s)} lies outside the own shift of {who}, whose "
                                        f"plan does not allow training off shift ({where}).", **ent))
    return out
