"""What the board's action-plan form needs to know of a programme, for one workplace.

A manager may not read the whole scenario (it names every participant of every workplace), yet
their form must show their teams as the programme has them (shift pattern, headcount, minimum
staffing) and offer the catalogue's tracks. This module cuts that out of the scenario document:
the workplace's teams with their rota spelled out in shift types, the tracks with their modules,
the languages trainers and interpreters cover, and the planning period. Nothing of another
workplace is in it (a coordinator gets the list of workplaces to choose from).
"""

from __future__ import annotations

from typing import Any


def _by_id(items: Any) -> dict[str, dict]:
    """id -> entity of a list of scenario entities (entries without an id are left out)."""
    return {str(x["id"]): x for x in items or [] if isinstance(x, dict) and "id" in x}


def team_view(team: dict, patterns: dict[str, dict], shift_types: dict[str, dict]) -> dict:
    """A team as the form shows it: rota (cycle of shift type ids, '-' a day off) with each
    shift's times, headcount, minimum staffing and the slack between them."""
    pattern = patterns.get(str(team.get("pattern"))) or {}
    cycle = [str(s) for s in pattern.get("cycle") or []]
    used = [s for s in dict.fromkeys(cycle) if s != "-"]
    head, mins = team.get("headcount"), team.get("min_staffing")
    slack = head - mins if isinstance(head, int) and isinstance(mins, int) else None
    return {"id": str(team.get("id")), "pattern": str(team.get("pattern")), "cycle": cycle,
            "anchor": pattern.get("anchor"), "offset_days": team.get("offset_days") or 0,
            "shifts": [{"id": s, "start": (shift_types.get(s) or {}).get("start"),
                        "end": (shift_types.get(s) or {}).get("end")} for s in used],
            "headcount": head, "min_staffing": mins, "slack": slack}


def track_view(track: dict, modules: dict[str, dict]) -> dict:
    """A catalogue track with its modules' names, session counts and lengths."""
    mods = []
    for m in track.get("modules") or []:
        mod = modules.get(str(m)) or {}
        mods.append({"id": str(m), "name": str(mod.get("name") or m), "sessions": mod.get("sessions"),
                     "duration_minutes": mod.get("duration_minutes")})
    return {"id": str(track["id"]), "name": str(track.get("name") or track["id"]), "modules": mods,
            "min_group": track.get("min_group"), "max_group": track.get("max_group"),
            "mix_workplaces": bool(track.get("mix_workplaces"))}


def current_plan_view(plan: dict) -> dict:
    """A plan as the programme's current version has it (what the next compile keeps for a
    workplace that submits nothing new): id, track, dates and how many take part, per team."""
    per_team: dict[str, int] = {}
    for p in plan.get("participants") or []:
        if isinstance(p, dict):
            team = str(p.get("team"))
            per_team[team] = per_team.get(team, 0) + (p["count"] if isinstance(p.get("count"), int) else 1)
    return {"id": str(plan.get("id")), "track": str(plan.get("track")), "earliest": plan.get("earliest"),
            "deadline": plan.get("deadline"), "target": plan.get("target"), "participants_per_team": per_team,
            "document": plan}


def plan_context(scenario: dict, workplace: str | None) -> dict:
    """The action-plan form's view of a programme: for ``workplace`` its teams; always the
    tracks, the languages taught or interpreted, the horizon and the list of workplaces the
    caller may choose (only ``workplace`` itself when one is given by a manager's token)."""
    patterns = _by_id(scenario.get("shift_patterns"))
    shift_types = _by_id(scenario.get("shift_types"))
    modules = _by_id(scenario.get("modules"))
    workplaces = _by_id(scenario.get("workplaces"))
    chosen = workplaces.get(workplace) if workplace else None
    languages: set[str] = set()
    for person in [*(scenario.get("trainers") or []), *(scenario.get("interpreters") or [])]:
        if isinstance(person, dict):
            languages.update(str(x) for x in person.get("languages") or [])
    return {
        "scenario_id": scenario.get("id"),
        "name": scenario.get("name") or scenario.get("id"),
        "horizon": scenario.get("horizon"),
        "timezone": scenario.get("timezone") or "Europe/Stockholm",
        "workplace": None if chosen is None else {
            "id": workplace, "name": str(chosen.get("name") or workplace),
            "teams": [team_view(t, patterns, shift_types) for t in chosen.get("teams") or [] if isinstance(t, dict)],
            "current_plans": [current_plan_view(p) for p in scenario.get("action_plans") or []
                              if isinstance(p, dict) and p.get("workplace") == workplace]},
        "tracks": [track_view(t, modules) for t in scenario.get("tracks") or [] if isinstance(t, dict) and "id" in t],
        "languages": sorted(languages),
    }


def workplace_choices(scenario: dict) -> list[dict]:
    """[{id, name}] of every workplace of the programme (for a coordinator's or planner's choice)."""
    return [{"id": k, "name": str(w.get("name") or k)} for k, w in _by_id(scenario.get("workplaces")).items()]
