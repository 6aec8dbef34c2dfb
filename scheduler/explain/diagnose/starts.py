"""Start-time checks: participants with no admissible start at all (calendar, plan window,
their team's blocked periods, shift fit, daily rest), and any other session without a single
possible start, with why."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date

from scheduler.explain.diagnose.context import (
    Ctx,
    new_interpreter_change,
    new_room_change,
    new_trainer_change,
    plan_path,
    unblock_change,
)
from scheduler.explain.findings import Entities, Finding, Suggestion, set_change


def check_admissible_starts(ctx: Ctx) -> list[Finding]:
    """Participants with no admissible start at all: no allowed start time in their plan's window
    at which the shortest session of their track fits their team's blocked periods, their shifts
    (shift fit) and daily rest. When lifting the team's blocked periods would leave a start, the
    blocked periods are named as the reason."""
    sc, t = ctx.sc, ctx.t
    out = []
    for plan in sc.action_plans.values():
        track = sc.tracks.get(plan.track)
        if track is None or not track.modules:
            continue
        cohorts = [c for c in ctx.problem.cohorts if plan.id in c.plans]
        if cohorts and all(c.id in ctx.explained for c in cohorts):
            continue
        dur = min(sc.modules[m].duration_minutes for m in track.modules)
        teams = Counter(sc.participants[p].team for p in plan.participants)
        slots = [s for d in ctx.days if plan.earliest <= d <= plan.deadline for s in ctx.slots_by_day[d]]
        for team, n in sorted(teams.items()):
            why: Counter = Counter()
            if not slots:
                why["plan_window"] = 1
            ok = False
            for s in slots:
                r = ctx.fit_reason(team, plan.allow_on_shift, plan.allow_off_shift, s.minute, s.minute + dur)
                if r is None:
                    ok = True
                    break
                why[r] += 1
            if ok:
                continue
            periods = ctx.blocked_in(team, plan.earliest, plan.deadline)
            unblocking = "team_blocked" in why and any(
                ctx.fit_reason(team, plan.allow_on_shift, plan.allow_off_shift, s.minute, s.minute + dur,
                               blocked=False) is None for s in slots)
            reason = "team_blocked" if unblocking else why.most_common(1)[0][0]
            mine = [c for c in cohorts if any(k == team for k, _ in c.team_counts)]
            sessions = sum(len(ctx.problem.by_cohort[c.id]) for c in mine)
            suggestions = _admissible_suggestions(ctx, plan, team, dur, slots, reason)
            entities: Entities = {
                "plans": [plan.id], "teams": [ctx.team_label(team)], "workplaces": [team[0]],
                "participants": sorted(p for p in plan.participants if sc.participants[p].team == team),
                "cohorts": [c.id for c in mine]}
            if unblocking:
                lift = _unblock_suggestion(ctx, team, periods, [plan.id], plan.earliest, plan.deadline)
                suggestions.insert(0, lift)
                entities["blocked"] = [f"{ch['start']}/{ch['end']}" for ch in lift.changes]
            ctx.explained.update(c.id for c in mine)
            out.append(Finding(
                "no_admissible_start", entities,
                t("no_admissible_start", participants=n, team=team[1], plans=plan.id, first=t.date(plan.earliest),
                  deadline=t.date(plan.deadline),
                  why=t(f"why.{reason}", rest=t.num(sc.calendar.daily_rest_hours), team=team[1],
                        periods=ctx.blocked_label(periods))),
                suggestions, "error", sessions))
    return out


def _admissible_suggestions(ctx: Ctx, plan, team, dur: int, slots, reason: str) -> list[Suggestion]:
    """What would give these participants a start time: the other shift-fit flag, or a start time
    inside their shifts."""
    t, out = ctx.t, []
    if reason == "off_shift_not_allowed" and any(
            ctx.fit_reason(team, plan.allow_on_shift, True, s.minute, s.minute + dur) is None for s in slots):
        out.append(Suggestion(t("s.allow_off_shift", plan=plan.id), [set_change(plan_path(plan.id, "allow_off_shift"),
                                                                                True)]))
    if reason == "on_shift_not_allowed" and any(
            ctx.fit_reason(team, True, plan.allow_off_shift, s.minute, s.minute + dur) is None for s in slots):
        out.append(Suggestion(t("s.allow_on_shift", plan=plan.id), [set_change(plan_path(plan.id, "allow_on_shift"),
                                                                               True)]))
    if reason in ("off_shift_not_allowed", "daily_rest") and plan.allow_on_shift:
        hhmm = _start_inside_shifts(ctx, team, dur)
        if hhmm:
            times = sorted({x.strftime("%H:%M") for x in ctx.sc.calendar.start_times} | {hhmm})
            out.append(Suggestion(t("s.add_start_time", time=hhmm, team=team[1]),
                                  [set_change(["calendar", "start_times"], times)]))
    return out


def _unblock_suggestion(ctx: Ctx, team, periods, plans: list[str], first: date, last: date) -> Suggestion:
    """Lift a team's blocked periods that overlap the plans' window (one `unblock_team` change each)."""
    t = ctx.t
    return Suggestion(
        t("s.unblock_team", team=team[1], workplace=ctx.workplace_name(team[0]), periods=ctx.blocked_label(periods),
          plans=t.names(plans), first=t.date(first), deadline=t.date(last)),
        [unblock_change(ctx, team, n) for n, _ in periods])


def _start_inside_shifts(ctx: Ctx, team, dur: int) -> str | None:
    """A whole-hour start time an hour into the team's most common shift type, if a session fits."""
    counts = Counter(x.shift_type for x in ctx.tl.shift_instances.get(team, []))
    if not counts:
        return None
    st = ctx.sc.shift_types[counts.most_common(1)[0][0]]
    start = st.start.hour * 60 + st.start.minute + 60
    length = ((st.end.hour * 60 + st.end.minute) - (st.start.hour * 60 + st.start.minute)) % (24 * 60) or 24 * 60
    if 60 + dur > length:
        start -= 60
        if dur > length:
            return None
    start = math.ceil(start / 60) * 60 % (24 * 60)
    return f"{start // 60:02d}:{start % 60:02d}"


_REJECT_RULE = {
    "plan_window": "plan_window", "on_shift_not_allowed": "shift_fit", "off_shift_not_allowed": "shift_fit",
    "staffing": "staffing", "team_blocked": "staffing", "daily_rest": "daily_rest",
    "trainer_unavailable": "trainer_availability",
    "room_unavailable": "room_availability", "no_interpreter": "interpreter_availability",
}


def check_sessions_without_start(ctx: Ctx) -> list[Finding]:
    """Any other cohort session with no possible start time at all (from the candidate starts),
    with the count of start times each reason rules out."""
    sc, t = ctx.sc, ctx.t
    out = []
    total = len(ctx.tl.slots)
    for c in ctx.problem.cohorts:
        if c.id in ctx.explained:
            continue
        idxs = ctx.problem.by_cohort[c.id]
        found = next(((i, rej) for i in idxs if (rej := ctx.problem.rejections(i)) is not None), None)
        if found is None:
            continue
        first_bad, rejected = found
        s = ctx.problem.sessions[first_bad]
        module = sc.modules[s.module_id]
        qualified = sorted(tr.id for tr in sc.trainers.values() if module.qualification in tr.qualifications)
        counted = [(k, n) for k, n in rejected.most_common() if k in _REJECT_RULE]
        if not counted:
            continue
        first, last = ctx.window(c)
        team_blocks = {k: ps for k in sorted({k for k, _ in c.team_counts}) if (ps := ctx.blocked_in(k, first, last))}
        periods = "; ".join(f"{k[1]}: {ctx.blocked_label(ps)}" for k, ps in team_blocks.items())
        parts = [t(f"reject.{k}", n=n, trainers=t.names(qualified), languages=t.names(sorted(c.languages)),
                   periods=periods) for k, n in counted]
        why = t("reject.of", total=total) + "; ".join(parts) if total else parts[0]
        main = counted[0][0]
        blocked = idxs[idxs.index(first_bad):]
        modules = sorted({ctx.problem.sessions[i].module_id for i in blocked})
        suggestions = []
        if main == "trainer_unavailable":
            suggestions.append(Suggestion(
                t("s.new_trainer", hours=t.num(module.duration_minutes * module.sessions / 60),
                  qualification=module.qualification, weeks=t.weeks(first, last)),
                [new_trainer_change(ctx, module.qualification, [c], None)]))
        elif main == "no_interpreter":
            site = ctx.home_site([c])
            suggestions.append(Suggestion(
                t("s.add_interpreter", language=t.names(sorted(c.languages)), site=ctx.site_name(site)),
                [new_interpreter_change(ctx, c.languages, site)]))
        elif main == "room_unavailable":
            sites = sorted({sc.workplaces[w].site for w in c.workplaces})
            feats = t("room.with", features=t.names(sorted(module.room_features))) if module.room_features else ""
            suggestions.append(Suggestion(t("s.add_room", size=c.size, features=feats, site=ctx.site_name(sites[0])),
                                          [new_room_change(ctx, sites[0], c.size, module.room_features)]))
        elif main == "off_shift_not_allowed":
            plans = [p for p in c.plans if not sc.action_plans[p].allow_off_shift]
            suggestions.append(Suggestion(t("s.allow_off_shift", plan=t.names(plans)),
                                          [set_change(plan_path(p, "allow_off_shift"), True) for p in plans]))
        elif main == "on_shift_not_allowed":
            plans = [p for p in c.plans if not sc.action_plans[p].allow_on_shift]
            suggestions.append(Suggestion(t("s.allow_on_shift", plan=t.names(plans)),
                                          [set_change(plan_path(p, "allow_on_shift"), True) for p in plans]))
        if "team_blocked" in rejected:  # the main cause's remedy first, then lifting the blocks
            suggestions += [_unblock_suggestion(ctx, k, ps, sorted(c.plans), first, last)
                            for k, ps in team_blocks.items()]
        ctx.explained.add(c.id)
        out.append(Finding(
            _REJECT_RULE[main],
            {"cohorts": [c.id], "plans": sorted(c.plans), "modules": modules, "trainers": qualified,
             "reasons": dict(counted)},
            t("no_start_time", sessions=len(blocked), cohort=c.id, modules=t.names(modules), why=why),
            suggestions, "error", len(blocked)))
    return out
