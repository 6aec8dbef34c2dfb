"""Hard rule 7, staffing: enough members of every team stay on every shift, and none is in
training during one of the team's blocked periods (its optional ``blocked`` list).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from scheduler.validate.reading import Context
from scheduler.validate.report import Violation, violation
from scheduler.validate.values import DAY_NAMES, fmt_num, number


def check_staffing(ctx: Context) -> list[Violation]:
    """Rule 7. At every moment of every shift of every team (a night shift that
    started the day before included), at most headcount - min_staffing distinct
    members of the team are in a session; and no session with a member of a team overlaps
    one of that team's blocked periods."""
    out: list[Violation] = []
    events_by_team: dict[tuple, list] = defaultdict(list)
    for s in ctx.timed:
        for m in s.members:
            p = ctx.persons.get(m)
            if p is None or p.team is None:
                continue
            events_by_team[p.team].append((s.a, 1, m, s.id))
            events_by_team[p.team].append((s.b, -1, m, s.id))
    for team_key, events in events_by_team.items():
        team = ctx.teams.get(team_key) or {}
        head, mins = number(team.get("headcount")), number(team.get("min_staffing"))
        if head is None or mins is None:
            continue
        allowed = head - mins
        events.sort(key=lambda e: (e[0], e[1]))  # ends before starts at the same instant
        active_people: Counter = Counter()
        active_sessions: Counter = Counter()
        found: dict[date, dict] = {}
        i, n = 0, len(events)
        while i < n:
            t = events[i][0]
            while i < n and events[i][0] == t:
                _, kind, m, sid = events[i]
                active_people[m] += kind
                active_sessions[sid] += kind
                if active_people[m] == 0:
                    del active_people[m]
                if active_sessions[sid] == 0:
                    del active_sessions[sid]
                i += 1
            if i >= n:
                break
            t_next = events[i][0]
            k = len(active_people)
            if k <= allowed or t_next <= t:
                continue
            for sh in ctx.shifts_overlapping(team_key, t, t_next):
                rec = found.get(sh.date)
                if rec is None:
                    rec = found[sh.date] = {"shift": sh, "max": 0, "at": None, "sessions": set(), "people": set()}
                rec["sessions"].update(active_sessions)
                rec["people"].update(active_people)
                if k > rec["max"]:
                    rec["max"], rec["at"] = k, max(t, sh.start)
        for d in sorted(found):
            rec = found[d]
            sh = rec["shift"]
            sids = sorted(rec["sessions"])
            tl = ctx.team_label(team_key)
            out.append(violation(7, f"{tl[:1].upper() + tl[1:]} has {rec['max']} members in training at "
                                    f"{ctx.fmt(rec['at'])} during its {sh.type} shift of {DAY_NAMES[d.weekday()]} {d} "
                                    f"({ctx.to_local(sh.start):%H:%M}-{ctx.to_local(sh.end):%H:%M}); with headcount "
                                    f"{fmt_num(head)} and minimum staffing {fmt_num(mins)} at most "
                                    f"{fmt_num(max(allowed, 0))} may be away (sessions {', '.join(sids)}).",
                                 team=team_key[1], workplace=team_key[0], shift_date=d.isoformat(), sessions=sids,
                                 participants=sorted(rec["people"])))
    return out + check_blocked(ctx)


def check_blocked(ctx: Context) -> list[Violation]:
    """Rule 7, the teams' ``blocked`` periods: a team releases nobody for training during
    one, so no session with a participant of the team may overlap it (on shift or off)."""
    out: list[Violation] = []
    if not ctx.team_blocked:
        return out
    for s in ctx.timed:
        members: dict[tuple, list[str]] = defaultdict(list)
        for m in s.members:
            p = ctx.persons.get(m)
            if p is not None and p.team in ctx.team_blocked:
                members[p.team].append(m)
        for team_key, people in sorted(members.items()):
            for a, b, label, reason in ctx.team_blocked[team_key]:
                if a < s.b and s.a < b:
                    why = f" ({reason})" if reason else ""
                    out.append(violation(7, f"Session {ctx.sdesc(s)} has {len(people)} participant(s) of "
                                            f"{ctx.team_label(team_key)} during its blocked period {label}{why}; "
                                            "the team releases nobody for training then.",
                                         team=team_key[1], workplace=team_key[0], sessions=[s.id],
                                         participants=sorted(people), blocked=label))
    return out
