"""What-if acceptance measurement: one trainer away for two weeks on an example scenario.

    .venv/bin/python benchmarks/whatif.py scenarios/industrial_plant_5shift.json --time-limit 30

1. solve the scenario (the published baseline);
2. make a variant (`scheduler.whatif.variants`): the trainer with the most sessions is unavailable
   for the two weeks (Mon..Sun) in which they teach the most, and the freeze date is the
   Monday one week before that period (everything earlier has been announced);
3. solve the variant afresh, and re-plan it against the baseline (`--baseline`, `--freeze-until`);
4. count the sessions each moved against the baseline, check the frozen ones, validate both.

Prints one JSON object with the figures (and writes it with --out).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scheduler.solve import SolveParams, solve_scenario  # noqa: E402
from scheduler.solve.replan import diff_sessions  # noqa: E402
from scheduler.validate import validate  # noqa: E402
from scheduler.whatif.variants import make_variant  # noqa: E402


def busiest_fortnight(schedule: dict) -> tuple[str, date]:
    """The trainer with the most sessions, and the Monday starting their busiest two weeks."""
    trainer = Counter(s["trainer"] for s in schedule["sessions"]).most_common(1)[0][0]
    days = [datetime.fromisoformat(s["start"]).date() for s in schedule["sessions"] if s["trainer"] == trainer]
    mondays = sorted({d - timedelta(days=d.weekday()) for d in days})
    best = max(mondays, key=lambda m: sum(1 for d in days if m <= d < m + timedelta(days=14)))
    return trainer, best


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario")
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out")
    args = ap.parse_args()
    scenario = json.loads(Path(args.scenario).read_text(encoding="utf-8"))
    params = SolveParams(time_limit=args.time_limit, workers=args.workers, random_seed=0)
    t0 = time.monotonic()
    baseline = solve_scenario(scenario, params).schedule
    trainer, monday = busiest_fortnight(baseline)
    away = (monday, monday + timedelta(days=13))
    freeze = monday - timedelta(days=7)
    variant = make_variant(scenario, {"name": f"{trainer} away {away[0]}..{away[1]}", "changes": [
        {"type": "unavailable", "trainer": trainer, "start": away[0].isoformat(), "end": away[1].isoformat()}]})
    fresh = solve_scenario(variant, params).schedule
    replan = solve_scenario(variant, params, baseline=baseline, freeze_until=freeze).schedule
    touched = [s["id"] for s in baseline["sessions"] if s["trainer"] == trainer
               and away[0] <= datetime.fromisoformat(s["start"]).date() <= away[1]]
    frozen = [s for s in baseline["sessions"] if datetime.fromisoformat(s["start"]).date() < freeze]
    after = {s["id"]: s for s in replan["sessions"]}
    fresh_diff, replan_diff = diff_sessions(baseline, fresh), diff_sessions(baseline, replan)
    result = {
        "scenario": args.scenario, "time_limit": args.time_limit, "workers": args.workers,
        "sessions": len(baseline["sessions"]), "trainer": trainer,
        "away": [away[0].isoformat(), away[1].isoformat()], "freeze_until": freeze.isoformat(),
        "baseline": {"objective": baseline["objective"], "unscheduled": len(baseline["unscheduled"]),
                     "valid": validate(scenario, baseline).ok},
        "sessions_of_trainer_in_period": len(touched),
        "frozen": len(frozen),
        "frozen_moved": sum(1 for s in frozen if s["id"] not in after or after[s["id"]] != s),
        "fresh": {"moved": len(fresh_diff["moved"]), "cancelled": len(fresh_diff["cancelled"]),
                  "unscheduled": len(fresh["unscheduled"]), "objective": fresh["objective"],
                  "valid": validate(variant, fresh).ok},
        "replan": {"moved": len(replan_diff["moved"]), "cancelled": len(replan_diff["cancelled"]),
                   "unscheduled": len(replan["unscheduled"]), "objective": replan["objective"],
                   "move_cost": replan["kpis"]["objective_breakdown"].get("move_session"),
                   "moved_not_touching_trainer": len(set(replan_diff["moved"]) - set(touched)),
                   "valid": validate(variant, replan, baseline=baseline).ok},
        "seconds": round(time.monotonic() - t0, 1),
    }
    result["replan_moves_fraction_of_fresh"] = (round(result["replan"]["moved"] / result["fresh"]["moved"], 3)
                                                if result["fresh"]["moved"] else None)
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
