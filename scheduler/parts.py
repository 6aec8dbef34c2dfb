"""Independent parts of a programme, solved separately and in parallel.

Two action plans are in the same part when anything could tie their sessions together:
a participant, a team (its minimum staffing), a mixed-workplace track (one cohort pool),
a trainer qualified for modules of both, a room that could hold sessions of both, or an
interpreter who speaks a language of both. Parts share nothing a rule could see, so each
can be solved on its own — in another process or on another machine — and the schedules
put side by side are a schedule of the whole that keeps every rule, with the sum of the
parts' costs as its cost.

The interface is made of plain JSON documents so that a job queue can fan it out:

    parts = split_scenario(doc)                  # [Part(index, scenario=<scenario document>, ...)]
    schedules = [solve_part(p.scenario, params) for p in parts]   # anywhere, in any order
    whole = merge_schedules(doc, schedules)

`solve_in_parts` does all three with a process pool on this machine.
"""

from __future__ import annotations

import copy
import logging
import multiprocessing
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from .domain import Scenario, build_scenario
from .schemas import load_scenario

log = logging.getLogger("modulplan.parts")


@dataclass(frozen=True)
class Part:
    """One independent part: its action plans and resources, and a scenario document of its own."""

    index: int
    plans: tuple[str, ...]
    trainers: tuple[str, ...]
    rooms: tuple[str, ...]
    interpreters: tuple[str, ...]
    participants: int
    scenario: dict


class _UnionFind:
    def __init__(self):
        self.parent: dict = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:  # path compression
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def plan_resources(sc: Scenario, plan_id: str) -> set[tuple[str, object]]:
    """Everything an action plan's sessions could share with another plan's sessions."""
    plan = sc.action_plans[plan_id]
    track = sc.tracks[plan.track]
    modules = [sc.modules[m] for m in track.modules if m in sc.modules]
    people = [sc.participants[p] for p in plan.participants]
    out: set[tuple[str, object]] = {("person", p.id) for p in people}
    out |= {("team", p.team) for p in people}
    if track.mix_workplaces:
        out.add(("track", track.id))
    quals = {m.qualification for m in modules}
    out |= {("trainer", t.id) for t in sc.trainers.values() if t.qualifications & quals}
    sites = {sc.workplaces[plan.workplace].site} | {sc.workplaces[p.team[0]].site for p in people}
    for m in modules:
        if m.location == "remote":
            continue
        out |= {("room", r.id) for r in sc.rooms.values()
                if m.room_features <= r.features and (m.location != "workplace" or r.site in sites)}
    langs = {p.language for p in people if p.language}
    out |= {("interpreter", i.id) for i in sc.interpreters.values() if i.languages & langs}
    return out


def find_parts(sc: Scenario) -> list[list[str]]:
    """The action plans grouped into independent parts, in the scenario's plan order."""
    uf = _UnionFind()
    for pid in sc.action_plans:
        node = ("plan", pid)
        uf.find(node)
        for res in plan_resources(sc, pid):
            uf.union(node, res)
    groups: dict = {}
    for pid in sc.action_plans:
        groups.setdefault(uf.find(("plan", pid)), []).append(pid)
    return list(groups.values())


def split_scenario(doc: dict, scenario: Scenario | None = None) -> list[Part]:
    """The independent parts of a (schema-checked) scenario document, each as a scenario
    document that keeps only its plans, their workplaces and the trainers, rooms and
    interpreters they could use. Calendar, sites, travel, modules and tracks stay whole so
    that cohorts and start times come out exactly as in the whole scenario."""
    sc = scenario or build_scenario(doc)
    parts = []
    for n, plans in enumerate(find_parts(sc)):
        res: set = set()
        for pid in plans:
            res |= plan_resources(sc, pid)
        keep = set(plans)
        workplaces = {sc.action_plans[p].workplace for p in plans} | {t[0] for kind, t in res if kind == "team"}
        sub = {k: v for k, v in doc.items() if k not in ("action_plans", "workplaces", "trainers", "rooms",
                                                         "interpreters")}
        sub["action_plans"] = [copy.deepcopy(p) for p in doc.get("action_plans", []) if p["id"] in keep]
        sub["workplaces"] = [copy.deepcopy(w) for w in doc.get("workplaces", []) if w["id"] in workplaces]
        ids = {kind: {x for k, x in res if k == kind} for kind in ("trainer", "room", "interpreter")}
        sub["trainers"] = [copy.deepcopy(t) for t in doc.get("trainers", []) if t["id"] in ids["trainer"]]
        sub["rooms"] = [copy.deepcopy(r) for r in doc.get("rooms", []) if r["id"] in ids["room"]]
        sub["interpreters"] = [copy.deepcopy(i) for i in doc.get("interpreters", [])
                               if i["id"] in ids["interpreter"]]
        parts.append(Part(n, tuple(plans), tuple(t["id"] for t in sub["trainers"]),
                          tuple(r["id"] for r in sub["rooms"]), tuple(i["id"] for i in sub["interpreters"]),
                          len({x for k, x in res if k == "person"}), sub))
    return parts


def solve_part(part_scenario: dict, params: dict | None = None, progress_queue=None, part_index: int = 0) -> dict:
    """Solve one part's scenario document; returns its schedule document plus solver
    figures under `x-part`. Runs anywhere: it needs nothing but its arguments."""
    from .solve import SolveParams, solve_scenario

    sp = SolveParams(**(params or {}))

    def forward(p):
        if progress_queue is not None:
            progress_queue.put((part_index, p.phase, p.elapsed, p.objective, p.bound, p.sessions_placed,
                                p.sessions_total))

    result = solve_scenario(part_scenario, sp, on_progress=forward if progress_queue is not None else None)
    schedule = result.schedule
    schedule["x-part"] = {"index": part_index, "status": result.status.value, "stats": result.stats,
                          "constructive_objective": result.constructive_objective}
    return schedule


def merge_schedules(doc: dict, schedules: list[dict], *, solve_seconds: float | None = None) -> dict:
    """The parts' schedules as one schedule of the whole scenario. The parts share no
    resource, so every rule that held in each part holds in the whole, and every cost term
    and count adds up."""
    def add(a, b):
        if isinstance(a, dict) or isinstance(b, dict):
            a, b = a or {}, b or {}
            return {k: add(a.get(k), b.get(k)) for k in {**a, **b}}
        if isinstance(a, list) or isinstance(b, list):
            return (a or []) + (b or [])
        if isinstance(a, (int, float)) or isinstance(b, (int, float)):
            return _round((a or 0) + (b or 0))
        return a if a is not None else b

    kpis: dict = {}
    for s in schedules:
        k = dict(s.get("kpis") or {})
        hours = k.pop("trainer_hours", {})
        kpis = add(kpis, k) if kpis else k
        kpis.setdefault("trainer_hours", {})
        kpis["trainer_hours"] = {**kpis.get("trainer_hours", {}), **hours}
    if "objective_breakdown" in kpis:
        order = list(schedules[0]["kpis"]["objective_breakdown"])
        kpis["objective_breakdown"] = {t: kpis["objective_breakdown"][t] for t in order}
    if "trainer_hours" in kpis:
        kpis["trainer_hours"] = dict(sorted(kpis["trainer_hours"].items()))
    statuses = [s.get("status") for s in schedules]
    bounds = [s.get("bound") for s in schedules]
    merged = {
        "format": "modulplan/schedule-1",
        "scenario": doc["id"],
        "status": "optimal" if statuses and all(x == "optimal" for x in statuses) else
                  ("feasible" if schedules else "optimal"),
        "objective": _round(sum(s["objective"] for s in schedules)),
        "bound": _round(sum(bounds)) if bounds and None not in bounds else None,
        "solve_seconds": round(solve_seconds if solve_seconds is not None
                               else max((s.get("solve_seconds", 0) for s in schedules), default=0), 3),
        "cohorts": [c for s in schedules for c in s.get("cohorts", [])],
        "sessions": sorted((x for s in schedules for x in s.get("sessions", [])), key=lambda x: (x["start"], x["id"])),
        "unscheduled": [u for s in schedules for u in s.get("unscheduled", [])],
        "unassigned_participants": [u for s in schedules for u in s.get("unassigned_participants", [])],
        "kpis": kpis,
    }
    if not schedules:
        merged["kpis"] = {}
    return merged


def _round(x: float) -> float:
    r = round(x, 4)
    return int(r) if r == int(r) else r


def solve_in_parts(doc: dict, params=None, *, on_progress=None, cancel: threading.Event | None = None,
                   parts: list[Part] | None = None) -> tuple[dict, list[Part], list[dict]]:
    """Split, solve every part in its own process (the cores shared out among them), merge.
    Returns (whole schedule, parts, part schedules). `on_progress` gets the summed-up
    Progress of all parts as they report."""
    from .solve import Progress, SolveParams

    params = params or SolveParams()
    started = time.monotonic()
    doc = load_scenario(copy.deepcopy(doc))
    parts = parts if parts is not None else split_scenario(doc)
    cores = params.num_workers
    # The biggest parts first; each process gets its share of the workers (at least one).
    order = sorted(parts, key=lambda p: -len(p.scenario["action_plans"]))
    procs = max(1, min(len(order), cores))
    per = max(1, cores // procs)
    budget = max(1.0, params.time_limit - (time.monotonic() - started) - 1.0)
    sub_params = {"time_limit": budget, "workers": per, "random_seed": params.random_seed,
                  "relative_gap": params.relative_gap}
    ctx = multiprocessing.get_context("spawn")  # OR-Tools threads and fork do not mix
    with ctx.Manager() as manager:
        queue = manager.Queue() if on_progress else None
        latest: dict[int, tuple] = {}
        stop = threading.Event()

        def pump():
            while not stop.is_set() or (queue is not None and not queue.empty()):
                try:
                    item = queue.get(timeout=0.2)
                except Exception:  # noqa: BLE001 - queue.Empty through the manager proxy
                    continue
                latest[item[0]] = item
                objs = [v[3] for v in latest.values()]
                bnds = [v[4] for v in latest.values()]
                on_progress(Progress(
                    "optimize" if any(v[1] == "optimize" for v in latest.values()) else item[1],
                    time.monotonic() - started,
                    sum(objs) if len(latest) == len(parts) and None not in objs else None,
                    sum(bnds) if len(latest) == len(parts) and None not in bnds else None,
                    sum(v[5] for v in latest.values()), sum(v[6] for v in latest.values())))

        pumper = threading.Thread(target=pump, daemon=True) if queue is not None else None
        if pumper:
            pumper.start()
        with ProcessPoolExecutor(max_workers=procs, mp_context=ctx) as pool:
            futures = {p.index: pool.submit(solve_part, p.scenario, sub_params, queue, p.index) for p in order}
            schedules = [futures[p.index].result() for p in parts]
        stop.set()
        if pumper:
            pumper.join(timeout=2)
    whole = merge_schedules(doc, schedules, solve_seconds=time.monotonic() - started)
    whole["x-parts"] = [{"index": p.index, "action_plans": len(p.plans), "participants": p.participants,
                         "trainers": len(p.trainers), "rooms": len(p.rooms), "objective": s["objective"],
                         "bound": s.get("bound"), "status": s["x-part"]["status"]}
                        for p, s in zip(parts, schedules)]
    for s in schedules:
        s.pop("x-part", None)
    return whole, parts, schedules


__all__ = ["Part", "find_parts", "split_scenario", "solve_part", "merge_schedules", "solve_in_parts"]
