"""Language checks: a language no qualified trainer and no interpreter speaks, and per
language the hours that need an interpreter against what the interpreters can attend."""

from __future__ import annotations

import math
from collections import defaultdict

from scheduler.explain.diagnose.context import Ctx, new_interpreter_change, week_list
from scheduler.explain.findings import Finding, Suggestion


def check_language_support(ctx: Ctx) -> list[Finding]:
    """A language a participant needs that no trainer qualified for a module of their track and
    no interpreter speaks: that module cannot be held for their cohort."""
    sc, t = ctx.sc, ctx.t
    groups: dict[str, dict] = {}
    for c in ctx.problem.cohorts:
        for lang in sorted(c.languages):
            if any(lang in i.languages for i in sc.interpreters.values()):
                continue
            blocked = [m for m in sc.tracks[c.track].modules
                       if not any(sc.modules[m].qualification in tr.qualifications and lang in tr.languages
                                  for tr in sc.trainers.values())]
            if not blocked:
                continue
            g = groups.setdefault(lang, {"cohorts": [], "modules": set(), "participants": set(), "sessions": 0})
            g["cohorts"].append(c)
            g["modules"].update(blocked)
            g["participants"].update(p for p in c.participants if sc.participants[p].language == lang)
            g["sessions"] += ctx.sessions_from(c, blocked[0])
    out = []
    for lang, g in sorted(groups.items()):
        cohorts = g["cohorts"]
        plans = ctx.plans_of(cohorts)
        site = ctx.home_site(cohorts)
        ctx.explained.update(c.id for c in cohorts)
        modules = sorted(g["modules"])
        out.append(Finding(
            "language_support",
            {"languages": [lang], "plans": plans, "cohorts": [c.id for c in cohorts], "modules": modules,
             "participants": sorted(g["participants"]), "interpreters": []},
            t("language_support", participants=len(g["participants"]), plans=t.names(plans), language=lang,
              modules=t.names(modules)),
            [Suggestion(t("s.add_interpreter", language=lang, site=ctx.site_name(site)),
                        [new_interpreter_change(ctx, [lang], site)])],
            "error", g["sessions"]))
    return out


def check_interpreter_capacity(ctx: Ctx) -> list[Finding]:
    """Per language: the session hours that need an interpreter (no trainer qualified for the module
    speaks the language) against the most the interpreters speaking it can attend in those windows."""
    sc, t = ctx.sc, ctx.t
    need: dict[str, list] = defaultdict(list)
    for c in ctx.problem.cohorts:
        if c.id in ctx.explained:
            continue
        for lang in sorted(c.languages):
            sessions = [ctx.problem.sessions[i] for i in ctx.problem.by_cohort[c.id]]
            minutes = sum(s.duration for s in sessions
                          if not any(lang in tr.languages and sc.modules[s.module_id].qualification in tr.qualifications
                                     for tr in sc.trainers.values()))
            if minutes:
                need[lang].append((c, minutes))
    out = []
    for lang, items in sorted(need.items()):
        speakers = sorted(j.id for j in sc.interpreters.values() if lang in j.languages)
        if not speakers:
            continue  # check_language_support says so
        first = min(ctx.window(c)[0] for c, _ in items)
        last = max(ctx.window(c)[1] for c, _ in items)
        dur = min(ctx.problem.sessions[i].duration for c, _ in items for i in ctx.problem.by_cohort[c.id])
        needed = sum(m for _, m in items)
        have = sum(ctx.person_minutes(ctx.problem.interp_availability[j], first, last, dur) for j in speakers)
        if needed <= have:
            continue
        cohorts = [c for c, _ in items]
        plans = ctx.plans_of(cohorts)
        site = ctx.home_site(cohorts)
        out.append(Finding(
            "interpreter_capacity",
            {"languages": [lang], "interpreters": speakers, "plans": plans, "cohorts": [c.id for c in cohorts],
             "weeks": week_list(first, last)},
            t("interpreter_capacity", language=lang, interpreters=t.names(speakers), available=t.num(have / 60),
              first=t.date(first), last=t.date(last), needed=t.num(needed / 60), plans=t.names(plans),
              short=t.num((needed - have) / 60)),
            [Suggestion(t("s.add_interpreter", language=lang, site=ctx.site_name(site)),
                        [new_interpreter_change(ctx, [lang], site)])],
            "error", math.ceil((needed - have) / dur)))
    return out
