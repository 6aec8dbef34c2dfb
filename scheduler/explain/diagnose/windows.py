"""Plan-window check: a plan whose window is shorter than its track needs (sessions in order,
minimum gaps, allowed days), with the deadline that would do."""

from __future__ import annotations

import bisect
from datetime import date, timedelta

from scheduler.domain import build_scenario
from scheduler.explain.diagnose.context import Ctx, plan_path
from scheduler.explain.findings import Finding, Suggestion, set_change
from scheduler.prepare.timeline import Timeline, overlap_minutes


def earliest_end(ctx: Ctx, tl: Timeline, cohort, first: date) -> date | None:
    """The earliest local date on which the cohort's track can be complete, given the calendar, the
    module order, the gap rules and the members' shift fit (not daily rest, not resources):
    each session at the first start time that keeps them. None: not within `tl`'s horizon."""
    sc = ctx.sc
    groups = ctx.problem.member_groups(cohort)
    instances = {k: [(x.start, x.end) for x in v] for k, v in tl.shift_instances.items()}
    prev_end, prev_day, prev_module = None, None, None
    slots = [s for s in tl.slots if s.day >= first]
    pos = 0
    for i in ctx.problem.by_cohort[cohort.id]:
        s_ = ctx.problem.sessions[i]
        module = sc.modules[s_.module_id]
        found = None
        while pos < len(slots):
            s = slots[pos]
            a, b = s.minute, s.minute + s_.duration
            if prev_end is not None and a < prev_end:
                pos += 1
                continue
            if prev_module == module.id and prev_day is not None and (s.day - prev_day).days < module.min_gap_days:
                pos += 1
                continue
            if all(_fits(tl, instances, team, on_ok, off_ok, a, b) for team, on_ok, off_ok, _ in groups):
                found = s
                break
            pos += 1
        if found is None:
            return None
        prev_end, prev_day, prev_module = found.minute + s_.duration, found.day, module.id
    return prev_day


def _fits(tl: Timeline, instances, team, on_ok: bool, off_ok: bool, a: int, b: int) -> bool:
    if not on_ok and overlap_minutes(tl.shift_union.get(team, []), a, b):
        return False
    if not off_ok:
        inst = instances.get(team, [])
        i = bisect.bisect_right(inst, (a, float("inf"))) - 1
        return any(inst[j][0] <= a and b <= inst[j][1] for j in range(max(0, i - 1), i + 1))
    return True


def check_plan_windows(ctx: Ctx) -> list[Finding]:
    """A plan whose window (earliest..deadline) is shorter than its track needs: the sessions in
    order, with each module's minimum gap in days, on the allowed days, cannot end by the deadline."""
    sc, t = ctx.sc, ctx.t
    out = []
    long_tl = None
    for c in ctx.problem.cohorts:
        if c.id in ctx.explained or not ctx.problem.by_cohort[c.id]:
            continue
        first, deadline = ctx.window(c)
        end = earliest_end(ctx, ctx.tl, c, first)
        if end is not None and end <= deadline:
            continue
        beyond = end is None
        if beyond:
            if long_tl is None:
                long_tl = _extended_timeline(ctx)
            end = earliest_end(ctx, long_tl, c, first) if long_tl else None
        track = sc.tracks[c.track]
        gaps = sorted({sc.modules[m].min_gap_days for m in track.modules if sc.modules[m].sessions > 1}) or [0]
        plans = sorted(c.plans)
        values = dict(plans=t.names(plans), first=t.date(first), deadline=t.date(deadline), track=track.id,
                      sessions=len(ctx.problem.by_cohort[c.id]), gaps=t.names(gaps),
                      earliest_end=t.date(end) if end else "–", horizon_end=t.date(sc.horizon_end))
        suggestions = []
        if end is not None:
            late = [p for p in plans if sc.action_plans[p].deadline < end]
            changes = [set_change(plan_path(p, "deadline"), end.isoformat()) for p in late]
            key = "s.move_deadline"
            if end > sc.horizon_end:
                changes.append(set_change(["horizon", "end"], end.isoformat()))
                key = "s.move_deadline_horizon"
            suggestions.append(Suggestion(t(key, plan=t.names(late), old=t.date(deadline), new=t.date(end)), changes))
        ctx.explained.add(c.id)
        out.append(Finding(
            "plan_window",
            {"plans": plans, "cohorts": [c.id], "tracks": [track.id],
             "dates": [first.isoformat(), deadline.isoformat()] + ([end.isoformat()] if end else [])},
            t("plan_window.never" if beyond and end is None else "plan_window", **values),
            suggestions, "error", len(ctx.problem.by_cohort[c.id])))
    return _merge_same(out)


def _extended_timeline(ctx: Ctx) -> Timeline | None:
    """The scenario's timeline with the horizon a year longer (to say how far a deadline must move)."""
    data = dict(ctx.data)
    data["horizon"] = {"start": ctx.sc.horizon_start.isoformat(),
                       "end": (ctx.sc.horizon_end + timedelta(days=366)).isoformat()}
    try:
        return Timeline(build_scenario(data))
    except (KeyError, ValueError):
        return None


def _merge_same(findings: list[Finding]) -> list[Finding]:
    """One finding per plan set (cohorts of one plan share their window)."""
    merged: dict[tuple, Finding] = {}
    for f in findings:
        key = (f.rule, tuple(f.entities.get("plans", [])))
        if key in merged:
            m = merged[key]
            m.entities["cohorts"] = sorted(set(m.entities["cohorts"]) | set(f.entities["cohorts"]))
            m.sessions += f.sessions
            if f.suggestions and (not m.suggestions or _later(f, m)):
                m.suggestions, m.message = f.suggestions, f.message
        else:
            merged[key] = f
    return list(merged.values())


def _later(a: Finding, b: Finding) -> bool:
    """Whether finding a's last date is later than b's."""
    return _last_date(a) > _last_date(b)


def _last_date(f: Finding) -> str:
    dates = f.entities.get("dates")
    return dates[-1] if isinstance(dates, list) and dates else ""
