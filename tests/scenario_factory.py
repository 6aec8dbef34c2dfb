"""Small scenarios for solver tests, and a solve-and-validate helper.

``scenario_factory(**overrides)`` builds a minimal valid ``modulplan/scenario-1``
dict, so that a test states only what matters to it:

* one site ``S-W`` with workplace ``W1`` and its team ``lag-1`` (day shift ``D``
  07:00-16:00, Mon-Fri, headcount 10, min_staffing 5),
* one trainer ``T1`` (qualified for ``M1``, speaks sv, home ``S-W``, 600/h),
* one room ``R1`` at ``S-W`` (10 seats), one module ``M1`` (1 x 60 min, any room),
  one track ``K1`` (groups of 1..8), one action plan ``HP1`` (3 counted participants
  of ``lag-1``: ids ``HP1-lag-1-1`` ...),
* horizon Mon 2027-04-05 .. Fri 2027-04-16 (no Swedish holiday in it), start times
  08:00 and 13:00, daily rest 11 h, default weights.

Overrides (all keyword-only):

* convenience keys: ``participants`` (an int: that many counted participants of
  ``lag-1``; or a list of participant entries), ``start_times``, ``horizon``
  (``(start, end)``), ``earliest``, ``deadline``, ``target``, ``allow_on_shift``,
  ``allow_off_shift`` (these five go to plan ``HP1``); ``calendar``, ``team``,
  ``trainer``, ``room``, ``module``, ``track``, ``plan`` (dicts merged into the
  calendar / the single default entity);
* any top-level scenario key (``trainers=[...]``, ``rooms=[...]``, ``weights={...}``,
  ...) replaces that key;
* a path with double underscores sets one nested value, list indexes as numbers:
  ``trainers__0__max_sessions_per_day=1``.

The ``team``/``trainer``/... builder functions below make further entities with
the same defaults, e.g. ``rooms=[room("R1", capacity=4), room("R2", capacity=8)]``.

``solve_checked(data)`` solves with a short time limit, runs the independent
validator on the result and fails the test (printing the validator's report) on
any violation; it returns the schedule dict.
"""

from __future__ import annotations

import copy
from datetime import date, datetime

from scheduler.format import ScenarioInvalid, load_scenario, load_schedule
from scheduler.solve import SolveParams, solve_scenario
from scheduler.validate import format_report, validate

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MON_FRI = WEEKDAYS[:5]

#: Monday of the default horizon's first week; also the anchor of the default patterns.
H0 = "2027-04-05"
H1 = "2027-04-16"
ANCHOR = "2027-01-04"  # a Monday


# ----------------------------------------------------------------------------- builders

def shift_type(sid: str, start: str, end: str) -> dict:
    return {"id": sid, "start": start, "end": end}


def pattern(pid: str, cycle, anchor: str = ANCHOR) -> dict:
    return {"id": pid, "anchor": anchor, "cycle": list(cycle)}


def team(tid: str = "lag-1", pattern: str = "dag", headcount: int = 10, min_staffing: int = 5,
         offset_days: int = 0) -> dict:
    return {"id": tid, "pattern": pattern, "offset_days": offset_days, "headcount": headcount,
            "min_staffing": min_staffing}


def workplace(wid: str = "W1", site: str = "S-W", teams=None) -> dict:
    return {"id": wid, "name": f"Workplace {wid}", "site": site, "teams": list(teams or [team()])}


def weekly(days, start: str, end: str) -> list[dict]:
    """Weekly availability windows: the same hours on each of ``days``."""
    return [{"weekday": d, "start": start, "end": end} for d in days]


def trainer(tid: str = "T1", qualifications=("M1",), languages=("sv",), home_site: str | None = "S-W",
            cost_per_hour: float = 600, **kw) -> dict:
    out = {"id": tid, "name": f"Trainer {tid}", "qualifications": list(qualifications),
           "languages": list(languages), "home_site": home_site, "cost_per_hour": cost_per_hour}
    out.update(kw)
    return out


def interpreter(iid: str = "I1", languages=("ar", "sv"), home_site: str | None = "S-W", **kw) -> dict:
    out = {"id": iid, "name": f"Interpreter {iid}", "languages": list(languages), "home_site": home_site}
    out.update(kw)
    return out


def room(rid: str = "R1", site: str = "S-W", capacity: int = 10, features=(), **kw) -> dict:
    out = {"id": rid, "name": f"Room {rid}", "site": site, "capacity": capacity, "features": list(features)}
    out.update(kw)
    return out


def module(mid: str = "M1", sessions: int = 1, duration_minutes: int = 60, location: str = "any", **kw) -> dict:
    out = {"id": mid, "name": f"Module {mid}", "sessions": sessions, "duration_minutes": duration_minutes,
           "location": location}
    out.update(kw)
    return out


def track(tid: str = "K1", modules=("M1",), min_group: int = 1, max_group: int = 8, mix_workplaces: bool = False,
          **kw) -> dict:
    out = {"id": tid, "name": f"Track {tid}", "modules": list(modules), "min_group": min_group,
           "max_group": max_group, "mix_workplaces": mix_workplaces}
    out.update(kw)
    return out


def counted(team_id: str = "lag-1", count: int = 3, language: str | None = None) -> dict:
    out = {"team": team_id, "count": count}
    if language:
        out["language"] = language
    return out


def named(pid: str, team_id: str = "lag-1", language: str | None = None) -> dict:
    out = {"id": pid, "team": team_id}
    if language:
        out["language"] = language
    return out


def plan(pid: str = "HP1", workplace: str = "W1", track: str = "K1", participants=None, **kw) -> dict:
    """An action plan; ``participants`` is an int (counted members of lag-1) or a list of entries."""
    if participants is None:
        participants = 3
    if isinstance(participants, int):
        participants = [counted("lag-1", participants)]
    out = {"id": pid, "workplace": workplace, "track": track, "participants": list(participants),
           "allow_on_shift": True, "allow_off_shift": False}
    out.update(kw)
    return out


DAY_SHIFT = shift_type("D", "07:00", "16:00")
DAY_PATTERN = pattern("dag", ["D", "D", "D", "D", "D", "-", "-"])


def base_scenario() -> dict:
    return {
        "format": "modulplan/scenario-1",
        "id": "factory",
        "name": "Factory scenario",
        "timezone": "Europe/Stockholm",
        "horizon": {"start": H0, "end": H1},
        "calendar": {
            "holidays": "SE",
            "closed": [],
            "weekdays": list(MON_FRI),
            "start_times": ["08:00", "13:00"],
            "daily_rest_hours": 11,
        },
        "shift_types": [dict(DAY_SHIFT)],
        "shift_patterns": [copy.deepcopy(DAY_PATTERN)],
        "sites": [{"id": "S-W", "name": "Workplace site"}],
        "travel": {"default_minutes": 30, "pairs": []},
        "workplaces": [workplace()],
        "rooms": [room()],
        "trainers": [trainer()],
        "interpreters": [],
        "modules": [module()],
        "tracks": [track()],
        "action_plans": [plan()],
        "weights": {},
    }


_PLAN_KEYS = ("earliest", "deadline", "target", "allow_on_shift", "allow_off_shift")
_SINGLE = {"team": ("workplaces", 0, "teams", 0), "trainer": ("trainers", 0), "room": ("rooms", 0),
           "module": ("modules", 0), "track": ("tracks", 0), "plan": ("action_plans", 0)}


def _get(doc, path):
    for p in path:
        doc = doc[p]
    return doc


def _set_path(doc: dict, dotted: str, value) -> None:
    parts = [int(p) if p.isdigit() else p for p in dotted.split("__")]
    parent = _get(doc, parts[:-1])
    parent[parts[-1]] = value


def scenario_factory(**overrides) -> dict:
    """A minimal valid scenario with ``overrides`` applied (see the module docstring)."""
    data = base_scenario()
    ov = dict(overrides)
    if "participants" in ov:
        p = ov.pop("participants")
        data["action_plans"][0]["participants"] = [counted("lag-1", p)] if isinstance(p, int) else list(p)
    if "start_times" in ov:
        data["calendar"]["start_times"] = list(ov.pop("start_times"))
    if "horizon" in ov:
        h = ov.pop("horizon")
        data["horizon"] = {"start": h[0], "end": h[1]} if isinstance(h, (tuple, list)) else dict(h)
    for key in _PLAN_KEYS:
        if key in ov:
            data["action_plans"][0][key] = ov.pop(key)
    if "calendar" in ov:
        data["calendar"].update(ov.pop("calendar"))
    for key, path in _SINGLE.items():
        if key in ov:
            _get(data, path).update(ov.pop(key))
    paths = {k: v for k, v in ov.items() if "__" in k}
    for k in paths:
        ov.pop(k)
    data.update(copy.deepcopy(ov))
    for k, v in paths.items():
        _set_path(data, k, copy.deepcopy(v))
    return data


# ----------------------------------------------------------------------------- solving

def assert_valid_scenario(data: dict) -> dict:
    """The test's own scenario must be valid per the contract; returns the normalized copy."""
    try:
        return load_scenario(copy.deepcopy(data))
    except ScenarioInvalid as exc:  # a broken test scenario, not a solver problem
        raise AssertionError(f"the test scenario itself is invalid: {exc}") from None


def solve(data: dict, time_limit: float = 5, workers: int = 2):
    """Solve without checking; returns the SolveResult."""
    return solve_scenario(copy.deepcopy(data), SolveParams(time_limit=time_limit, workers=workers))


def solve_checked(data: dict, time_limit: float = 5, workers: int = 2) -> dict:
    """Solve ``data``, check the result with the independent validator (zero violations,
    KPIs included) and return the schedule dict."""
    assert_valid_scenario(data)
    result = solve(data, time_limit=time_limit, workers=workers)
    schedule = result.schedule
    try:
        load_schedule(copy.deepcopy(schedule))
    except ScenarioInvalid as exc:
        raise AssertionError(f"the solver's schedule is not a valid schedule document: {exc}") from None
    report = validate(data, schedule)
    if not report.ok:
        text = format_report(report)
        print(text)
        raise AssertionError("the solver's schedule breaks the rules:\n" + text)
    return schedule


# ----------------------------------------------------------------------------- reading schedules

def local(iso: str) -> datetime:
    """A schedule time (ISO 8601 with offset) as an aware datetime in Europe/Stockholm."""
    from zoneinfo import ZoneInfo

    return datetime.fromisoformat(iso).astimezone(ZoneInfo("Europe/Stockholm"))


def start_of(session: dict) -> datetime:
    return local(session["start"])


def end_of(session: dict) -> datetime:
    return local(session["end"])


def day_of(session: dict) -> date:
    return start_of(session).date()


def hm(session: dict) -> str:
    return start_of(session).strftime("%H:%M")


def sessions_of(schedule: dict, *, cohort: str | None = None, module: str | None = None,
                trainer: str | None = None) -> list[dict]:
    """The schedule's sessions (filtered), in time order."""
    out = [s for s in schedule["sessions"]
           if (cohort is None or s["cohort"] == cohort) and (module is None or s["module"] == module)
           and (trainer is None or s["trainer"] == trainer)]
    return sorted(out, key=lambda s: (start_of(s), s["id"]))


def cohort_of(schedule: dict, participant: str) -> dict:
    return next(c for c in schedule["cohorts"] if participant in c["participants"])


def sessions_with(schedule: dict, participant: str) -> list[dict]:
    cids = {c["id"] for c in schedule["cohorts"] if participant in c["participants"]}
    return sorted((s for s in schedule["sessions"] if s["cohort"] in cids), key=start_of)


def overlaps(a: dict, b: dict) -> bool:
    return start_of(a) < end_of(b) and start_of(b) < end_of(a)
