"""Stable re-planning: solving a (variant) scenario against a published baseline schedule.

* Sessions of the baseline that start before ``freeze_until`` (local date) have happened or
  been announced: they are kept exactly (time, trainer, room, interpreters). Each gets one
  candidate only, so the constructive schedule, the model, the neighbourhood search and the
  final check cannot move them. If the variant makes one of them impossible, that is an
  input error naming the session (choose an earlier freeze date or change the variant).
* No other session may start before ``freeze_until``.
* Every other baseline session that is still scheduled but at another time, with another
  trainer or in another room costs ``move_session`` (weight; default 500, in the scenario's
  ``weights`` or given explicitly). The model gets it as an objective term
  (`rules.move_session_cost`), the exact objective as a breakdown term (`rules.costs.exact_costs`),
  so the optimizer moves only what the change requires.
* The constructive schedule starts from the baseline: each baseline placement is kept where
  the rules still allow it; what is left is placed again.
* The schedule of a re-plan lists the ``moved``, ``added`` and ``cancelled`` session ids and,
  in ``replan``, a reason for each.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from scheduler.format import FieldError, ScenarioInvalid, load_schedule
from scheduler.prepare.cohorts import SessionKey
from scheduler.prepare.problem import PlanningProblem, Positions, SessionOptions
from scheduler.prepare.timeline import covers, overlap_minutes
from scheduler.rules.costs import exact_costs
from scheduler.search.cohort_moves import _cohort
from scheduler.search.construct import Bookings, Placement, _fit, _interpreters, complete, construct
from scheduler.solve.reasons import period_text

MOVE_SESSION_DEFAULT = 500


@dataclass(frozen=True)
class ReplanRequest:
    """What a re-plan is asked for: the baseline schedule (a schedule-1 document of the same
    scenario id), the freeze date, the cost of one moved session (None: the scenario's
    ``weights.move_session``, else MOVE_SESSION_DEFAULT) and the scenario document's weights."""

    baseline: dict
    freeze_until: date | None = None
    move_weight: float | None = None
    weights: dict | None = None


@dataclass(frozen=True)
class Home:
    """Where a baseline session was: its start (model minutes), trainer, room and interpreters."""

    start: int
    trainer: str
    room: str | None
    interpreters: tuple[str, ...]


def _error(path: str, message: str) -> FieldError:
    return FieldError(f"$baseline{path}", message)


def parse_freeze_until(value) -> date | None:
    """A freeze date from the command line or an API body ('YYYY-MM-DD'), or None."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ScenarioInvalid([FieldError("$freeze_until", f"freeze_until must be a date YYYY-MM-DD, not {value!r}")]) \
            from None


class Replan:
    """The baseline as the solver sees it; attached to the problem as ``problem.replan``."""

    def __init__(self, problem: PlanningProblem, baseline: dict, freeze_until: date | None, weight: float):
        self.problem = problem
        self.baseline = baseline
        self.freeze_until = freeze_until
        self.weight = float(weight)
        self.original_options = list(problem.options)
        self.base_by_id: dict[str, dict] = {s["id"]: s for s in baseline["sessions"]}
        self.frozen: dict[int, Placement] = {}
        self.home: dict[int, Home] = {}
        self.id_of: dict[int, str] = {}

    # -- helpers ------------------------------------------------------------------
    def minute(self, iso: str) -> int:
        """An ISO 8601 instant with offset -> the problem's minutes."""
        dt = datetime.fromisoformat(iso.replace("Z", "+00:00"))
        return int((dt - self.problem.timeline.clock.epoch).total_seconds() // 60)

    def is_frozen(self, session: dict) -> bool:
        """A baseline session is frozen when its local start date lies before freeze_until."""
        if self.freeze_until is None:
            return False
        start = self.problem.timeline.clock.local(self.minute(session["start"]))
        return start.date() < self.freeze_until

    def local_text(self, minute: int) -> str:
        return self.problem.timeline.clock.local(minute).strftime("%Y-%m-%d %H:%M")

    def moved(self, placed: dict[int, Placement]) -> list[int]:
        """Baseline sessions (not frozen) that are placed at another start, trainer or room."""
        out = []
        for i, h in self.home.items():
            pl = placed.get(i)
            if pl is None:
                continue
            c = self.problem.options[i].candidates[pl.candidate]
            if (c.start, pl.trainer, pl.room) != (h.start, h.trainer, h.room):
                out.append(i)
        return out

    def move_cost(self, placed: dict[int, Placement]) -> float:
        return len(self.moved(placed)) * self.weight

    def base_unscheduled_ids(self) -> set[str]:
        """Ids of the sessions the baseline left unscheduled."""
        return {f"S-{u['cohort']}-{u['module']}-{u['index']}" for u in self.baseline.get("unscheduled") or []}


# ---------------------------------------------------------------------------------- set-up

def baseline_cohorts(problem: PlanningProblem, baseline: dict) -> PlanningProblem:
    """The re-plan's problem with the baseline's cohorts: the search may have formed them
    otherwise than `form_cohorts` would (and calendar UIDs follow them), so a re-plan keeps
    who studies with whom. Members the variant no longer has leave their cohort; participants
    the baseline had in no cohort join a baseline cohort of their pool with room (rule 5's
    sizes kept), or form the cohorts the variant's own formation gives them."""
    sc = problem.scenario
    people = {t: {pid for p in sc.plans_of_track(t) for pid in p.participants} for t in sc.tracks}
    plans = {t: [p.id for p in sc.plans_of_track(t)] for t in sc.tracks}
    covered: set[tuple[str, str]] = set()
    cohorts = []
    for c in baseline.get("cohorts") or []:
        track = c.get("track")
        if track not in sc.tracks:
            continue
        ids = [pid for pid in c.get("participants") or [] if pid in people[track] and (track, pid) not in covered]
        if ids:
            covered |= {(track, pid) for pid in ids}
            cohorts.append(_cohort(problem, c["id"], track, ids, plans[track]))
    if not cohorts:
        return problem
    used = {c.id for c in cohorts}
    for fresh in problem.cohorts:
        rest = [pid for pid in fresh.participants if (fresh.track, pid) not in covered]
        if not rest:
            continue
        track = sc.tracks[fresh.track]
        home = next((n for n, c in enumerate(cohorts)
                     if c.track == fresh.track and c.size + len(rest) <= track.max_group
                     and (track.mix_workplaces or set(c.workplaces) == set(fresh.workplaces))), None)
        if len(rest) < track.min_group and home is not None:
            joined = cohorts[home]
            cohorts[home] = _cohort(problem, joined.id, joined.track, list(joined.participants) + rest,
                                    plans[fresh.track])
        else:
            cid, n = fresh.id, 1
            while cid in used:
                n += 1
                cid = f"{fresh.id}-n{n}"
            used.add(cid)
            cohorts.append(_cohort(problem, cid, fresh.track, rest, plans[fresh.track]))
        covered |= {(fresh.track, pid) for pid in rest}
    unassigned = [u for u in problem.unassigned if (sc.action_plans[u.action_plan].track, u.participant) not in covered]
    return PlanningProblem(sc, cohorts=cohorts, unassigned=unassigned, reuse=problem)


def replan_problem(problem: PlanningProblem, request: ReplanRequest) -> PlanningProblem:
    """The problem of a re-plan: the baseline's cohorts (`baseline_cohorts`), its frozen
    sessions fixed and the move cost attached (`prepare_replan`)."""
    problem = baseline_cohorts(problem, request.baseline)
    prepare_replan(problem, request.baseline, freeze_until=request.freeze_until, move_weight=request.move_weight,
                   weights=request.weights)
    return problem


def prepare_replan(problem: PlanningProblem, baseline: dict, *, freeze_until: date | None = None,
                   move_weight: float | None = None, weights: dict | None = None) -> Replan:
    """Check the baseline against the (variant) problem, fix its frozen sessions, keep every
    other session at or after freeze_until, and attach the result as ``problem.replan``.
    Raises ScenarioInvalid (paths ``$baseline...``) for a baseline that is not a valid
    schedule of this scenario or whose frozen sessions the variant makes impossible."""
    baseline = load_schedule(baseline)
    sc = problem.scenario
    if baseline["scenario"] != sc.id:
        raise ScenarioInvalid([_error(".scenario",
                                      f"the baseline is a schedule of scenario '{baseline['scenario']}', "
                                      f"but this scenario is '{sc.id}' (a variant keeps its parent's id)")])
    weight = move_weight if move_weight is not None else (weights or {}).get("move_session", MOVE_SESSION_DEFAULT)
    rp = Replan(problem, baseline, freeze_until, weight)
    errors: list[FieldError] = []
    for n, s in enumerate(baseline["sessions"]):
        i = problem.session_index.get(SessionKey(s["cohort"], s["module"], s["index"]))
        frozen = rp.is_frozen(s)
        if i is None:
            if frozen:
                errors.append(_error(f".sessions[{n}]", f"session {s['id']} starts before freeze_until "
                                     f"{freeze_until} and must stay, but the variant has no cohort {s['cohort']} "
                                     f"with module {s['module']} session {s['index']}"))
            continue
        rp.id_of[i] = s["id"]
        home = Home(rp.minute(s["start"]), s["trainer"], s.get("room"), tuple(s.get("interpreters") or ()))
        if not frozen:
            rp.home[i] = home
            continue
        why = _why_not_here(problem, i, home)
        if why:
            errors.append(_error(f".sessions[{n}]", f"session {s['id']} ({rp.local_text(home.start)}) starts before "
                                 f"freeze_until {freeze_until} and must stay as it is, but {why}; choose an earlier "
                                 "freeze_until or change the variant"))
            continue
        k = _candidate_at(problem.options[i], home.start)
        assert k is not None  # _why_not_here found the baseline's start among the candidates
        rp.frozen[i] = Placement(i, k, home.trainer, home.room, home.interpreters)
    if errors:
        raise ScenarioInvalid(errors)
    _restrict_options(problem, rp)
    errors = _frozen_together(problem, rp)
    if errors:
        raise ScenarioInvalid(errors)
    problem.replan = rp
    return rp


def _replan_of(problem: PlanningProblem) -> Replan:
    """The re-plan `prepare_replan` attached to the problem."""
    rp = problem.replan
    assert isinstance(rp, Replan), "prepare_replan attaches the re-plan first"
    return rp


def _candidate_at(o: SessionOptions, start: int) -> int | None:
    return next((k for k, c in enumerate(o.candidates) if c.start == start), None)


def _why_not_here(problem: PlanningProblem, i: int, h: Home) -> str | None:
    """Why session i cannot be held exactly as in the baseline (on its own), or None."""
    sc, o = problem.scenario, problem.options[i]
    s = problem.sessions[i]
    a, b = h.start, h.start + s.duration
    when = problem.timeline.clock.local(a).strftime("%Y-%m-%d %H:%M")
    if h.trainer not in sc.trainers:
        return f"trainer {h.trainer} is no longer in the scenario"
    if h.room is not None and h.room not in sc.rooms:
        return f"room {h.room} is no longer in the scenario"
    k = _candidate_at(o, a)
    if k is None:
        if not any(slot.minute == a for slot in problem.timeline.slots):
            return f"the calendar no longer allows a session to start at {when}"
        if not covers(problem.availability[h.trainer], a, b):
            return f"trainer {h.trainer} is unavailable at {when}"
        if h.room is not None and overlap_minutes(problem.room_blocked[h.room], a, b):
            return f"room {h.room} is unavailable at {when}"
        blocked = problem.blocked_team_at(s.cohort, a, b)
        if blocked is not None:
            team, period = blocked
            return (f"team {team.id} ({team.workplace}) is blocked {period_text(period)}"
                    f"{f' ({period.reason})' if period.reason else ''} and releases nobody for training then")
        return f"{when} is no longer possible for cohort {s.key.cohort} (plan window, shifts, staffing or daily rest)"
    if k not in o.trainers.get(h.trainer, ()):
        if not covers(problem.availability[h.trainer], a, b):
            return f"trainer {h.trainer} is unavailable at {when}"
        return f"trainer {h.trainer} may no longer teach {s.module_id}"
    if h.room is not None and k not in o.rooms.get(h.room, ()):
        if overlap_minutes(problem.room_blocked[h.room], a, b):
            return f"room {h.room} is unavailable at {when}"
        return f"room {h.room} no longer fits cohort {s.key.cohort}"
    for j in h.interpreters:
        if k not in o.interpreters.get(j, ()):
            return f"interpreter {j} is unavailable at {when}"
    return None


def _restrict_options(problem: PlanningProblem, rp: Replan) -> None:
    """Frozen sessions get their one baseline candidate; every other session loses the
    candidates before freeze_until (those times have passed or been announced)."""
    shared: dict[int, SessionOptions] = {}
    for i, o in enumerate(problem.options):
        pl = rp.frozen.get(i)
        if pl is not None:
            problem.options[i] = _only(o, pl)
            rp.frozen[i] = Placement(i, 0, pl.trainer, pl.room, pl.interpreters)
        elif rp.freeze_until is not None:
            if id(o) not in shared:
                shared[id(o)] = _from(o, rp.freeze_until)
            problem.options[i] = shared[id(o)]


def _only(o: SessionOptions, pl: Placement) -> SessionOptions:
    one = Positions(b"\x01")
    return SessionOptions(session=o.session, candidates=[o.candidates[pl.candidate]], trainers={pl.trainer: one},
                          rooms={pl.room: one} if pl.room else {}, interpreters={j: one for j in pl.interpreters},
                          languages=o.languages, needs_room=o.needs_room, rejected=o.rejected)


def _from(o: SessionOptions, day: date) -> SessionOptions:
    keep = [k for k, c in enumerate(o.candidates) if c.slot.day >= day]
    if len(keep) == len(o.candidates):
        return o
    new = {k: n for n, k in enumerate(keep)}

    def remap(table: dict) -> dict:
        out = {x: Positions.of((new[k] for k in ks if k in new), len(keep)) for x, ks in table.items()}
        return {x: ks for x, ks in out.items() if ks}

    rejected = Counter(o.rejected)
    rejected["before_freeze"] += len(o.candidates) - len(keep)
    return SessionOptions(session=o.session, candidates=[o.candidates[k] for k in keep], trainers=remap(o.trainers),
                          rooms=remap(o.rooms), interpreters=remap(o.interpreters), languages=o.languages,
                          needs_room=o.needs_room, rejected=rejected)


def _frozen_together(problem: PlanningProblem, rp: Replan) -> list[FieldError]:
    """The frozen sessions must still fit together (staffing, people, trainers, rooms)."""
    book = Bookings(problem)
    errors = []
    positions = {s["id"]: n for n, s in enumerate(rp.baseline["sessions"])}
    for i in sorted(rp.frozen, key=lambda i: problem.options[i].candidates[0].start):
        pl = rp.frozen[i]
        failed = book.broken_rule(pl)
        if failed:
            sid = rp.id_of[i]
            errors.append(_error(f".sessions[{positions[sid]}]", f"session {sid} starts before freeze_until "
                                 f"{rp.freeze_until} and must stay as it is, but in the variant it clashes with "
                                 f"other frozen sessions ({failed}); choose an earlier freeze_until or change the "
                                 "variant"))
            continue
        book.book(pl)
    return errors


# ---------------------------------------------------------------------------------- constructive

def construct_replan(problem: PlanningProblem) -> dict[int, Placement]:
    """The cheaper (exact objective, move cost included) of: the baseline kept where the
    rules still allow and the rest placed again, and a fresh constructive schedule."""
    kept = construct_from_baseline(problem)
    fresh = construct(problem)
    return min(kept, fresh, key=lambda placed: exact_costs(problem, placed)["objective"])


def construct_from_baseline(problem: PlanningProblem) -> dict[int, Placement]:
    """Frozen sessions first, then every baseline placement in time order where it still keeps
    every rule; gaps in a cohort's track are filled between their neighbours where possible,
    otherwise the rest of that track is placed again after its kept part."""
    rp = _replan_of(problem)
    book = Bookings(problem)
    placed: dict[int, Placement] = {}
    for i in sorted(rp.frozen, key=lambda i: problem.options[i].candidates[0].start):
        book.book(rp.frozen[i])
        placed[i] = rp.frozen[i]
    for i in sorted(rp.home, key=lambda i: rp.home[i].start):
        pl = _keep(problem, book, i, rp.home[i])
        if pl is not None:
            book.book(pl)
            placed[i] = pl
    for idxs in problem.by_cohort.values():
        _mend_track(problem, book, placed, idxs)
    return complete(problem, book, placed)


def _keep(problem: PlanningProblem, book: Bookings, i: int, h: Home) -> Placement | None:
    """Session i exactly where the baseline had it (its interpreters where possible), if the
    variant and what is already booked allow it."""
    o = problem.options[i]
    k = _candidate_at(o, h.start)
    if k is None or k not in o.trainers.get(h.trainer, ()):
        return None
    if o.needs_room != (h.room is not None) or (h.room is not None and k not in o.rooms.get(h.room, ())):
        return None
    same = all(k in o.interpreters.get(j, ()) for j in h.interpreters)
    pl = Placement(i, k, h.trainer, h.room, h.interpreters) if same else None
    if pl is not None and book.broken_rule(pl) is None and _languages_ok(problem, pl):
        return pl
    bare = Placement(i, k, h.trainer, h.room, ())
    if book.broken_rule(bare) is not None:
        return None
    interps = _interpreters(problem, book, i, k, h.trainer, h.room)
    return None if interps is None else Placement(i, k, h.trainer, h.room, interps)


def _languages_ok(problem: PlanningProblem, pl: Placement) -> bool:
    sc = problem.scenario
    spoken = set(sc.trainers[pl.trainer].languages)
    for j in pl.interpreters:
        spoken |= set(sc.interpreters[j].languages)
    return problem.options[pl.session].languages <= spoken


def _order_ok(problem: PlanningProblem, prev_pl: Placement | None, i: int, k: int) -> bool:
    """Rule 6 between a cohort's consecutive sessions, the one placed as `prev_pl` (None: i is
    the first) -> i (at candidate k)."""
    if prev_pl is None:
        return True
    prev = prev_pl.session
    pc = problem.options[prev].candidates[prev_pl.candidate]
    c = problem.options[i].candidates[k]
    if c.start < pc.end:
        return False
    if problem.sessions[prev].module_id != problem.sessions[i].module_id:
        return True
    mod = problem.scenario.modules[problem.sessions[i].module_id]
    gap = c.slot.day_number - pc.slot.day_number
    return gap >= mod.min_gap_days and (mod.max_gap_days is None or gap <= mod.max_gap_days)


def _mend_track(problem: PlanningProblem, book: Bookings, placed: dict[int, Placement], idxs: list[int]) -> None:
    """Make the cohort's placed sessions a valid prefix of its track: a session that is missing
    or out of order is placed between its neighbours if it can be; otherwise the rest of the
    track is taken out (and placed again later by `complete`)."""
    prev = None
    trainers: dict[str, str] = {}
    for pos, i in enumerate(idxs):
        pl = placed.get(i)
        if pl is not None and _order_ok(problem, None if prev is None else placed[prev], i, pl.candidate):
            prev = i
            trainers[problem.sessions[i].module_id] = pl.trainer
            continue
        if pl is not None:
            book.book(placed.pop(i), -1)
        later = [j for j in idxs[pos + 1:] if j in placed]
        if not later:
            return  # a prefix already: `complete` places the rest
        got = _fill(problem, book, placed, prev, i, later[0], trainers.get(problem.sessions[i].module_id))
        if got is None:
            for j in later:
                book.book(placed.pop(j), -1)
            return
        book.book(got)
        placed[i] = got
        prev = i
        trainers[problem.sessions[i].module_id] = got.trainer


def _fill(problem: PlanningProblem, book: Bookings, placed: dict[int, Placement], prev: int | None, i: int,
          nxt: int, preferred: str | None) -> Placement | None:
    """Session i at its cheapest start between its cohort's previous and next placed sessions."""
    o = problem.options[i]
    for k in sorted(range(len(o.candidates)), key=lambda k: (o.candidates[k].cost, o.candidates[k].start)):
        if not _order_ok(problem, None if prev is None else placed[prev], i, k):
            continue
        if not _order_ok(problem, Placement(i, k, "", None, ()), nxt, placed[nxt].candidate):
            continue
        pl = _fit(problem, book, i, k, preferred)
        if pl is not None:
            return pl
    return None


# ---------------------------------------------------------------------------------- the answer

def annotate(problem: PlanningProblem, schedule: dict) -> dict:
    """Add ``moved``, ``added``, ``cancelled`` and ``replan`` (reasons) to a re-plan's schedule."""
    rp = _replan_of(problem)
    diff = diff_sessions(rp.baseline, schedule)
    unscheduled = {f"S-{u['cohort']}-{u['module']}-{u['index']}": u["reason"] for u in schedule["unscheduled"]}
    by_id = {s["id"]: s for s in schedule["sessions"]}
    cohorts = {c["id"] for c in schedule["cohorts"]}
    index_of = {sid: i for i, sid in rp.id_of.items()}
    entries = []
    for sid in diff["moved"]:
        i = index_of[sid]
        entries.append({"id": sid, "change": "moved", "before": _brief(rp.base_by_id[sid]),
                        "after": _brief(by_id[sid]), "reason": _why_moved(problem, rp, i, sid, by_id, diff)})
    for sid in diff["added"]:
        entries.append({"id": sid, "change": "added", "after": _brief(by_id[sid]),
                        "reason": "was not scheduled in the baseline" if sid in rp.base_unscheduled_ids()
                        else "new in this scenario (its cohort or module was not in the baseline)"})
    for sid in diff["cancelled"]:
        s = rp.base_by_id[sid]
        if s["cohort"] not in cohorts:
            why = f"cohort {s['cohort']} no longer exists in this scenario (its participants or plans changed)"
        elif sid in unscheduled:
            why = "could not be scheduled any more: " + unscheduled[sid]
        else:
            why = f"cohort {s['cohort']} no longer has module {s['module']} session {s['index']}"
        entries.append({"id": sid, "change": "cancelled", "before": _brief(s), "reason": why})
    schedule.update(moved=diff["moved"], added=diff["added"], cancelled=diff["cancelled"])
    schedule["replan"] = {
        "baseline": {"scenario": rp.baseline["scenario"], "objective": rp.baseline.get("objective"),
                     "sessions": len(rp.baseline["sessions"])},
        "freeze_until": rp.freeze_until.isoformat() if rp.freeze_until else None,
        "frozen": sorted(rp.id_of[i] for i in rp.frozen),
        "move_weight": rp.weight,
        "sessions": entries,
    }
    return schedule


def _brief(s: dict) -> dict:
    return {"start": s["start"], "end": s["end"], "trainer": s["trainer"], "room": s.get("room")}


def _why_moved(problem: PlanningProblem, rp: Replan, i: int, sid: str, by_id: dict, diff: dict) -> str:
    """A sentence: what changed for a moved session, and why."""
    before, after = rp.base_by_id[sid], by_id[sid]
    parts = []
    if _instant(before["start"]) != _instant(after["start"]):
        parts.append(f"from {_local(rp, before['start'])} to {_local(rp, after['start'])}")
    if before["trainer"] != after["trainer"]:
        parts.append(f"trainer {before['trainer']} -> {after['trainer']}")
    if before.get("room") != after.get("room"):
        parts.append(f"room {before.get('room')} -> {after.get('room')}")
    what = "; ".join(parts)
    saved = problem.options
    problem.options = rp.original_options
    try:
        why = _why_not_here(problem, i, rp.home[i])
    finally:
        problem.options = saved
    if why:
        return f"{what}: {why}"
    earlier = [j for j in problem.by_cohort[problem.sessions[i].key.cohort] if j < i]
    if earlier and rp.id_of.get(earlier[-1]) in diff["moved"]:
        return f"{what}: follows session {rp.id_of[earlier[-1]]} of its cohort, which moved"
    return (f"{what}: its time, trainer or room was needed for sessions that the change displaced "
            "(or moving it saves more than the move_session weight)")


def _instant(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def _local(rp: Replan, iso: str) -> str:
    return rp.local_text(rp.minute(iso))


def diff_sessions(baseline: dict, schedule: dict) -> dict[str, list[str]]:
    """Session-level differences of ``schedule`` from ``baseline`` (both schedule-1 dicts):
    ``moved`` (same id, another start, trainer or room), ``added`` and ``cancelled`` ids."""
    base = {s["id"]: s for s in baseline.get("sessions") or []}
    new = {s["id"]: s for s in schedule.get("sessions") or []}
    moved = [sid for sid, s in new.items() if sid in base and (
        _instant(s["start"]) != _instant(base[sid]["start"]) or s["trainer"] != base[sid]["trainer"]
        or s.get("room") != base[sid].get("room"))]
    return {"moved": sorted(moved), "added": sorted(set(new) - set(base)), "cancelled": sorted(set(base) - set(new))}
