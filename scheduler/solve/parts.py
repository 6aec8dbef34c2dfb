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

`solve_in_parts` does all three with worker processes on this machine (`python -m scheduler.solve.parts`
reads one part's request on stdin and answers with its schedule: the same runs on any machine).
"""

from __future__ import annotations

import copy
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from scheduler.domain import Scenario, build_scenario
from scheduler.format import load_scenario
from scheduler.rules.costs import rounded
from scheduler.solve.params import Progress, ProgressFn, SolveOutcome, SolveParams, SolveResult
from scheduler.solve.whole import read_scenario, solve_whole

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
    def __init__(self) -> None:
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


def solve_part(part_scenario: dict, params: dict | None = None, progress_queue=None, part_index: int = 0,
               cancel_event: threading.Event | None = None) -> dict:
    """Solve one part's scenario document; returns its schedule document plus solver
    figures under `x-part`. Runs anywhere: it needs nothing but its arguments (a progress
    sink with `put(tuple)` and a cancel event are optional). A part is independent by
    construction, so it is solved as one whole model."""
    started = time.monotonic()
    sp = SolveParams(**{"split_parts": False, **(params or {})})

    def forward(p):
        if progress_queue is not None:
            progress_queue.put((part_index, p.phase, p.elapsed, p.objective, p.bound, p.sessions_placed,
                                p.sessions_total))

    _, scenario = read_scenario(part_scenario)
    result = solve_whole(scenario, sp, started=started, on_progress=forward if progress_queue is not None else None,
                         cancel=cancel_event)
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
            return rounded((a or 0) + (b or 0))
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
        "objective": rounded(sum(s["objective"] for s in schedules)),
        "bound": rounded(sum(b for b in bounds if b is not None)) if bounds and None not in bounds else None,
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


def solve_in_parts(doc: dict, params=None, *, on_progress=None, cancel: threading.Event | None = None,
                   parts: list[Part] | None = None, runner=None) -> tuple[dict, list[Part], list[dict]]:
    """Split, solve every part in a worker process of its own (`python -m scheduler.solve.parts`,
    the cores shared out among them), merge. Returns (whole schedule, parts, part
    schedules). `on_progress` gets the summed-up Progress of all parts as they report;
    `cancel` stops every part, each keeping its best schedule so far.

    `runner(part, params, report)` replaces the local worker process: a job queue passes one
    that sends the part's request to a worker machine and returns its schedule (calling
    `report(tuple)` with the worker's progress tuples if it has them). A runner may return
    None for a part: that part is then solved by a local worker process after all, for the
    time left (how a runner keeps a part at home, or redoes one whose worker died). A runner
    whose `parts_at_once` attribute is true stands for a cluster: every part is handed to it at
    once, each with the whole time budget and the solve's worker count (its machines have
    their own cores); otherwise the parts share this machine's cores as local processes do.
    The schedule a runner returns may name, under `x-part.worker`, who solved it."""
    params = params or SolveParams()
    started = time.monotonic()
    doc = load_scenario(copy.deepcopy(doc))
    parts = parts if parts is not None else split_scenario(doc)
    cores = params.num_workers
    at_once = bool(getattr(runner, "parts_at_once", False))
    procs = max(1, len(parts) if at_once else min(len(parts), cores))
    per = cores if at_once else max(1, cores // procs)
    budget = max(1.0, params.time_limit - (time.monotonic() - started) - 1.5)  # 1.5 s: start-up and merge
    ends = time.monotonic() + budget  # a part redone here (its runner returned None) gets the time left
    waves = -(-len(parts) // procs)  # parts beyond the process count wait for a free process
    sub_params = {"time_limit": max(1.0, budget / waves), "workers": per, "random_seed": params.random_seed,
                  "relative_gap": params.relative_gap}
    latest: dict[int, tuple] = {}
    lock = threading.Lock()
    running: set[subprocess.Popen] = set()

    def report(item):
        if on_progress is None:
            return
        with lock:
            before = latest.get(item[0])
            if before is not None:  # a report without objective/bound keeps the last known ones
                item = (*item[:3], item[3] if item[3] is not None else before[3],
                        item[4] if item[4] is not None else before[4], *item[5:])
            latest[item[0]] = item
            objs = [v[3] for v in latest.values()]
            bnds = [v[4] for v in latest.values()]
            # The whole has a schedule once every part has one (its constructive schedule).
            complete = len(latest) == len(parts) and None not in objs
            phase = ("prepare" if not complete else
                     "construct" if all(v[1] == "construct" for v in latest.values()) else "optimize")
            on_progress(Progress(
                phase, time.monotonic() - started,
                sum(objs) if complete else None,
                sum(bnds) if complete and None not in bnds else None,
                sum(v[5] for v in latest.values()), sum(v[6] for v in latest.values())))

    def run(part: Part, time_limit: float | None = None) -> dict:
        if cancel is not None and cancel.is_set():
            sub = {**sub_params, "time_limit": 0.5}
        elif time_limit is not None:
            sub = {**sub_params, "time_limit": time_limit}
        else:
            sub = sub_params
        # The worker's clock starts once its imports are done; `ends` (this machine's monotonic
        # clock, which every process shares) keeps a slow start inside the solve's time limit.
        request = json.dumps({"scenario": part.scenario, "params": sub, "index": part.index,
                              "ends": time.monotonic() + sub["time_limit"]})
        proc = subprocess.Popen([sys.executable, "-m", "scheduler.solve.parts"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
        with lock:
            running.add(proc)
        errors: list[str] = []

        def read_progress():
            for line in proc.stderr:
                if line.startswith(_PROGRESS):
                    report(tuple(json.loads(line[len(_PROGRESS):])))
                else:
                    errors.append(line)

        reader = threading.Thread(target=read_progress, daemon=True)
        reader.start()
        out, _ = proc.communicate(request)
        reader.join(timeout=5)
        with lock:
            running.discard(proc)
        if proc.returncode != 0:
            raise RuntimeError(f"part {part.index} failed (exit {proc.returncode}): {''.join(errors)[-2000:]}")
        return json.loads(out)

    def relay_cancel():
        while not finished.wait(0.2):
            if cancel.is_set():
                with lock:
                    for proc in running:
                        proc.send_signal(signal.SIGTERM)  # the worker stops and keeps its best
                return

    finished = threading.Event()
    if cancel is not None:
        threading.Thread(target=relay_cancel, daemon=True).start()
    try:
        with ThreadPoolExecutor(max_workers=procs) as pool:
            by_size = sorted(parts, key=lambda p: -len(p.scenario["action_plans"]))  # the biggest first
            def remote(p: Part) -> dict:
                schedule = runner(p, sub_params, report)
                return schedule if schedule is not None else run(p, max(1.0, ends - time.monotonic()))

            work = run if runner is None else remote
            futures = {p.index: pool.submit(work, p) for p in by_size}
            schedules = [futures[p.index].result() for p in parts]
    finally:
        finished.set()
    whole = merge_schedules(doc, schedules, solve_seconds=time.monotonic() - started)
    whole["x-parts"] = [{"index": p.index, "action_plans": len(p.plans), "participants": p.participants,
                         "trainers": len(p.trainers), "rooms": len(p.rooms), "objective": s["objective"],
                         "bound": s.get("bound"), "status": s["x-part"]["status"],
                         "constructive_objective": s["x-part"]["constructive_objective"],
                         "mode": s["x-part"]["stats"].get("mode"), "worker": s["x-part"].get("worker")}
                        for p, s in zip(parts, schedules)]
    for s in schedules:
        s.pop("x-part", None)
    return whole, parts, schedules


def solve_by_parts(doc: dict, parts: list[Part], params: SolveParams, started: float,
                   on_progress: ProgressFn | None, cancel: threading.Event | None) -> SolveResult:
    """The parts path of `solve_scenario`: the independent parts in parallel processes, merged
    into one schedule, for the time left of the solve's limit (`started`: time.monotonic())."""
    left = replace(params, time_limit=max(1.0, params.time_limit - (time.monotonic() - started)), split_parts=False)
    schedule, parts, schedules = solve_in_parts(doc, left, on_progress=on_progress, cancel=cancel, parts=parts,
                                                runner=left.part_runner)
    status = SolveOutcome.OPTIMAL if schedule["status"] == "optimal" else SolveOutcome.FEASIBLE
    stats = {"mode": "parts", "parts": schedule.pop("x-parts")}
    constructive = sum(p["constructive_objective"] for p in stats["parts"])
    if on_progress:
        on_progress(Progress("done", time.monotonic() - started, schedule["objective"], schedule["bound"],
                             len(schedule["sessions"]), len(schedule["sessions"]) + len(schedule["unscheduled"])))
    return SolveResult(schedule, status, constructive, schedule["objective"], schedule["bound"], stats)


_PROGRESS = "@progress "


def _worker_main() -> int:
    """`python -m scheduler.solve.parts`: one part's request (JSON on stdin: scenario, params,
    index, optionally `ends`: when the part must be done, on the monotonic clock) -> its
    schedule (JSON on stdout); progress lines on stderr. SIGTERM stops the search and still
    answers with the best schedule found."""
    request = json.load(sys.stdin)
    params = dict(request.get("params") or {})
    if request.get("ends") is not None and "time_limit" in params:
        params["time_limit"] = max(0.5, min(params["time_limit"], request["ends"] - time.monotonic()))
    cancel = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: cancel.set())

    class _Queue:
        def put(self, item):
            sys.stderr.write(_PROGRESS + json.dumps(item) + "\n")
            sys.stderr.flush()

    schedule = solve_part(request["scenario"], params, _Queue(), request.get("index", 0),
                          cancel_event=cancel)
    json.dump(schedule, sys.stdout)
    return 0


__all__ = ["Part", "find_parts", "split_scenario", "solve_part", "merge_schedules", "solve_in_parts",
           "solve_by_parts"]


if __name__ == "__main__":
    sys.exit(_worker_main())
