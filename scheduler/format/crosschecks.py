"""The checks across records of a scenario: unique ids, every reference resolved, no
participant counted twice, plan dates in order.

They run on the raw document (so that list indexes are the user's, and so that they run
even when other parts failed); a value that failed its own field check is skipped rather
than reported twice. The findings are collected in an :class:`ErrorTree` and reported
together with the field errors. Feasibility questions (no room at a workplace's site, a
deadline outside the horizon) are not format errors: the solver explains those.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from scheduler.format.problems import ErrorTree
from scheduler.format.sentences import NOUNS, render_path
from scheduler.format.values import objects_of, parse_date, valid_id, valid_int
from scheduler.format.vocabulary import OFF_DAY


class _Anything(dict):
    """Stands in for an entity list that is missing or not a list: every id is "known",
    so that one broken list does not bring a cascade of unknown-reference errors."""

    def __contains__(self, key: object) -> bool:
        return True


def index_ids(errors: ErrorTree, parent: Mapping, key: str, prefix: tuple = ()) -> dict[str, int]:
    """id -> index of its first occurrence in ``parent[key]``; reports repeated ids."""
    noun = NOUNS[key]
    if not isinstance(parent.get(key), list):
        return _Anything()
    seen: dict[str, int] = {}
    for i, item in objects_of(parent, key):
        ident = valid_id(item.get("id"))
        if ident is None:
            continue
        if ident in seen:
            first = render_path((*prefix, key, seen[ident]))
            errors.add((*prefix, key, i, "id"),
                       f"{noun} id {ident} is used twice (first at {first}); ids must be unique")
        else:
            seen[ident] = i
    return seen


def cross_check_scenario(doc: Mapping) -> ErrorTree:
    """Every cross-record problem of a raw scenario document: repeated ids first, then the
    references and the participants, object list by object list."""
    e = ErrorTree()

    shift_types = index_ids(e, doc, "shift_types")
    for i, st in objects_of(doc, "shift_types"):
        if st.get("id") == OFF_DAY:
            e.add(("shift_types", i, "id"),
                  f'shift type id "{OFF_DAY}" is reserved: it means a day off in shift pattern cycles')
    patterns = index_ids(e, doc, "shift_patterns")
    sites = index_ids(e, doc, "sites")
    workplaces = index_ids(e, doc, "workplaces")
    index_ids(e, doc, "rooms")
    index_ids(e, doc, "trainers")
    index_ids(e, doc, "interpreters")
    modules = index_ids(e, doc, "modules")
    tracks = index_ids(e, doc, "tracks")
    index_ids(e, doc, "action_plans")

    _check_shift_patterns(e, doc, shift_types)
    teams_by_wp = _check_workplaces(e, doc, patterns, sites)
    _check_home_sites(e, doc, sites)
    _check_travel_pairs(e, doc, sites)
    _check_tracks(e, doc, modules)
    named_ids, counted = _check_action_plans(e, doc, workplaces, tracks, teams_by_wp)
    _check_generated_ids(e, named_ids, counted)
    return e


def _site_ref(e: ErrorTree, sites: dict[str, int], path: tuple, value: Any, what: str) -> None:
    site = valid_id(value)
    if site is not None and site not in sites:
        e.add(path, f"{what} site {site}, which is not in sites")


def _check_shift_patterns(e: ErrorTree, doc: Mapping, shift_types: dict[str, int]) -> None:
    """Shift patterns use listed shift types (or "-" for a day off)."""
    for i, shift_pattern in objects_of(doc, "shift_patterns"):
        cycle = shift_pattern.get("cycle")
        pid = valid_id(shift_pattern.get("id")) or f"number {i + 1}"
        if isinstance(cycle, list):
            for k, entry in enumerate(cycle):
                entry = valid_id(entry)
                if entry is not None and entry != OFF_DAY and entry not in shift_types:
                    e.add(("shift_patterns", i, "cycle", k),
                          f"shift pattern {pid} uses shift type {entry} on cycle day {k}, which is not "
                          f'in shift_types (use "{OFF_DAY}" for a day off)')


def _check_workplaces(e: ErrorTree, doc: Mapping, patterns: dict[str, int],
                      sites: dict[str, int]) -> dict[int, dict[str, Any]]:
    """A workplace's site, its teams (ids unique within the workplace) and their patterns.
    Returns, per workplace index, its teams by id."""
    teams_by_wp: dict[int, dict[str, Any]] = {}
    for i, wp in objects_of(doc, "workplaces"):
        wid = valid_id(wp.get("id")) or f"number {i + 1}"
        _site_ref(e, sites, ("workplaces", i, "site"), wp.get("site"), f"workplace {wid} is at")
        team_index = index_ids(e, wp, "teams", ("workplaces", i))
        teams_by_wp[i] = (team_index if isinstance(team_index, _Anything)
                          else {tid: wp["teams"][k] for tid, k in team_index.items()})
        for k, team_entry in objects_of(wp, "teams"):
            pattern = valid_id(team_entry.get("pattern"))
            if pattern is not None and pattern not in patterns:
                tid = valid_id(team_entry.get("id")) or f"number {k + 1}"
                e.add(("workplaces", i, "teams", k, "pattern"),
                      f"team {tid} of workplace {wid} works shift pattern {pattern}, which is not in shift_patterns")
    return teams_by_wp


def _check_home_sites(e: ErrorTree, doc: Mapping, sites: dict[str, int]) -> None:
    """Rooms are at listed sites; trainers' and interpreters' home sites are listed."""
    for i, room in objects_of(doc, "rooms"):
        rid = valid_id(room.get("id")) or f"number {i + 1}"
        _site_ref(e, sites, ("rooms", i, "site"), room.get("site"), f"room {rid} is at")
    for key in ("trainers", "interpreters"):
        for i, person in objects_of(doc, key):
            pid = valid_id(person.get("id")) or f"number {i + 1}"
            if person.get("home_site") is not None:
                _site_ref(e, sites, (key, i, "home_site"), person.get("home_site"),
                          f"{NOUNS[key]} {pid} has as home_site the")


def _check_travel_pairs(e: ErrorTree, doc: Mapping, sites: dict[str, int]) -> None:
    """Travel pairs join two different listed sites, each pair once (either direction)."""
    travel = doc.get("travel")
    seen_pairs: dict[frozenset, int] = {}
    for i, pair in objects_of(travel, "pairs"):
        a, b = valid_id(pair.get("from")), valid_id(pair.get("to"))
        _site_ref(e, sites, ("travel", "pairs", i, "from"), a, f"travel pair number {i + 1} starts at")
        _site_ref(e, sites, ("travel", "pairs", i, "to"), b, f"travel pair number {i + 1} goes to")
        if a is None or b is None:
            continue
        if a == b:
            e.add(("travel", "pairs", i, "to"),
                  f"travel pair number {i + 1} goes from {a} to itself; travel within one site always takes 0 minutes")
            continue
        pair_key = frozenset((a, b))
        if pair_key in seen_pairs:
            e.add(("travel", "pairs", i),
                  f"travel between {a} and {b} is already given by travel pair number {seen_pairs[pair_key] + 1} "
                  "(travel times are symmetric)")
        else:
            seen_pairs[pair_key] = i


def _check_tracks(e: ErrorTree, doc: Mapping, modules: dict[str, int]) -> None:
    """Tracks list listed modules, each once."""
    for i, track_entry in objects_of(doc, "tracks"):
        tid = valid_id(track_entry.get("id")) or f"number {i + 1}"
        listed = track_entry.get("modules")
        if not isinstance(listed, list):
            continue
        seen_modules: set[str] = set()
        for k, listed_module in enumerate(listed):
            module = valid_id(listed_module)
            if module is None:
                continue
            if module not in modules:
                e.add(("tracks", i, "modules", k), f"track {tid} lists module {module}, which is not in modules")
            elif module in seen_modules:
                e.add(("tracks", i, "modules", k), f"track {tid} lists module {module} twice")
            seen_modules.add(module)


def _check_action_plans(e: ErrorTree, doc: Mapping, workplaces: dict[str, int], tracks: dict[str, int],
                        teams_by_wp: dict[int, dict[str, Any]],
                        ) -> tuple[dict[str, str], list[tuple[tuple, str, str, int]]]:
    """A plan's workplace and track, its participants' teams and headcounts, its dates.
    Returns the named participant ids (id -> first plan) and the counted entries
    (path, plan, team, count) for :func:`_check_generated_ids`."""
    raw_horizon = doc.get("horizon")
    horizon: Mapping[Any, Any] = raw_horizon if isinstance(raw_horizon, Mapping) else {}
    h_start, h_end = parse_date(horizon.get("start")), parse_date(horizon.get("end"))
    if h_start and h_end and h_end < h_start:  # reported by HorizonSchema; no follow-up errors
        h_start = h_end = None
    wp_ids = {i: valid_id(wp.get("id")) for i, wp in objects_of(doc, "workplaces")}
    person_team: dict[str, tuple[str, str, str]] = {}  # participant id -> (workplace, team, plan)
    named_ids: dict[str, str] = {}  # participant id -> plan id (first seen)
    counted: list[tuple[tuple, str, str, int]] = []  # (path, plan, team, count)

    for i, plan in objects_of(doc, "action_plans"):
        pid = valid_id(plan.get("id")) or f"number {i + 1}"
        workplace = valid_id(plan.get("workplace"))
        if workplace is not None and workplace not in workplaces:
            e.add(("action_plans", i, "workplace"),
                  f"action plan {pid} is for workplace {workplace}, which is not in workplaces")
        track = valid_id(plan.get("track"))
        if track is not None and track not in tracks:
            e.add(("action_plans", i, "track"), f"action plan {pid} takes track {track}, which is not in tracks")

        home_wp = workplaces.get(workplace) if workplace is not None else None
        search_order = ([home_wp] if home_wp is not None else []) + [w for w in teams_by_wp if w != home_wp]
        per_team: dict[tuple[int, str], int] = {}
        named_here: set[str] = set()
        counted_teams: set[str] = set()
        for k, part in objects_of(plan, "participants"):
            path = ("action_plans", i, "participants", k)
            team = valid_id(part.get("team"))
            found = None
            if team is not None and isinstance(doc.get("workplaces"), list):
                found = next((w for w in search_order if team in teams_by_wp.get(w, {})), None)
                if found is None:
                    where = (f"neither workplace {workplace} nor any other workplace" if home_wp is not None
                             else "no workplace")
                    e.add((*path, "team"),
                          f"action plan {pid} has participants from team {team}, but {where} has a team {team}")
            name = valid_id(part.get("id")) if "count" not in part else None
            count = valid_int(part.get("count")) if "id" not in part else None
            if name is not None:
                if name in named_here:
                    e.add((*path, "id"), f"participant {name} is listed twice in action plan {pid}")
                named_here.add(name)
                named_ids.setdefault(name, pid)
                if found is not None and team is not None:  # (a team is found only when it is given)
                    placed = (wp_ids.get(found) or f"number {found + 1}", team, pid)
                    earlier = person_team.setdefault(name, placed)
                    if earlier[:2] != placed[:2] and earlier[2] != pid:
                        e.add((*path, "team"),
                              f"participant {name} is in team {team} of workplace {placed[0]} here, but in team "
                              f"{earlier[1]} of workplace {earlier[0]} in action plan {earlier[2]}; "
                              "one person belongs to one team")
            if count is not None and count >= 1 and team is not None:
                if team in counted_teams:
                    e.add((*path, "team"),
                          f"action plan {pid} counts participants from team {team} in two entries; "
                          "give them as one entry with the total count")
                counted_teams.add(team)
                if valid_id(plan.get("id")) is not None:
                    counted.append((path, pid, team, count))
            if found is not None and team is not None:
                n = 1 if name is not None else (count if count is not None and count >= 1 else 0)
                per_team[(found, team)] = per_team.get((found, team), 0) + n
        for (w, team), n in per_team.items():
            team_obj = teams_by_wp[w].get(team)
            headcount = valid_int(team_obj.get("headcount")) if isinstance(team_obj, Mapping) else None
            if headcount is not None and headcount >= 1 and n > headcount:
                e.add(("action_plans", i, "participants"),
                      f"action plan {pid} has {n} participants from team {team}, "
                      f"more than the team's headcount of {headcount}")

        _check_plan_dates(e, i, plan, pid, h_start, h_end)
    return named_ids, counted


def _check_plan_dates(e: ErrorTree, i: int, plan: Mapping, pid: str, h_start: date | None,
                      h_end: date | None) -> None:
    """earliest <= deadline and earliest <= target, with the defaults filled in as load_scenario will."""
    earliest = parse_date(plan["earliest"]) if "earliest" in plan else h_start
    deadline = parse_date(plan["deadline"]) if "deadline" in plan else h_end
    target = parse_date(plan["target"]) if "target" in plan else None
    if earliest and deadline and deadline < earliest:
        if "deadline" in plan:
            note = "" if "earliest" in plan else ", the horizon start"
            e.add(("action_plans", i, "deadline"),
                  f"deadline ({deadline}) of action plan {pid} is before its earliest date ({earliest}{note})")
        else:
            e.add(("action_plans", i, "earliest"),
                  f"earliest ({earliest}) of action plan {pid} is after its deadline ({deadline}, the horizon end)")
    if earliest and target and target < earliest:
        note = "" if "earliest" in plan else ", the horizon start"
        e.add(("action_plans", i, "target"),
              f"target ({target}) of action plan {pid} is before its earliest date ({earliest}{note})")


def _check_generated_ids(e: ErrorTree, named_ids: dict[str, str],
                         counted: list[tuple[tuple, str, str, int]]) -> None:
    """Counted participants get ids <plan>-<team>-<n>: they must not clash with other ids."""
    generated: dict[str, str] = {}
    for path, plan_id, team, count in counted:
        for n in range(1, count + 1):
            generated_id = f"{plan_id}-{team}-{n}"
            clash = named_ids.get(generated_id)
            if clash is None and generated_id in generated and generated[generated_id] != plan_id:
                clash = generated[generated_id]
            if clash is not None:
                e.add(path, f"the generated participant id {generated_id} (count of team {team} in action plan "
                            f"{plan_id}) is also a participant id in action plan {clash}")
                break
            generated[generated_id] = plan_id
