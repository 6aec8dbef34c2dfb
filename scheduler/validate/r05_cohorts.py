"""Hard rule 5, cohorts: group sizes, one workplace per cohort, nobody in two sessions at once.
"""

from __future__ import annotations

from collections import defaultdict

from scheduler.validate.overlaps import overlapping_pairs
from scheduler.validate.parsed import Cohort, TimedSession
from scheduler.validate.reading import Context
from scheduler.validate.report import Violation, violation
from scheduler.validate.values import fmt_num, id_list, number


def check_cohorts(ctx: Context) -> list[Violation]:
    """Rule 5. A cohort's size is within its track's min_group..max_group,
    except one smaller cohort for a plan (or, with mix_workplaces, for the whole
    track) that has fewer than min_group participants; without mix_workplaces
    all participants of a cohort come from one workplace; nobody is in two
    sessions at the same time."""
    out: list[Violation] = []
    track_total: dict[str | None, int] = {}
    for tid in ctx.tracks:
        in_track: set[str] = set()
        for pl in ctx.plans_by_track.get(tid, ()):
            in_track.update(ctx.plans[pl].members)
        track_total[tid] = len(in_track)

    small_by_track: dict[str | None, list[Cohort]] = defaultdict(list)
    small_by_plan: dict[str, list[Cohort]] = defaultdict(list)
    for c in ctx.cohorts:
        if c.track is None:
            continue
        lo = number(c.track.get("min_group"))
        if lo is not None and len(c.members) < lo:
            small_by_track[c.track_id].append(c)
            for pl in c.plans:
                small_by_plan[pl].append(c)

    for c in ctx.cohorts:
        if c.track is None:
            continue
        t = c.track
        lo, hi = number(t.get("min_group")), number(t.get("max_group"))
        size = len(c.members)
        mix = t.get("mix_workplaces") is True
        ent = dict(cohort=c.id, track=c.track_id)
        if hi is not None and size > hi:
            out.append(violation(5, f"Cohort {c.id} has {size} participants; track "
                                    f"{c.track_id} allows at most {fmt_num(hi)}.", **ent))
        if lo is not None and size < lo:
            if mix:
                allowed = track_total.get(c.track_id, 0) < lo and len(small_by_track[c.track_id]) == 1
                why = (f"track {c.track_id} has {track_total.get(c.track_id, 0)} participants "
                       f"in all and {len(small_by_track[c.track_id])} cohorts below its minimum")
            else:
                allowed = bool(c.plans) and all(
                    len(ctx.plans[p].members) < lo and len(small_by_plan[p]) == 1 for p in c.plans)
                why = "; ".join(f"plan {p} has {len(ctx.plans[p].members)} participants and "
                                f"{len(small_by_plan[p])} cohorts below the minimum" for p in c.plans) or \
                      "none of its participants is in an action plan of the track"
            if not allowed:
                out.append(violation(5, f"Cohort {c.id} has {size} participants; track {c.track_id} "
                                        f"needs at least {fmt_num(lo)} ({why}).", **ent))
        if not mix and len(c.workplaces) > 1:
            out.append(violation(5, f"Cohort {c.id} mixes participants from workplaces "
                                    f"{', '.join(sorted(c.workplaces))}, but track {c.track_id} does not allow mixing "
                                    f"workplaces.",
                                 workplaces=sorted(c.workplaces), **ent))

    # nobody in two sessions at once; one violation per pair of sessions
    pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
    pair_sessions: dict[tuple[str, str], tuple[TimedSession, TimedSession]] = {}
    for pid, lst in ctx.person_sessions.items():
        for s, u in overlapping_pairs(lst):
            if s is u:
                continue
            key = (s.id, u.id)
            pairs[key].append(pid)
            pair_sessions[key] = (s, u)
    for key, people in pairs.items():
        s, u = pair_sessions[key]
        out.append(violation(5, f"{id_list(people)} {'is' if len(people) == 1 else 'are'} in both {s.id} and {u.id} at "
                                f"the same time on "
                                f"{ctx.fmt(max(s.a, u.a))}.", sessions=[s.id, u.id], participants=people))
    return out
