"""What the planning board shows of one schedule, computed once on the server.

The board's pages draw from the JSON API; this module builds the one document they need that
the schedule alone does not carry: sessions with their module's name, "n of m", cohort size,
site and teams, the names of every entity, and the staffing of every team per shift (training
load against slack). Staffing is counted with the independent validator's reading of the
scenario (`scheduler.validate.Context`: shift instances, DST, participants' teams), so the
board shows the same numbers rule 7 is checked with. A manager gets their workplace's view only
(`service.store.manager_schedule_view`): their cohorts, their participants, their teams.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from scheduler.validate import build_context
from service.store import manager_schedule_view


def _names(items: list | None) -> dict[str, str]:
    """id -> display name of a list of scenario entities (the id when there is no name)."""
    return {str(x["id"]): str(x.get("name") or x["id"]) for x in items or [] if isinstance(x, dict) and "id" in x}


def team_key(workplace: str, team: str) -> str:
    """The board's id of a team: ``workplace/team`` (team ids are unique only per workplace)."""
    return f"{workplace}/{team}"


def entity_names(scenario: dict) -> dict[str, dict[str, str]]:
    """Display names of trainers, rooms, interpreters, sites, workplaces, teams, modules, tracks, plans."""
    teams = {}
    for w in scenario.get("workplaces") or []:
        for t in w.get("teams") or []:
            teams[team_key(w["id"], t["id"])] = f"{t['id']} ({w.get('name') or w['id']})"
    return {"trainers": _names(scenario.get("trainers")), "rooms": _names(scenario.get("rooms")),
            "interpreters": _names(scenario.get("interpreters")), "sites": _names(scenario.get("sites")),
            "workplaces": _names(scenario.get("workplaces")), "modules": _names(scenario.get("modules")),
            "tracks": _names(scenario.get("tracks")), "plans": _names(scenario.get("action_plans")),
            "teams": teams}


def _member_teams(ctx, members: list[str]) -> list[str]:
    """The board ids of the teams the given participants work in, in first-seen order."""
    out: dict[str, None] = {}
    for m in members:
        person = ctx.persons.get(m)
        if person is not None and person.team is not None:
            out[team_key(*person.team)] = None
    return list(out)


def enriched_sessions(ctx, scenario: dict, schedule: dict) -> list[dict]:
    """The schedule's sessions, sorted by start, each with module name, index of the module's
    session count ("n of m"), cohort size, site, track, workplaces and teams."""
    rooms = {r["id"]: r for r in scenario.get("rooms") or [] if isinstance(r, dict) and "id" in r}
    cohorts = {c["id"]: c for c in schedule.get("cohorts") or []}
    out = []
    for s in sorted(schedule.get("sessions") or [], key=lambda x: (x["start"], x["id"])):
        module = ctx.modules.get(s.get("module")) or {}
        cohort = cohorts.get(s.get("cohort")) or {}
        members = [str(p) for p in cohort.get("participants") or []]
        room = rooms.get(s.get("room")) if s.get("room") else None
        out.append({"id": s["id"], "cohort": s.get("cohort"), "module": s.get("module"), "index": s.get("index"),
                    "of": module.get("sessions"), "start": s["start"], "end": s["end"], "trainer": s.get("trainer"),
                    "room": s.get("room"), "site": room.get("site") if room else None,
                    "interpreters": list(s.get("interpreters") or []), "size": len(members),
                    "track": cohort.get("track"), "workplaces": [str(w) for w in cohort.get("workplaces") or []],
                    "teams": _member_teams(ctx, members)})
    return out


def enriched_unscheduled(ctx, schedule: dict) -> list[dict]:
    """Unscheduled sessions with their module's session count and their cohort's size."""
    sizes = {c["id"]: len(c.get("participants") or []) for c in schedule.get("cohorts") or []}
    return [dict(u, of=(ctx.modules.get(u.get("module")) or {}).get("sessions"), size=sizes.get(u.get("cohort")))
            for u in schedule.get("unscheduled") or []]


# ---------------------------------------------------------------------------- staffing

def _team_intervals(ctx) -> dict[tuple, list[tuple[float, float, str]]]:
    """Per team: (start, end, participant) of every timed session of every member."""
    out: dict[tuple, list] = defaultdict(list)
    for s in ctx.timed:
        for m in s.members:
            person = ctx.persons.get(m)
            if person is not None and person.team is not None:
                out[person.team].append((s.a, s.b, m))
    return out


def peak_in_shift(intervals: list[tuple[float, float, str]], start: float, end: float) -> int:
    """The largest number of distinct participants in training at one moment of [start, end)."""
    events = []
    for a, b, m in intervals:
        a, b = max(a, start), min(b, end)
        if b > a:
            events.append((a, 1, m))
            events.append((b, -1, m))
    events.sort(key=lambda e: (e[0], e[1]))  # an end before a start at the same instant
    active: dict[str, int] = defaultdict(int)
    peak = 0
    for _, kind, m in events:
        active[m] += kind
        if active[m] == 0:
            del active[m]
        peak = max(peak, len(active))
    return peak


def team_staffing(ctx, key: tuple, intervals: list) -> dict:
    """One team's shifts with training: per shift the peak number of members in training (load),
    the slack (headcount - min_staffing) and the margin left; the tightest margin and its days."""
    team = ctx.teams.get(key) or {}
    head, mins = team.get("headcount"), team.get("min_staffing")
    slack = (head - mins) if isinstance(head, (int, float)) and isinstance(mins, (int, float)) else None
    shifts = {}
    for a, b, _ in intervals:
        for sh in ctx.shifts_overlapping(key, a, b):
            shifts[(sh.start, sh.type)] = sh
    rows = []
    for sh in sorted(shifts.values(), key=lambda x: x.start):
        load = peak_in_shift(intervals, sh.start, sh.end)
        if load == 0:
            continue
        rows.append({"date": sh.date.isoformat(), "shift": sh.type,
                     "start": ctx.to_local(sh.start).isoformat(), "end": ctx.to_local(sh.end).isoformat(),
                     "load": load, "slack": slack, "margin": None if slack is None else slack - load})
    margins = [r["margin"] for r in rows if r["margin"] is not None]
    tightest = min(margins) if margins else None
    return {"id": team_key(*key), "workplace": key[0], "team": key[1], "headcount": head, "min_staffing": mins,
            "slack": slack, "shifts": rows, "tightest_margin": tightest,
            "tightest_days": sorted({r["date"] for r in rows if tightest is not None and r["margin"] == tightest}),
            "training_shifts": len(rows), "peak_load": max((r["load"] for r in rows), default=0)}


def staffing(ctx, workplace: str | None = None) -> list[dict]:
    """Every team with training (of ``workplace`` only, when given), tightest margin first."""
    out = []
    for key, intervals in _team_intervals(ctx).items():
        if workplace is not None and key[0] != workplace:
            continue
        out.append(team_staffing(ctx, key, intervals))
    return sorted(out, key=lambda t: (t["tightest_margin"] if t["tightest_margin"] is not None else 1e9, t["id"]))


# ---------------------------------------------------------------------------- the whole board document

def _iso(value: Any) -> Any:
    return value.astimezone(UTC).isoformat() if isinstance(value, datetime) else value


def board_document(scenario: dict, schedule: dict, meta: dict, *, workplace: str | None = None) -> dict:
    """Everything the schedule page draws: ``meta`` (ids, revision, variant parent ...), the
    sessions, unscheduled sessions, names and staffing. With ``workplace`` (a manager) only
    that workplace's view, and no costs: the objective names other workplaces' hours."""
    if workplace is not None:
        schedule = manager_schedule_view(scenario, schedule, workplace)
    ctx = build_context(scenario, schedule)
    doc = {
        "schedule": {k: _iso(v) for k, v in meta.items()},
        "format": "modulplan/board-1",
        "scenario_name": scenario.get("name") or scenario.get("id"),
        "timezone": scenario.get("timezone") or "Europe/Stockholm",
        "horizon": scenario.get("horizon"),
        "status": schedule.get("status"),
        "workplace": workplace,
        "names": entity_names(scenario),
        "cohorts": [{"id": c["id"], "track": c.get("track"), "workplaces": c.get("workplaces") or [],
                     "size": len(c.get("participants") or [])} for c in schedule.get("cohorts") or []],
        "sessions": enriched_sessions(ctx, scenario, schedule),
        "unscheduled": enriched_unscheduled(ctx, schedule),
        "unassigned_participants": len(schedule.get("unassigned_participants") or []),
        "staffing": staffing(ctx, workplace),
    }
    if workplace is None:
        doc.update(objective=schedule.get("objective"), bound=schedule.get("bound"),
                   solve_seconds=schedule.get("solve_seconds"), kpis=schedule.get("kpis"))
    return doc
