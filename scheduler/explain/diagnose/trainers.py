"""Trainer checks: a module's qualification held by no trainer, and per qualification the
hours the plans need against the most the qualified trainers can teach in their windows."""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from scheduler.explain.diagnose.context import Ctx, new_trainer_change, week_list
from scheduler.explain.findings import Finding, Suggestion, add_change


def check_trainer_qualifications(ctx: Ctx) -> list[Finding]:
    """A module whose qualification no trainer holds: none of its sessions (nor what follows in
    the track) can be held."""
    sc, t = ctx.sc, ctx.t
    by_q: dict[str, list[str]] = defaultdict(list)
    for m in sc.modules.values():
        if ctx.cohorts_with(m.id) and not any(m.qualification in tr.qualifications for tr in sc.trainers.values()):
            by_q[m.qualification].append(m.id)
    out = []
    for q, modules in sorted(by_q.items()):
        cohorts = [c for m in modules for c in ctx.cohorts_with(m)]
        cohorts = list({c.id: c for c in cohorts}.values())
        sessions = sum(max(ctx.sessions_from(c, m) for m in modules) for c in cohorts)
        plans = ctx.plans_of(cohorts)
        first = min(ctx.window(c)[0] for c in cohorts)
        last = max(ctx.window(c)[1] for c in cohorts)
        dur = min(sc.modules[m].duration_minutes for m in modules)
        need = sum(sc.modules[m].duration_minutes * sc.modules[m].sessions for m in modules for c in cohorts
                   if m in sc.tracks[c.track].modules)
        langs = {lang for c in cohorts for lang in c.languages}
        ranked = sorted(sc.trainers.values(),
                        key=lambda tr: (not (langs <= tr.languages), -ctx.trainer_minutes(tr.id, first, last, dur),
                                        tr.id))
        suggestions = [Suggestion(t("s.add_qualification", trainer=tr.id, qualification=q),
                                  [add_change(["trainers", {"id": tr.id}, "qualifications"], q)])
                       for tr in ranked[:2] if ctx.trainer_minutes(tr.id, first, last, dur) >= need]
        per_week = math.ceil(need / ctx.weeks_in(first, last) / dur) * dur
        suggestions.append(Suggestion(
            t("s.new_trainer", hours=t.num(per_week / 60), qualification=q, weeks=t.weeks(first, last)),
            [new_trainer_change(ctx, q, cohorts, None)]))
        ctx.explained.update(c.id for c in cohorts)
        out.append(Finding(
            "trainer_qualification",
            {"qualifications": [q], "modules": modules, "trainers": [], "cohorts": [c.id for c in cohorts],
             "plans": plans},
            t("trainer_qualification", qualification=q, module=t.names(modules), sessions=sessions,
              cohorts=t.names([c.id for c in cohorts]), plans=t.names(plans)),
            suggestions, "error", sessions))
    return out


def check_trainer_capacity(ctx: Ctx) -> list[Finding]:
    """Per qualification: the session hours the plans need within their windows against the most
    the qualified trainers can teach then (availability, start times, daily and weekly limits).
    Checked for every window a cohort has and for their union; the worst shortfall is reported."""
    sc, t = ctx.sc, ctx.t
    by_q: dict[str, list[tuple]] = defaultdict(list)  # qualification -> (cohort, minutes, duration)
    for c in ctx.problem.cohorts:
        if c.id in ctx.explained:
            continue
        per_q: Counter = Counter()
        dur_q: dict[str, int] = {}
        for i in ctx.problem.by_cohort[c.id]:
            s = ctx.problem.sessions[i]
            q = sc.modules[s.module_id].qualification
            per_q[q] += s.duration
            dur_q[q] = min(dur_q.get(q, s.duration), s.duration)
        for q, minutes in per_q.items():
            by_q[q].append((c, minutes, dur_q[q]))
    out = []
    for q, items in sorted(by_q.items()):
        trainers = sorted(tr.id for tr in sc.trainers.values() if q in tr.qualifications)
        if not trainers:
            continue
        dur = min(d for _, _, d in items)
        windows = {ctx.window(c) for c, _, _ in items}
        windows.add((min(w[0] for w in windows), max(w[1] for w in windows)))
        worst = None
        for first, last in sorted(windows):
            need = sum(m for c, m, _ in items if first <= ctx.window(c)[0] and ctx.window(c)[1] <= last)
            have = sum(ctx.trainer_minutes(tr, first, last, dur) for tr in trainers)
            if need > have and (worst is None or need - have > worst[0]):
                worst = (need - have, first, last, need, have)
        if worst is None:
            continue
        short, first, last, need, have = worst
        cohorts = [c for c, _, _ in items if first <= ctx.window(c)[0] and ctx.window(c)[1] <= last]
        plans = ctx.plans_of(cohorts)
        modules = sorted({m for c in cohorts for m in sc.tracks[c.track].modules if sc.modules[m].qualification == q})
        weeks = ctx.weeks_in(first, last)
        per_week = (math.ceil(short / weeks / dur) + 1) * dur  # one session a week to spare
        suggestion = Suggestion(
            t("s.new_trainer", hours=t.num(per_week / 60), qualification=q, weeks=t.weeks(first, last)),
            [new_trainer_change(ctx, q, cohorts, per_week)])
        out.append(Finding(
            "trainer_capacity",
            {"qualifications": [q], "trainers": trainers, "modules": modules, "plans": plans,
             "cohorts": [c.id for c in cohorts], "weeks": week_list(first, last)},
            t("trainer_capacity", qualification=q, trainers=t.names(trainers), available=t.num(have / 60),
              first=t.date(first), last=t.date(last), weeks=t.weeks(first, last), plans=t.names(plans),
              needed=t.num(need / 60), modules=t.names(modules), short=t.num(short / 60)),
            [suggestion], "error", math.ceil(short / dur)))
    return out
