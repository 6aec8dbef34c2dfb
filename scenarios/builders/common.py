"""Small helpers shared by the scenario builders: JSON objects of the scenario-1 format
(trainer, module, room, weekly window, period) with the defaults the examples use, and
`alloc`, which sizes a plan so that it splits into cohorts that keep rule 7 (staffing)."""

from __future__ import annotations

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]


def weekly(days, start, end):
    return [{"weekday": d, "start": start, "end": end} for d in days]


def trainer(tid, name, quals, home, *, langs=("sv",), max_week=1800, per_day=2, avail=None,
            unavailable=(), cost=650):
    return {"id": tid, "name": name, "qualifications": list(quals), "languages": list(langs),
            "home_site": home, "max_minutes_per_week": max_week, "max_sessions_per_day": per_day,
            "available": avail if avail is not None else weekly(WEEKDAYS, "07:30", "17:00"),
            "unavailable": list(unavailable), "cost_per_hour": cost}


def module(mid, name, sessions, minutes, *, qual=None, features=(), location="any", min_gap=2,
           max_gap=None):
    m = {"id": mid, "name": name, "sessions": sessions, "duration_minutes": minutes,
         "qualification": qual or mid, "room_features": list(features), "location": location,
         "min_gap_days": min_gap}
    if max_gap:
        m["max_gap_days"] = max_gap
    return m


def room(rid, name, site, cap, features=(), unavailable=()):
    return {"id": rid, "name": name, "site": site, "capacity": cap, "features": list(features),
            "unavailable": list(unavailable)}


def period(start, end):
    return {"start": start, "end": end}


def alloc(rng, teams, gmin, gmax, k):
    """Participant counts per team for an on-shift-only plan that can form k cohorts.

    teams: [(team id, slack, max persons)].  Each cohort may hold at most `slack` people of a
    team (rule 7: they are all on shift during the session), so a team gives at most k*slack;
    the total lies in k*gmin .. k*min(gmax, sum of slacks), dealt round-robin it gives k
    cohorts of valid size.
    """
    while k > 0:
        caps = {t: max(0, min(k * s, lim)) for t, s, lim in teams}
        hi = min(k * min(gmax, sum(s for _, s, _ in teams)), sum(caps.values()))
        lo = k * gmin
        if hi >= lo:
            total = rng.randint(lo, hi)
            counts = dict(caps)
            while sum(counts.values()) > total:
                t = rng.choice([t for t in counts if counts[t] > 0])
                counts[t] -= 1
            return counts
        k -= 1
    raise ValueError(f"no valid cohort split for {teams}")
