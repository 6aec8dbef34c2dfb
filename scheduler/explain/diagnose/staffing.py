"""Staffing checks: a cohort that must meet on shift holding more of a team than its staffing
slack, and per team the on-shift session minutes against the slack times the minutes that fit."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date

from scheduler.explain.diagnose.context import Ctx, plan_path, team_path, week_list
from scheduler.explain.findings import Finding, Suggestion, set_change
from scheduler.prepare.shiftfit import rest_ok
from scheduler.prepare.timeline import overlap_minutes


def _off_shift_slots(ctx: Ctx, team, first: date, last: date, duration: int) -> bool:
    """Whether some start time in the window lies wholly outside the team's shifts (rest kept)."""
    union = ctx.tl.shift_union.get(team, [])
    for d in ctx.days:
        if first <= d <= last:
            for s in ctx.slots_by_day[d]:
                a, b = s.minute, s.minute + duration
                if not overlap_minutes(union, a, b) and rest_ok(union, [(a, b)], ctx.problem.rest_minutes):
                    return True
    return False


def _slack_needed(n_team: int, n_class: int, gmin: int, gmax: int) -> int:
    """The staffing slack at which the cohort formation puts at most `slack` of a team's `n_team`
    members into one cohort (cohorts of gmin..gmax out of `n_class` on-shift participants)."""
    for s in range(1, n_team + 1):
        k = max(math.ceil(n_class / gmax), math.ceil(n_team / s))
        while k > 1 and n_class // k < gmin:
            k -= 1
        if math.ceil(n_team / max(1, k)) <= s:
            return s
    return n_team


def check_staffing(ctx: Ctx) -> list[Finding]:
    """A cohort that must meet during its members' shifts but holds more of a team than the team's
    staffing slack (headcount − min_staffing) can never meet."""
    sc, t = ctx.sc, ctx.t
    groups: dict = {}
    for c in ctx.problem.cohorts:
        if c.id in ctx.explained:
            continue
        first, last = ctx.window(c)
        dur = min(sc.modules[m].duration_minutes for m in sc.tracks[c.track].modules)
        for team, on_ok, off_ok, n in ctx.problem.member_groups(c):
            slack = sc.teams[team].staffing_slack
            if not on_ok or n <= slack:
                continue
            if off_ok and _off_shift_slots(ctx, team, first, last, dur):
                continue
            g = groups.setdefault(team, {"cohorts": [], "members": 0, "sessions": 0, "window": (first, last),
                                         "dur": dur})
            g["cohorts"].append(c)
            g["members"] = max(g["members"], n)
            g["sessions"] += len(ctx.problem.by_cohort[c.id])
            break
    out = []
    for team, g in sorted(groups.items()):
        tm, cohorts = sc.teams[team], g["cohorts"]
        plans = ctx.plans_of(cohorts)
        first, last = g["window"]
        suggestions = []
        off_possible = _off_shift_slots(ctx, team, first, last, g["dur"])
        if off_possible:
            changes = [set_change(plan_path(p, "allow_off_shift"), True) for p in plans]
            suggestions.append(Suggestion(t("s.allow_off_shift", plan=t.names(plans)), changes))
        track = sc.tracks[cohorts[0].track]
        n_team = sum(n for c in ctx.problem.cohorts if c.track == track.id and set(c.plans) & set(plans)
                     for k, n in c.team_counts if k == team)
        n_class = sum(c.size for c in ctx.problem.cohorts if c.track == track.id and set(c.plans) & set(plans))
        need = _slack_needed(n_team, n_class, track.min_group, track.max_group)
        new_min = max(0, tm.headcount - need)
        if new_min < tm.min_staffing:
            suggestions.append(Suggestion(
                t("s.release_staff", workplace=ctx.workplace_name(team[0]), n=tm.min_staffing - new_min,
                  team=tm.id, old=tm.min_staffing, new=new_min),
                [set_change(team_path(team, "min_staffing"), new_min)]))
        ctx.explained.update(c.id for c in cohorts)
        out.append(Finding(
            "staffing",
            {"teams": [ctx.team_label(team)], "workplaces": [team[0]], "plans": plans,
             "cohorts": [c.id for c in cohorts]},
            t("staffing", team=tm.id, workplace=ctx.workplace_name(team[0]), headcount=tm.headcount,
              min_staffing=tm.min_staffing, slack=max(0, tm.staffing_slack), cohorts=t.names([c.id for c in cohorts]),
              members=g["members"], plans=t.names(plans), no_off="" if off_possible else t("staffing.no_off")),
            suggestions, "error", g["sessions"]))
    return out


def check_staffing_load(ctx: Ctx) -> list[Finding]:
    """Per team: the participant-minutes its members must spend in sessions during their shifts
    (plans that forbid off-shift training) against the staffing slack times the session minutes
    that fit inside the team's shifts within those windows."""
    sc, t = ctx.sc, ctx.t
    load: Counter = Counter()
    info: dict = {}
    for c in ctx.problem.cohorts:
        if c.id in ctx.explained:
            continue
        minutes = sum(ctx.problem.sessions[i].duration for i in ctx.problem.by_cohort[c.id])
        dur = min(ctx.problem.sessions[i].duration for i in ctx.problem.by_cohort[c.id])
        for team, on_ok, off_ok, n in ctx.problem.member_groups(c):
            if on_ok and not off_ok:
                load[team] += n * minutes
                first, last = ctx.window(c)
                f0, l0, d0, cs = info.get(team, (first, last, dur, []))
                info[team] = (min(f0, first), max(l0, last), min(d0, dur), cs + [c])
    out = []
    for team, minutes in sorted(load.items()):
        tm = sc.teams[team]
        first, last, dur, cohorts = info[team]
        per_person = 0
        for d in ctx.days:
            if first <= d <= last:
                free_at = None
                for s in ctx.slots_by_day[d]:
                    if ((free_at is None or s.minute >= free_at)
                            and ctx.inside_one_shift(team, s.minute, s.minute + dur)):
                        per_person += dur
                        free_at = s.minute + dur
        capacity = max(0, tm.staffing_slack) * per_person
        if minutes <= capacity or not per_person:
            continue
        plans = ctx.plans_of(cohorts)
        slack = math.ceil(minutes / per_person)
        new_min = max(0, tm.headcount - slack)
        suggestions = []
        if new_min < tm.min_staffing:
            suggestions.append(Suggestion(
                t("s.release_staff", workplace=ctx.workplace_name(team[0]), n=tm.min_staffing - new_min, team=tm.id,
                  old=tm.min_staffing, new=new_min),
                [set_change(team_path(team, "min_staffing"), new_min)]))
        out.append(Finding(
            "staffing_capacity",
            {"teams": [ctx.team_label(team)], "workplaces": [team[0]], "plans": plans,
             "cohorts": [c.id for c in cohorts], "weeks": week_list(first, last)},
            t("staffing_capacity", team=tm.id, workplace=ctx.workplace_name(team[0]), needed=t.num(minutes / 60),
              slack=max(0, tm.staffing_slack), available=t.num(capacity / 60), first=t.date(first),
              last=t.date(last), plans=t.names(plans)),
            suggestions, "error", math.ceil((minutes - capacity) / dur)))
    return out
