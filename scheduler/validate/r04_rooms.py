"""Hard rule 4, rooms: a fitting, free room at the right site; none for remote sessions.
"""

from __future__ import annotations

from collections import defaultdict

from scheduler.validate.overlaps import overlapping_pairs
from scheduler.validate.parsed import TimedSession
from scheduler.validate.reading import Context
from scheduler.validate.report import Violation, violation
from scheduler.validate.values import fmt_num, number


def check_rooms(ctx: Context) -> list[Violation]:
    """Rule 4. A 'workplace' or 'any' session has one existing room with
    capacity for the cohort, every required feature, not unavailable during the
    session and hosting one session at a time; a 'workplace' room is at the site
    of one of the cohort's workplaces.  A 'remote' session has no room."""
    out: list[Violation] = []
    by_room: dict[str, list[TimedSession]] = defaultdict(list)
    for s in ctx.sessions:
        loc = s.location
        ent = dict(sessions=[s.id], room=s.room)
        if loc == "remote":
            if s.room is not None:
                out.append(violation(4, f"Session {ctx.sdesc(s)} of remote module {s.module_id} "
                                        f"has room {s.room}; remote sessions have no room.", **ent))
            continue
        if s.room is None:
            if loc is not None:
                out.append(violation(4, f"Session {ctx.sdesc(s)} has no room (module "
                                        f"{s.module_id} is not remote).", **ent))
            continue
        room = ctx.rooms.get(s.room)
        if room is None:
            out.append(violation(4, f"Session {s.id} names room {s.room}, which does not exist.", **ent))
            continue
        if isinstance(s, TimedSession):
            by_room[s.room].append(s)
        if loc is None or s.module is None:
            continue
        rl = ctx.label("room", s.room)
        if s.cohort is not None:
            cap = number(room.get("capacity"))
            size = len(s.cohort.members)
            if cap is not None and size > cap:
                out.append(violation(4, f"{rl} seats {fmt_num(cap)}, but cohort {s.cohort_id} has "
                                        f"{size} participants in {s.id}.", cohort=s.cohort_id, **ent))
        missing = [f for f in (s.module.get("room_features") or []) if f not in (room.get("features") or [])]
        if missing:
            out.append(violation(4, f"{rl} lacks {', '.join(missing)} needed by module {s.module_id} in {s.id}.",
                                 features=missing, **ent))
        if loc == "workplace" and s.cohort is not None:
            wps = set(s.cohort.workplaces)
            if not wps:
                declared = s.cohort.raw.get("workplaces")
                wps = {w for w in declared if isinstance(w, str)} if isinstance(declared, list) else set()
            sites = {ctx.workplaces[w].get("site") for w in wps if w in ctx.workplaces}
            if room.get("site") not in sites:
                out.append(violation(4, f"{rl} is at {room.get('site')}, but {s.id} (module {s.module_id}) must be "
                                        f"held at the workplace "
                                        f"({', '.join(sorted(str(x) for x in sites)) or 'unknown site'}) of cohort "
                                        f"{s.cohort_id}.", cohort=s.cohort_id, **ent))
        if isinstance(s, TimedSession):
            _, unav = ctx.availability_windows("room", s.room, {"unavailable": room.get("unavailable")})
            for x, y, label in unav:
                if x < s.b and s.a < y:
                    out.append(violation(4, f"{rl} is unavailable {label}, but {ctx.sdesc(s)} uses it.", **ent))
                    break
    for r, lst in by_room.items():
        for s, u in overlapping_pairs(lst):
            out.append(violation(4, f"{ctx.label('room', r)} hosts {s.id} and "
                                    f"{u.id} at the same time on {ctx.fmt(u.a)}.",
                                 sessions=[s.id, u.id], room=r))
    return out
