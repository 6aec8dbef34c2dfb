"""Cohort-size check: participants left out of every cohort because the track's group sizes
cannot hold them."""

from __future__ import annotations

import math
from collections import defaultdict

from scheduler.explain.diagnose.context import Ctx
from scheduler.explain.findings import Finding, Suggestion, set_change


def check_cohort_sizes(ctx: Ctx) -> list[Finding]:
    """Participants left out of every cohort because the track's group sizes cannot hold them."""
    sc, t = ctx.sc, ctx.t
    by_plan: dict[str, list[str]] = defaultdict(list)
    for u in ctx.problem.unassigned:
        by_plan[u.action_plan].append(u.participant)
    out = []
    for pid, people in sorted(by_plan.items()):
        plan = sc.action_plans[pid]
        track = sc.tracks[plan.track]
        cohorts = [c for c in ctx.problem.cohorts if pid in c.plans]
        k = max(1, len(cohorts))
        total = sum(c.size for c in cohorts) + len(people)
        new_max = max(track.max_group + 1, math.ceil(total / k))
        out.append(Finding(
            "cohort_size",
            {"plans": [pid], "tracks": [track.id], "participants": sorted(people)},
            t("cohort_size", participants=len(people), plans=pid, track=track.id, min_group=track.min_group,
              max_group=track.max_group),
            [Suggestion(t("s.smaller_groups", track=track.id, size=new_max, old=track.max_group),
                        [set_change(["tracks", {"id": track.id}, "max_group"], new_max)])],
            "error", 0))
    return out
