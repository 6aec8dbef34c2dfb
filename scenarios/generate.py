#!/usr/bin/env python3
"""Write the example scenarios of modulplan (format modulplan/scenario-1) and prove them feasible.

    python scenarios/generate.py                 # (re)write the three JSON files, figures, proof
    python scenarios/generate.py --check         # the same for the committed files, no writing
    python scenarios/generate.py --check --witness-out /tmp/w   # also keep the proving schedules
    python scenarios/generate.py --no-witness    # figures only (no proof)
    python scenarios/generate.py --only industrial_plant_5shift.json   # one scenario

Options:
  --check           read the committed files instead of rebuilding and writing them
  --witness-out DIR write each proving schedule (modulplan/schedule-1) to
                    DIR/<scenario>.witness-schedule.json
  --no-witness      print the figures only; skip the feasibility proof
  --only FILE       only this scenario file (its name in scenarios/)

The builders live in `scenarios/builders/` (one module per family). Each draws from its own
``random.Random(seed)``, so a rerun writes byte-identical files. The files are committed; this
command is kept so they can be regenerated or varied. All names are invented (municipalities,
workplaces, people); participants are pseudonymous ids or counted participants.

For each scenario the command prints its figures: participants (persons and plan entries); the
cohorts and sessions that modulplan forms; each qualification's trainer minutes per week,
available against needed; and each team's participants against headcount and staffing slack
(`headcount - min_staffing`).

The **witness** proves the scenario feasible with the project's own code: the scenario is
loaded by the format (`scheduler.format`), prepared (`scheduler.prepare.problem.PlanningProblem`:
cohorts and candidate starts), scheduled by the constructive heuristic
(`scheduler.search.construct.construct`), and the schedule is checked by the independent
validator (`scheduler.validate.validate`). "0 unscheduled, validator: ok" proves the scenario
feasible. The witness is a proof, not a good schedule (`modulplan solve` optimizes).

Exit status 1 when a witness leaves sessions unscheduled or participants unassigned, when the
validator finds a broken rule, or when a team has more participants than its headcount.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

if not __package__:  # run as a script (python scenarios/generate.py): make `scenarios` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scenarios.builders import (  # noqa: E402
    SCENARIOS,
    elderly_care,
    industrial_plant,
    learning_centre_network,
)
from scheduler.domain import Scenario, WeeklyWindow, build_scenario  # noqa: E402
from scheduler.format import load_scenario  # noqa: E402
from scheduler.prepare.problem import PlanningProblem  # noqa: E402
from scheduler.search.construct import construct  # noqa: E402
from scheduler.solve.result import build_schedule  # noqa: E402
from scheduler.validate import ValidationReport, format_report, validate  # noqa: E402

HERE = Path(__file__).resolve().parent
HIGH_LOAD = 0.4  # trainer load above which a qualification is flagged (the examples keep well under it)
WEEK_MINUTES = 7 * 24 * 60

__all__ = ["SCENARIOS", "Witness", "check", "dump", "elderly_care", "industrial_plant",
           "learning_centre_network", "main", "prepare", "witness"]


def prepare(scn: dict) -> PlanningProblem:
    """The scenario as the solver sees it: loaded by the format (defaults filled in), built into
    domain objects, cohorts formed and candidate starts listed. Raises ScenarioInvalid."""
    return PlanningProblem(build_scenario(load_scenario(scn)))


# --------------------------------------------------------------------------------------------
# Figures (--check)
# --------------------------------------------------------------------------------------------

def _window_minutes(w: WeeklyWindow) -> int:
    start, end = w.start.hour * 60 + w.start.minute, w.end.hour * 60 + w.end.minute
    return end - start if end > start else end + 24 * 60 - start  # end <= start: into the next day


def _weekly_capacity(sc: Scenario, qualification: str | None = None) -> float:
    """Trainer minutes per week: each trainer's weekly windows, capped by max_minutes_per_week."""
    total = 0.0
    for t in sc.trainers.values():
        if qualification is not None and qualification not in t.qualifications:
            continue
        window = WEEK_MINUTES if t.available is None else sum(_window_minutes(w) for w in t.available)
        total += min(window, t.max_minutes_per_week) if t.max_minutes_per_week is not None else window
    return total


def trainer_load(problem: PlanningProblem) -> pd.DataFrame:
    """Per qualification: trainer minutes per week available vs needed. A cohort needs its
    track's session minutes spread over the usable weeks between its plans' earliest date and
    deadline (usable: a day with an allowed session start)."""
    sc = problem.scenario
    days = sorted({slot.day for slot in problem.timeline.slots})
    need: dict[str, float] = defaultdict(float)
    for c in problem.cohorts:
        plans = [sc.action_plans[p] for p in c.plans]
        first, last = max(p.earliest for p in plans), min(p.deadline for p in plans)
        weeks = max(1.0, sum(1 for d in days if first <= d <= last) / 5.0)
        for mid in sc.tracks[c.track].modules:
            m = sc.modules[mid]
            need[m.qualification] += m.sessions * m.duration_minutes / weeks
    rows = [(q, _weekly_capacity(sc, q), need[q]) for q in sorted(need)]
    rows.append(("ALL", _weekly_capacity(sc), sum(need.values())))
    table = pd.DataFrame(rows, columns=["qualification", "available", "needed"]).set_index("qualification")
    table["load"] = table["needed"] / table["available"].where(table["available"] > 0)
    return table


def check(scn: dict, problem: PlanningProblem | None = None, out: Callable[[str], object] = print) -> dict:
    """Print the figures of one scenario; return them with `problems` (teams over headcount)."""
    problem = problem or prepare(scn)
    sc = problem.scenario
    days = {slot.day for slot in problem.timeline.slots}
    entries = sum(len(p.participants) for p in sc.action_plans.values())
    out(f"== {sc.id}: {sc.name}")
    out(f"   horizon {sc.horizon_start}..{sc.horizon_end}, {len(days)} usable days")
    out(f"   participants: {len(sc.participants)} persons, {entries} plan entries; plans {len(sc.action_plans)}; "
        f"workplaces {len(sc.workplaces)}; teams {sum(len(w.teams) for w in sc.workplaces.values())}; "
        f"trainers {len(sc.trainers)}; rooms {len(sc.rooms)}; interpreters {len(sc.interpreters)}")
    out(f"   cohorts {len(problem.cohorts)}, sessions {len(problem.sessions)}, "
        f"participants left without a cohort {len(problem.unassigned)}")
    load = trainer_load(problem)
    out("   qualification: trainer min/week available vs needed (load)")
    for q in load.itertuples():
        flag = "  <-- HIGH" if q.load > HIGH_LOAD else ""
        out(f"     {q.Index:<12} {q.available:6.0f} vs {q.needed:6.0f}  ({q.load:4.0%}){flag}")
    teams = team_figures(sc, len(days))
    over = teams.index[teams["participants"] > teams["headcount"]].tolist()
    out("   team: participants / headcount, slack (headcount-min_staffing), participant-sessions per slack-day")
    if over:
        out(f"   ILLEGAL: more participants than headcount in {over}")
    for t in teams.itertuples():
        out(f"     {t.Index:<34} {t.participants:3d} / {t.headcount:2d}  slack {t.slack}  {t.per_slack_day:5.2f}")
    return {"persons": len(sc.participants), "entries": entries, "cohorts": len(problem.cohorts),
            "sessions": len(problem.sessions), "problems": len(over)}


def team_figures(sc: Scenario, usable_days: int) -> pd.DataFrame:
    """Per team ("workplace/team"): participants vs headcount, the staffing slack (headcount -
    min_staffing: how many may be away at once, rule 7) and the participant-sessions per
    slack-day over the usable days (how hard the plans lean on the team's staffing)."""
    members: dict[tuple[str, str], set[str]] = defaultdict(set)
    sessions: dict[tuple[str, str], int] = defaultdict(int)
    for plan in sc.action_plans.values():
        per_person = sum(sc.modules[m].sessions for m in sc.tracks[plan.track].modules)
        for pid in plan.participants:
            team = sc.participants[pid].team
            members[team].add(pid)
            sessions[team] += per_person
    rows = []
    for w in sc.workplaces.values():
        for t in w.teams:
            key, slack = (w.id, t.id), t.headcount - t.min_staffing
            rows.append((f"{w.id}/{t.id}", len(members[key]), t.headcount, slack,
                         sessions[key] / max(1, usable_days * slack)))
    table = pd.DataFrame(rows, columns=["team", "participants", "headcount", "slack", "per_slack_day"])
    return table.set_index("team").sort_index()


# --------------------------------------------------------------------------------------------
# The witness: the project's constructive schedule, checked by the independent validator
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Witness:
    """A schedule of the scenario made by the project's constructive heuristic, and the
    validator's verdict on it. It proves the scenario feasible when `proves_feasible`."""

    schedule: dict
    report: ValidationReport
    seconds: float

    @property
    def unscheduled(self) -> int:
        return len(self.schedule["unscheduled"])

    @property
    def unassigned(self) -> int:
        return len(self.schedule["unassigned_participants"])

    @property
    def proves_feasible(self) -> bool:
        return self.unscheduled == 0 and self.unassigned == 0 and self.report.ok


def witness(scn: dict, problem: PlanningProblem | None = None) -> Witness:
    """Schedule the scenario constructively (no optimizing) and validate the schedule."""
    started = time.monotonic()
    problem = problem or prepare(scn)
    placed = construct(problem)
    seconds = time.monotonic() - started
    schedule = build_schedule(problem, placed, status="feasible", bound=None, solve_seconds=round(seconds, 3))
    return Witness(schedule, validate(scn, schedule), seconds)


def report_witness(w: Witness, out: Callable[[str], object] = print) -> None:
    """Print the witness's counts, its objective, and what it left out or broke (at most 15 lines each)."""
    k = w.schedule["kpis"]
    verdict = "ok" if w.report.ok else f"{len(w.report.violations)} violations"
    out(f"   witness: {len(w.schedule['cohorts'])} cohorts, {k['sessions_scheduled']} sessions placed, "
        f"{w.unscheduled} unscheduled, {w.unassigned} participants unassigned; validator: {verdict} "
        f"({w.seconds:.1f} s)")
    out(f"   witness objective {w.schedule['objective']:.0f} (backfill {k['backfill_hours']:.0f} h, overtime "
        f"{k['overtime_hours']:.0f} h, travel {k['travel_minutes']} min): an upper bound")
    for u in w.schedule["unscheduled"][:15]:
        out(f"     UNSCHEDULED {u}")
    if not w.report.ok:
        for line in format_report(w.report).splitlines()[:15]:
            out(f"     {line}")


# --------------------------------------------------------------------------------------------
# Writing the files
# --------------------------------------------------------------------------------------------

def dump(obj, width=110) -> str:
    """JSON with small objects and lists on one line (readable, diff-friendly)."""

    def enc(x, ind, used):
        flat = json.dumps(x, ensure_ascii=False)
        if not isinstance(x, (dict, list)) or not x or ind + used + len(flat) <= width:
            return flat
        if isinstance(x, list) and not any(isinstance(v, (dict, list)) for v in x):
            return flat  # a list of plain values (a shift cycle) stays on one line
        pad = " " * (ind + 2)
        if isinstance(x, dict):
            items = []
            for k, v in x.items():
                key = json.dumps(k, ensure_ascii=False) + ": "
                items.append(pad + key + enc(v, ind + 2, len(key)))
            return "{\n" + ",\n".join(items) + "\n" + " " * ind + "}"
        items = [pad + enc(v, ind + 2, 0) for v in x]
        return "[\n" + ",\n".join(items) + "\n" + " " * ind + "]"

    return enc(obj, 0, 0) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="read the files on disk instead of writing them")
    ap.add_argument("--no-witness", action="store_true", help="figures only: skip the feasibility proof")
    ap.add_argument("--witness-out", metavar="DIR", help="write the proving schedules (schedule-1) there")
    ap.add_argument("--only", metavar="FILE", help="only this scenario file name")
    a = ap.parse_args(argv)
    if a.only and a.only not in SCENARIOS:
        ap.error(f"--only: unknown scenario file {a.only!r} (one of {', '.join(SCENARIOS)})")
    bad = 0
    for fname, build in SCENARIOS.items():
        if a.only and a.only != fname:
            continue
        path = HERE / fname
        if a.check:
            scn = json.loads(path.read_text(encoding="utf-8"))
        else:
            scn = build()
            path.write_text(dump(scn), encoding="utf-8")
            print(f"wrote {path.relative_to(HERE.parent)}")
        problem = prepare(scn)
        bad += check(scn, problem)["problems"]
        if not a.no_witness:
            w = witness(scn, problem)
            report_witness(w)
            bad += not w.proves_feasible
            if a.witness_out:
                out = Path(a.witness_out) / fname.replace(".json", ".witness-schedule.json")
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_text(dump(w.schedule), encoding="utf-8")
        print()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
