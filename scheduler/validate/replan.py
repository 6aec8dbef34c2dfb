"""Re-planning against a baseline: the rule-0 'replan' check and the move_session term.

A re-plan keeps the sessions before ``freeze_until`` as they were and tells truthfully which
sessions it moved, added and cancelled compared with the baseline.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from scheduler.validate.reading import Context
from scheduler.validate.report import Violation
from scheduler.validate.values import id_list, iso_date, number, plural

MOVE_SESSION_DEFAULT = 500.0
REPLAN_RULE_NAME = "replan"


def read_instant(value: Any) -> float | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def session_moved(before: dict, after: dict) -> bool:
    """Another start instant, trainer or room than in the baseline."""
    return (read_instant(before.get("start")) != read_instant(after.get("start"))
            or before.get("trainer") != after.get("trainer") or before.get("room") != after.get("room"))


def baseline_moved(ctx: Context) -> list[str]:
    """Ids of sessions in both the baseline and the schedule that moved (recomputed)."""
    base = {s.get("id"): s for s in (ctx.baseline or {}).get("sessions") or [] if isinstance(s, dict)}
    return sorted(str(s["id"]) for s in ctx.entries("sessions")
                  if isinstance(s, dict) and s.get("id") in base and session_moved(base[s["id"]], s))


def move_term(ctx: Context) -> float | None:
    """The move_session objective term of a re-plan (a schedule with a ``replan`` section):
    its weight times the moved sessions, recomputed from the baseline when one is given,
    otherwise counted from the schedule's own ``moved`` list."""
    rp = ctx.schedule.get("replan")
    if not isinstance(rp, dict):
        return None
    weight = number(rp.get("move_weight"))
    if weight is None:
        weight = number((ctx.scenario.get("weights") or {}).get("move_session"))
    weight = MOVE_SESSION_DEFAULT if weight is None else weight
    if ctx.baseline is not None:
        return len(baseline_moved(ctx)) * weight
    moved = ctx.schedule.get("moved")
    return len(moved if isinstance(moved, list) else []) * weight


def check_replan(ctx: Context, freeze_until: date | None = None) -> list[Violation]:
    """Rule 0 'replan' (only with a baseline): sessions of the baseline that start before
    freeze_until are in the schedule exactly as they were (start, end, trainer, room,
    interpreters); no other session starts before freeze_until; the schedule's ``moved``,
    ``added`` and ``cancelled`` lists are the real differences from the baseline."""
    out: list[Violation] = []
    replan = ctx.schedule.get("replan")
    rp = replan if isinstance(replan, dict) else {}
    freeze = freeze_until or iso_date(rp.get("freeze_until"))
    base = {s.get("id"): s for s in (ctx.baseline or {}).get("sessions") or [] if isinstance(s, dict)}
    new = {s.get("id"): s for s in ctx.entries("sessions") if isinstance(s, dict)}

    if freeze is not None:
        for sid, b in base.items():
            start = read_instant(b.get("start"))
            if start is None or ctx.local_date(start) >= freeze:
                continue
            after = new.get(sid)
            same = after is not None and not session_moved(b, after) and read_instant(b.get("end")) == read_instant(
                after.get("end")) and sorted(b.get("interpreters") or []) == sorted(after.get("interpreters") or [])
            if not same:
                what = "is missing" if after is None else "was changed"
                out.append(Violation(0, REPLAN_RULE_NAME, f"Session {sid} starts before freeze_until {freeze} "
                                                          f"({ctx.fmt(start)}) and must stay as it is, but {what}.",
                                     {"sessions": [sid]}))
        for sid, s in new.items():
            start = read_instant(s.get("start"))
            if start is not None and ctx.local_date(start) < freeze and sid not in base:
                out.append(Violation(0, REPLAN_RULE_NAME, f"Session {sid} is new but starts before freeze_until "
                                                          f"{freeze} ({ctx.fmt(start)}).", {"sessions": [sid]}))
    want = {"moved": baseline_moved(ctx), "added": sorted(str(x) for x in set(new) - set(base)),
            "cancelled": sorted(str(x) for x in set(base) - set(new))}
    for key, ids in want.items():
        got = ctx.schedule.get(key)
        got = sorted(str(x) for x in got) if isinstance(got, list) else None
        if got != ids:
            out.append(Violation(0, REPLAN_RULE_NAME, f"The schedule lists {plural(len(got or []), 'session')} as "
                                                      f"{key}, but compared with the baseline "
                                                      f"{plural(len(ids), 'session')} "
                                                      f"{'is' if len(ids) == 1 else 'are'} {key}: "
                                                      f"{id_list(ids) or 'none'}.",
                                 {"sessions": ids}))
    return out
