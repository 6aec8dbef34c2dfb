"""Conflict explanation: when sessions stay unscheduled although each could be held on its
own, find a small set of requirements that cannot all be met together, and the relaxation
of each that would resolve it.

The model asks for *every* session (of the cohorts the pre-solve diagnosis did not already
explain) to be scheduled, with the requirements that couple sessions grouped, each group
behind one assumption literal:

  trainer T         T's sessions never overlap, with travel time between sites
  trainer_limits T  T's sessions per day and minutes per week
  room R            one session at a time in R
  interpreter J     J's sessions never overlap, with travel time
  staffing W/team   the team's minimum staffing during its shifts
  window P          plan P's earliest..deadline
  off_shift P       plan P's "training only during shifts" (on_shift P: "only outside")
  gaps M            module M's min/max days between sessions

The plan windows and shift fit are relaxed by building the candidate starts of a copy of
the scenario in which they are open, and tying each candidate that needs a relaxation to
its group's literal. CP-SAT then solves with the literals as assumptions (one worker and
no objective: google/or-tools#3102, #3943); an infeasible answer comes with a sufficient
set of assumptions, which is made minimal by deletion. For each group of that core one
solve with only that group relaxed says whether relaxing it alone resolves the conflict,
and its solution says by how much (a new deadline, hours of another trainer, people to
release).

The requirements are added by the model's own rule functions (`scheduler.rules`), each
trainer's, room's, interpreter's and team's under its group literal (their `enforce`
argument), so the conflict search cannot drift from the rules the solver keeps.
Participants' own overlaps and the module order stay hard: they are not something a
coordinator relaxes.
"""

from __future__ import annotations

import copy
import time as _time
from collections import defaultdict
from datetime import UTC, date, datetime

from ortools.sat.python import cp_model

from scheduler.domain import build_scenario
from scheduler.explain.findings import Finding, Suggestion, append_change, set_change, unique_id
from scheduler.explain.messages import Texts
from scheduler.prepare.cohorts import SessionKey
from scheduler.prepare.problem import PlanningProblem, Positions, SessionOptions
from scheduler.prepare.timeline import overlap_minutes
from scheduler.rules.builder import ModelBuilder
from scheduler.rules.completeness import completeness_rule
from scheduler.rules.languages import interpreter_time, language_cover
from scheduler.rules.order import order_rule
from scheduler.rules.participants import participant_rule
from scheduler.rules.rooms import room_time
from scheduler.rules.staffing import staffing_demand, team_staffing
from scheduler.rules.trainers import trainer_limits, trainer_time
from scheduler.search.construct import construct

ORDER = ("trainer", "interpreter", "room", "staffing", "off_shift", "on_shift", "window", "trainer_limits", "gaps")


class _Groups:
    """One assumption literal per group of requirements, made on first use."""

    def __init__(self, model: cp_model.CpModel):
        self.model = model
        self.lit: dict[tuple[str, str], cp_model.IntVar] = {}

    def __call__(self, kind: str, key: str):
        if (kind, key) not in self.lit:
            self.lit[kind, key] = self.model.new_bool_var(f"group[{kind},{key}]")
        return self.lit[kind, key]


class ConflictModel:
    """The all-sessions model with grouped, assumable requirements (see the module docstring)."""

    def __init__(self, data: dict, problem: PlanningProblem, required: set[str], excluded: set[str],
                 pinned: dict | None = None):
        sc = problem.scenario
        self.original = problem
        self.data = data
        relaxed = copy.deepcopy(data)
        for p in relaxed.get("action_plans", []):
            p["earliest"], p["deadline"] = relaxed["horizon"]["start"], relaxed["horizon"]["end"]
            p["allow_off_shift"], p["allow_on_shift"] = True, True
        self.problem = PlanningProblem(build_scenario(relaxed), problem.timeline, cohorts=problem.cohorts)
        options = list(self.problem.options)
        pinned = pinned or {}
        one = Positions(b"\x01")  # the one candidate a pinned session keeps
        for i, (k, trainer, room, interps) in pinned.items():
            o = options[i]
            options[i] = SessionOptions(o.session, [o.candidates[k]], {trainer: one}, {room: one} if room else {},
                                        {j: one for j in interps}, o.languages, o.needs_room)
        self.mb = mb = ModelBuilder(self.problem, options)
        m = mb.model
        self.groups = g = _Groups(m)
        self.tags: dict[int, list[list[tuple[str, str]]]] = {}
        tl = problem.timeline
        # which cohorts must be scheduled, which are left out (already explained)
        for i, s in enumerate(self.problem.sessions):
            if i not in mb.present:
                continue
            cid = s.key.cohort
            if cid in excluded:
                m.add(mb.present[i] == 0)
            elif cid in required or i in pinned:
                m.add(mb.present[i] == 1)
        # hard: the track order (gaps grouped per module), participants' own overlaps, language coverage
        completeness_rule(self.problem, mb)
        order_rule(self.problem, mb, gaps=lambda module: g("gaps", module))
        participant_rule(self.problem, mb)
        language_cover(self.problem, mb)
        # grouped: plan windows and shift fit, through the candidates that need them relaxed
        for i in mb.schedulable:
            if i in pinned:
                continue
            cohort = self.problem.sessions[i].cohort
            plans = [sc.action_plans[p] for p in cohort.plans]
            for k, c in enumerate(mb.options[i].candidates):
                for kind, key in self._tags(tl, cohort, plans, c.start, c.end):
                    m.add_implication(mb.pick[i][k], g(kind, key).Not())  # enforced: not this start
        # grouped: the rules' own functions, each trainer, room, interpreter and team behind its literal
        for t_id in mb.trainer_intervals:
            trainer_time(self.problem, mb, t_id, g("trainer", t_id))
            trainer = sc.trainers[t_id]
            if trainer.max_sessions_per_day is not None or trainer.max_minutes_per_week is not None:
                trainer_limits(self.problem, mb, t_id, g("trainer_limits", t_id))
        for r_id in mb.room_intervals:
            room_time(self.problem, mb, r_id, g("room", r_id))
        for j_id in mb.interpreter_intervals:
            interpreter_time(self.problem, mb, j_id, g("interpreter", j_id))
        for team_key, uses in staffing_demand(self.problem, mb).items():
            team_staffing(self.problem, mb, team_key, uses, g("staffing", f"{team_key[0]}/{team_key[1]}"))

    def data_list(self, collection: str) -> list[dict]:
        return [x for x in self.data.get(collection) or [] if isinstance(x, dict)]

    def _tags(self, tl, cohort, plans, a: int, b: int) -> list[tuple[str, str]]:
        """The groups a candidate start needs relaxed: plan windows and shift fit of the original plans."""
        sc = self.original.scenario
        out = []
        for p in plans:
            if a < tl.day_start(p.earliest) or b > tl.day_end(p.deadline):
                out.append(("window", p.id))
            if p.allow_off_shift and p.allow_on_shift:
                continue
            for pid in cohort.participants:
                if pid not in p.participants:
                    continue
                team = sc.participants[pid].team
                on = overlap_minutes(tl.shift_union.get(team, []), a, b)
                if on and not p.allow_on_shift:
                    out.append(("on_shift", p.id))
                    break
                if not p.allow_off_shift and not _inside(tl, team, a, b):
                    out.append(("off_shift", p.id))
                    break
        return out

    # -- solving ------------------------------------------------------------------------
    def solve(self, assumed: list[tuple[str, str]], seconds: float):
        """(status, solver) with the requirements of `assumed` groups enforced, the others free."""
        m = self.mb.model
        m.clear_assumptions()
        m.add_assumptions([self.groups.lit[k] for k in assumed])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = max(0.05, seconds)
        solver.parameters.cp_model_presolve = False  # google/or-tools#5141: core literals outside the assumptions
        return solver.solve(m), solver

    def core(self, solver) -> list[tuple[str, str]]:
        by_index = {v.index: k for k, v in self.groups.lit.items()}
        return [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in by_index]


def _inside(tl, team, a: int, b: int) -> bool:
    return any(x.start <= a and b <= x.end for x in tl.shift_instances.get(team, []) if x.start <= a < x.end)


def _schedule_placements(problem: PlanningProblem, schedule: dict) -> list[tuple]:
    """(session, start minute, trainer, room, interpreters) of a schedule document's sessions."""
    epoch = problem.timeline.clock.epoch
    out = []
    for s in schedule.get("sessions") or []:
        i = problem.session_index.get(SessionKey(s["cohort"], s["module"], s["index"]))
        if i is not None:
            minute = int((datetime.fromisoformat(s["start"]).astimezone(UTC) - epoch).total_seconds() // 60)
            out.append((i, minute, s["trainer"], s.get("room"), tuple(s.get("interpreters") or [])))
    return out


def _pins(problem_r: PlanningProblem, placements: list[tuple], keep: set[str]) -> dict:
    """The placements of the cohorts in `keep`, as (candidate, trainer, room, interpreters) of the
    relaxed problem; sessions that do not match a candidate are left free."""
    out = {}
    for i, minute, trainer, room, interps in placements:
        if problem_r.sessions[i].key.cohort not in keep:
            continue
        s = {"trainer": trainer, "room": room, "interpreters": interps}
        o = problem_r.options[i]
        k = next((k for k, c in enumerate(o.candidates) if c.start == minute), None)
        if k is None or s["trainer"] not in o.trainers or (s.get("room") and s["room"] not in o.rooms):
            continue
        if any(j not in o.interpreters for j in s.get("interpreters") or []):
            continue
        out[i] = (k, s["trainer"], s.get("room"), tuple(s.get("interpreters") or []))
    return out


# ----------------------------------------------------------------------------- explanation

def explain_conflicts(data: dict, schedule: dict | None = None, lang: str = "sv", *,
                      problem: PlanningProblem | None = None, excluded: set[str] | frozenset = frozenset(),
                      time_limit: float = 20.0) -> list[Finding]:
    """Findings for sessions that cannot all be placed together (see the module docstring).

    With a schedule, the cohorts with unscheduled sessions are the ones to explain; first every
    session is required (is there any schedule without unscheduled sessions?), and if that is
    not decided in half the time, the schedule's other sessions are kept where they are.
    Without one, the constructive schedule stands in for it (nothing to explain when it places
    every session). `excluded`: cohorts already explained (left out)."""
    started = _time.monotonic()
    t = Texts(lang)
    sc_problem = problem or PlanningProblem(build_scenario(data))
    all_cohorts = {c.id for c in sc_problem.cohorts} - set(excluded)
    if schedule is not None:
        focus = {u["cohort"] for u in schedule.get("unscheduled") or []} & all_cohorts
        if not focus:
            return []
        unscheduled = sum(1 for u in schedule.get("unscheduled") or [] if u["cohort"] in focus)
        placements = _schedule_placements(sc_problem, schedule)
    else:
        # Without a schedule: the constructive schedule first; when it places everything there is
        # no conflict, otherwise its cohorts with unplaced sessions are the ones to explain.
        placed = construct(sc_problem)
        missing = {sc_problem.sessions[i].key.cohort for i in range(len(sc_problem.sessions)) if i not in placed}
        focus, unscheduled = missing & all_cohorts, 0
        placements = [(i, sc_problem.options[i].candidates[pl.candidate].start, pl.trainer, pl.room,
                       tuple(pl.interpreters)) for i, pl in placed.items()]
    if not focus:
        return []
    cm = ConflictModel(data, sc_problem, all_cohorts, set(excluded))
    groups = sorted(cm.groups.lit)
    status, solver = cm.solve(groups, time_limit / 2)
    if status == cp_model.UNKNOWN:
        keep = all_cohorts - focus
        cm = ConflictModel(data, sc_problem, focus, set(excluded), _pins(cm.problem, placements, keep))
        groups = sorted(cm.groups.lit)
        status, solver = cm.solve(groups, max(0.5, time_limit - (_time.monotonic() - started)))
    sessions = unscheduled or sum(len(sc_problem.by_cohort[c]) for c in focus)
    cohort_names = t.names(sorted(focus))
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if schedule is None:
            return []  # the constructive schedule missed some, but a schedule with every session exists
        return [Finding("solver_time", {"cohorts": sorted(focus)},
                        t("solver_time", sessions=sum(len(sc_problem.by_cohort[c]) for c in all_cohorts),
                          unscheduled=unscheduled),
                        [Suggestion(t("s.more_time",
                                      seconds=t.num(max(60, 4 * (schedule.get("solve_seconds") or 60)), 0)),
                                    [])], "warning", unscheduled, "solver")]
    if status != cp_model.INFEASIBLE:
        return [Finding("conflict_unknown", {"cohorts": sorted(focus)},
                        t("conflict.unknown", seconds=t.num(time_limit, 0), sessions=sessions, cohorts=cohort_names),
                        [], "info", sessions, "conflict")]
    core = _minimal_core(cm, cm.core(solver), started + time_limit)
    if not core:
        return [Finding("conflict", {"cohorts": sorted(focus), "groups": []},
                        t("conflict.hard", sessions=sessions, cohorts=cohort_names), [], "error", sessions, "conflict")]
    suggestions = _relaxations(cm, core, groups, t, started + time_limit + 10)
    return [Finding("conflict", _entities(cm, core, focus), t("conflict", sessions=sessions, cohorts=cohort_names,
                                                                  parts="; ".join(_part(cm, k, t) for k in core)),
                    suggestions, "error", sessions, "conflict")]


def _minimal_core(cm: ConflictModel, core: list, deadline: float) -> list:
    """Drop each group whose requirements are not needed for the conflict (deletion), while time lasts."""
    core = sorted(set(core), key=_rank)
    n = 0
    while n < len(core):
        left = deadline - _time.monotonic()
        if left < 0.2:
            break
        trial = core[:n] + core[n + 1:]
        status, solver = cm.solve(trial, min(3.0, left))
        if status == cp_model.INFEASIBLE:
            smaller = set(cm.core(solver)) & set(trial)
            core = sorted(smaller or trial, key=_rank)
            n = min(n, len(core))
            continue
        n += 1
    return core


def _rank(key: tuple[str, str]):
    return (ORDER.index(key[0]) if key[0] in ORDER else len(ORDER), key[1])


def _part(cm: ConflictModel, key: tuple[str, str], t: Texts) -> str:
    sc = cm.original.scenario
    kind, ident = key
    if kind == "trainer":
        mods = sorted(m.id for m in sc.modules.values() if m.qualification in sc.trainers[ident].qualifications)
        return t("group.trainer", trainer=ident, modules=t.names(mods))
    if kind == "trainer_limits":
        tr = sc.trainers[ident]
        limits = []
        if tr.max_sessions_per_day is not None:
            limits.append(f"{tr.max_sessions_per_day}/d" if t.lang == "en" else f"{tr.max_sessions_per_day}/dag")
        if tr.max_minutes_per_week is not None:
            limits.append(f"{t.num(tr.max_minutes_per_week / 60)} h/" + ("week" if t.lang == "en" else "vecka"))
        return t("group.trainer_limits", trainer=ident, limits=", ".join(limits))
    if kind == "room":
        return t("group.room", room=ident)
    if kind == "interpreter":
        return t("group.interpreter", interpreter=ident, languages=t.names(sorted(sc.interpreters[ident].languages)))
    if kind == "staffing":
        w, team = ident.split("/", 1)
        return t("group.staffing", team=f"{team} ({w})", slack=max(0, sc.teams[w, team].staffing_slack))
    if kind == "window":
        p = sc.action_plans[ident]
        return t("group.window", plan=ident, first=t.date(p.earliest), deadline=t.date(p.deadline))
    if kind in ("off_shift", "on_shift"):
        return t("group.off_shift", plan=ident)
    if kind == "gaps":
        m = sc.modules[ident]
        gaps = f"≥ {m.min_gap_days}" + (f", ≤ {m.max_gap_days}" if m.max_gap_days is not None else "")
        return t("group.gaps", module=ident, gaps=gaps)
    return f"{kind} {ident}"


def _entities(cm: ConflictModel, core: list, focus: set[str]) -> dict:
    names = {"trainer": "trainers", "trainer_limits": "trainers", "room": "rooms", "interpreter": "interpreters",
             "staffing": "teams", "window": "plans", "off_shift": "plans", "on_shift": "plans", "gaps": "modules"}
    out: dict[str, list] = {"cohorts": sorted(focus), "groups": [{"kind": k, "id": i} for k, i in core]}
    for kind, ident in core:
        bucket = out.setdefault(names.get(kind, kind), [])
        if ident not in bucket:
            bucket.append(ident)
    plans = set(out.get("plans", [])) | {p for c in focus for p in cm.original.cohort_by_id[c].plans}
    out["plans"] = sorted(plans)
    return out


def _relaxations(cm: ConflictModel, core: list, groups: list, t: Texts, deadline: float) -> list[Suggestion]:
    """For each group of the core: relax it alone (everything else kept); when that resolves the
    conflict, the change it takes, measured on that solution. If no single one does, all of the
    core together."""
    out = []
    for key in core:
        left = deadline - _time.monotonic()
        if left < 0.2:
            break
        status, solver = cm.solve([g for g in groups if g != key], min(5.0, left))
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            s = _change_for(cm, key, solver, t)
            if s is not None:
                out.append(s)
    if not out and deadline - _time.monotonic() > 0.2:
        status, solver = cm.solve([g for g in groups if g not in core], min(5.0, deadline - _time.monotonic()))
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            parts = [s for s in (_change_for(cm, key, solver, t) for key in core) if s is not None]
            if parts:
                out.append(Suggestion(" ".join(p.message for p in parts), [c for p in parts for c in p.changes]))
    return out


def _placed(cm: ConflictModel, solver) -> list[tuple[int, int, int, date]]:
    """(session, start, end, local date) of every scheduled session of a solution."""
    mb, out = cm.mb, []
    for i in mb.schedulable:
        if solver.boolean_value(mb.present[i]):
            k = next(k for k, x in enumerate(mb.pick[i]) if solver.boolean_value(x))
            c = mb.options[i].candidates[k]
            out.append((i, c.start, c.end, c.slot.day))
    return out


def _change_for(cm: ConflictModel, key: tuple[str, str], solver, t: Texts) -> Suggestion | None:
    """The scenario change that relaxing group `key` stands for, sized from the solution."""
    sc, mb = cm.original.scenario, cm.mb
    kind, ident = key
    placed = _placed(cm, solver)
    if kind == "window":
        p = sc.action_plans[ident]
        days = [d for i, _, _, d in placed if ident in cm.problem.sessions[i].cohort.plans]
        changes, msgs = [], []
        if days and max(days) > p.deadline:
            last = max(days)
            changes.append(set_change(["action_plans", {"id": ident}, "deadline"], last.isoformat()))
            msgs.append(t("s.move_deadline", plan=ident, old=t.date(p.deadline), new=t.date(last)))
        if days and min(days) < p.earliest:
            first = min(days)
            changes.append(set_change(["action_plans", {"id": ident}, "earliest"], first.isoformat()))
            msgs.append(t("s.move_earliest", plan=ident, old=t.date(p.earliest), new=t.date(first)))
        return Suggestion(" ".join(msgs), changes) if changes else None
    if kind == "off_shift":
        return Suggestion(t("s.allow_off_shift", plan=ident),
                          [set_change(["action_plans", {"id": ident}, "allow_off_shift"], True)])
    if kind == "on_shift":
        return Suggestion(t("s.allow_on_shift", plan=ident),
                          [set_change(["action_plans", {"id": ident}, "allow_on_shift"], True)])
    if kind == "trainer":
        return _extra_trainer(cm, ident, solver, placed, t)
    if kind == "trainer_limits":
        tr = sc.trainers[ident]
        mine = [(i, d) for i, _, _, d in placed
                if (i, ident) in mb.teaches and solver.boolean_value(mb.teaches[i, ident])]
        per_day: dict[date, int] = defaultdict(int)
        per_week: dict[tuple[int, int], int] = defaultdict(int)
        for i, d in mine:
            per_day[d] += 1
            per_week[d.isocalendar()[:2]] += cm.problem.sessions[i].duration
        changes, msgs = [], []
        if tr.max_sessions_per_day is not None and per_day and max(per_day.values()) > tr.max_sessions_per_day:
            new = max(per_day.values())
            changes.append(set_change(["trainers", {"id": ident}, "max_sessions_per_day"], new))
            msgs.append(t("s.raise_daily", trainer=ident, old=tr.max_sessions_per_day, new=new))
        if tr.max_minutes_per_week is not None and per_week and max(per_week.values()) > tr.max_minutes_per_week:
            new = max(per_week.values())
            changes.append(set_change(["trainers", {"id": ident}, "max_minutes_per_week"], new))
            msgs.append(t("s.raise_weekly", trainer=ident, old=t.num(tr.max_minutes_per_week / 60),
                          new=t.num(new / 60)))
        return Suggestion(" ".join(msgs), changes) if changes else None
    if kind == "room":
        r = sc.rooms[ident]
        new_room = {"id": unique_id(sc.rooms, f"{ident}-2"), "name": f"{r.name} (2)", "site": r.site,
                    "capacity": r.capacity, "features": sorted(r.features)}
        return Suggestion(t("s.room_like", room=ident, capacity=r.capacity, site=r.site),
                          [append_change(["rooms"], new_room)])
    if kind == "interpreter":
        j = sc.interpreters[ident]
        new_interpreter: dict[str, object] = {"id": unique_id(sc.interpreters, f"{ident}-2"),
                                              "name": f"{j.name} (2)", "languages": sorted(j.languages),
                                              "home_site": j.home_site}
        new_interpreter.update(_availability_of(cm, "interpreters", ident))
        return Suggestion(t("s.interpreter_like", languages=t.names(sorted(j.languages)), interpreter=ident),
                          [append_change(["interpreters"], new_interpreter)])
    if kind == "staffing":
        w, team_id = ident.split("/", 1)
        team = sc.teams[w, team_id]
        peak = _staffing_peak(cm, (w, team_id), placed)
        extra = max(1, peak - max(0, team.staffing_slack))
        new_min = max(0, team.min_staffing - extra)
        wp = sc.workplaces[w]
        return Suggestion(t("s.release_staff", workplace=wp.name, n=team.min_staffing - new_min, team=team_id,
                            old=team.min_staffing, new=new_min),
                          [set_change(["workplaces", {"id": w}, "teams", {"id": team_id}, "min_staffing"], new_min)])
    if kind == "gaps":
        m = sc.modules[ident]
        gaps = []
        day_of = {i: d for i, _, _, d in placed}
        for idxs in cm.problem.by_cohort.values():
            for a, b in zip(idxs, idxs[1:]):
                sa, sb = cm.problem.sessions[a], cm.problem.sessions[b]
                if sa.module_id == sb.module_id == ident and a in day_of and b in day_of:
                    gaps.append((day_of[b] - day_of[a]).days)
        if not gaps:
            return None
        if min(gaps) < m.min_gap_days:
            return Suggestion(t("s.lower_min_gap", module=ident, new=min(gaps), old=m.min_gap_days),
                              [set_change(["modules", {"id": ident}, "min_gap_days"], min(gaps))])
        if m.max_gap_days is not None and max(gaps) > m.max_gap_days:
            return Suggestion(t("s.raise_max_gap", module=ident, new=max(gaps), old=m.max_gap_days),
                              [set_change(["modules", {"id": ident}, "max_gap_days"], max(gaps))])
    return None


def _availability_of(cm: ConflictModel, collection: str, ident: str) -> dict:
    """The weekly windows and unavailable periods of a trainer/interpreter as written in the scenario."""
    raw = next((x for x in cm.data_list(collection) if x.get("id") == ident), {})
    return {k: copy.deepcopy(raw[k]) for k in ("available", "unavailable") if raw.get(k) is not None}


def _extra_trainer(cm: ConflictModel, ident: str, solver, placed, t: Texts) -> Suggestion:
    """Another trainer like `ident` (same qualifications, languages, home, availability) for the
    sessions that, with `ident`'s time relaxed, overlap another of theirs: hours per week and weeks."""
    sc, mb = cm.original.scenario, cm.mb
    tr = sc.trainers[ident]
    mine = sorted((a, b, d, i) for i, a, b, d in placed
                  if (i, ident) in mb.teaches and solver.boolean_value(mb.teaches[i, ident]))
    clash: dict = defaultdict(int)
    days = []
    for (_, b1, _, _), (a2, b2, d2, _) in zip(mine, mine[1:]):
        if a2 < b1:
            clash[d2.isocalendar()[:2]] += b2 - a2
            days.append(d2)
    quals = sorted({sc.modules[cm.problem.sessions[i].module_id].qualification for _, _, _, i in mine}) or sorted(
        tr.qualifications)
    minutes = max(clash.values()) if clash else max((b - a for a, b, _, _ in mine), default=60)
    first, last = (min(days), max(days)) if days else (sc.horizon_start, sc.horizon_end)
    new = {"id": unique_id(sc.trainers, f"{ident}-2"), "name": f"{tr.name} (2)", "qualifications": quals,
           "languages": sorted(tr.languages), "home_site": tr.home_site, "cost_per_hour": tr.cost_per_hour}
    for key, value in (("max_minutes_per_week", tr.max_minutes_per_week),
                       ("max_sessions_per_day", tr.max_sessions_per_day)):
        if value is not None:
            new[key] = value
    new.update(_availability_of(cm, "trainers", ident))
    return Suggestion(t("s.new_trainer_like", qualification=t.names(quals), trainer=ident,
                        hours=t.num(minutes / 60), weeks=t.weeks(first, last)),
                      [append_change(["trainers"], new)])


def _staffing_peak(cm: ConflictModel, team, placed) -> int:
    """The most of a team's members in sessions at one moment of its shifts, in a solution."""
    union = cm.problem.timeline.shift_union.get(team, [])
    events = []
    for i, a, b, _ in placed:
        n = dict(cm.problem.sessions[i].cohort.team_counts).get(team, 0)
        if n and overlap_minutes(union, a, b):
            events += [(a, n), (b, -n)]
    peak = cur = 0
    for _, d in sorted(events, key=lambda e: (e[0], e[1])):
        cur += d
        peak = max(peak, cur)
    return peak
