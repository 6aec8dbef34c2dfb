#!/usr/bin/env python3
"""Variants of a programme: the same content under other names and in another order.

    python benchmarks/permute.py ../shared/bench/programmes/M-seed3 --variants 4 --out /tmp/variants
    python benchmarks/run.py --programmes public --public-dir /tmp/variants --time-limit 60
    python benchmarks/permute.py ../shared/bench/programmes/L-seed3 --tile 8 --out /tmp/xl-ff

`--tile N` writes one programme of N variants side by side instead: their plans, people, teams,
workplaces, trainers, rooms and interpreters under N sets of names, one map of sites (so every
trainer, room and interpreter may serve every copy, and a mixed track's plans of all copies may
share cohorts), and the reference schedules joined. Eight tiles of L-seed3 are an XL of the first-fit make
(7 728 participants, about 12 700 sessions), which the public set does not hold.

`--sample F` writes smaller programmes of the same make instead: a random share F of the
workplaces stays, with the reference's cohorts that lie wholly inside them (a mixed cohort
reaching a workplace that went is dropped, and its people leave their plans); plans left
empty go. Every rule only loosens when whole cohorts leave (fewer people in sessions, on
shifts, with trainers, rooms and interpreters), so the reference, cut alike, still proves the
programme feasible; the validator checks it. With `--lean` the trainers, interpreters and rooms
the cut reference does not use go too, so the small programme is as tight as the large one
was. A public set of three holds no S programme of either make; this is the nearest thing.

Why: the programmes that judge the engine are of the same makes as the public ones but not
the same files. An engine breaks ties by name and by the order of the lists it reads, so one
file measures one draw of its luck. A variant renames every action plan, participant, team,
workplace, trainer, room and interpreter (ids only; names and everything else stay) and
shuffles the order of every list the format leaves unordered. The programme is the same, so
the schedule that comes with it (`first-fit.json` or `planted.json`, renamed alike) still
proves it feasible at the same objective, and the validator checks that before writing.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The lists whose order carries no meaning (a track's modules and a pattern's cycle do).
UNORDERED = ("sites", "workplaces", "rooms", "trainers", "interpreters", "action_plans", "shift_types",
             "shift_patterns", "modules", "tracks")
REFERENCES = ("first-fit.json", "planted.json", "witness.json")


def _ids(scenario: dict) -> dict[str, str]:
    """The ids a coordinator names freely, by kind (the prefix of their new names)."""
    kinds = {
        "AP": [p["id"] for p in scenario.get("action_plans", [])],
        "P": [q["id"] for p in scenario.get("action_plans", []) for q in p.get("participants", []) if "id" in q],
        "W": [w["id"] for w in scenario.get("workplaces", [])],
        "TM": [t["id"] for w in scenario.get("workplaces", []) for t in w.get("teams", [])],
        "T": [t["id"] for t in scenario.get("trainers", [])],
        "R": [r["id"] for r in scenario.get("rooms", [])],
        "I": [i["id"] for i in scenario.get("interpreters", [])],
    }
    return kinds


def rename_map(scenario: dict, rng: random.Random, tag: str = "") -> dict[str, str]:
    """Old id -> new random id of the same kind (`tag` after the kind's prefix), for every id of
    `_ids` and every counted participant's expanded id."""
    mapping: dict[str, str] = {}
    for prefix, ids in _ids(scenario).items():
        unique = list(dict.fromkeys(ids))
        fresh = [f"{prefix}{tag}{rng.randrange(16 ** 6):06x}" for _ in unique]
        while len(set(fresh)) < len(fresh):  # a clash: draw again
            fresh = [f"{prefix}{tag}{rng.randrange(16 ** 6):06x}" for _ in unique]
        for old, new in zip(unique, fresh):
            if old in mapping and mapping[old] != new:
                raise SystemExit(f"id {old!r} names two kinds of thing; this tool cannot rename it safely")
            mapping[old] = new
    for plan in scenario.get("action_plans", []):  # counted participants: ids <plan id>-<team id>-<n>
        for entry in plan.get("participants", []):
            if "id" not in entry:
                for n in range(1, int(entry.get("count", 0)) + 1):
                    old = f"{plan['id']}-{entry['team']}-{n}"
                    mapping[old] = f"{mapping[plan['id']]}-{mapping[entry['team']]}-{n}"
    return mapping


def _renamed(value, mapping: dict[str, str]):
    """Every string that is exactly an old id becomes the new one (dict keys too: no list in the
    format is keyed by these ids, but a schedule's extras might be)."""
    if isinstance(value, str):
        return mapping.get(value, value)
    if isinstance(value, list):
        return [_renamed(v, mapping) for v in value]
    if isinstance(value, dict):
        return {mapping.get(k, k): _renamed(v, mapping) for k, v in value.items()}
    return value


def _shuffled(scenario: dict, rng: random.Random) -> dict:
    out = dict(scenario)
    for key in UNORDERED:
        if isinstance(out.get(key), list):
            items = list(out[key])
            rng.shuffle(items)
            out[key] = items
    out["workplaces"] = [{**w, "teams": rng.sample(w["teams"], len(w["teams"]))} if "teams" in w else w
                         for w in out.get("workplaces", [])]
    out["action_plans"] = [{**p, "participants": rng.sample(p["participants"], len(p["participants"]))}
                           if "participants" in p else p for p in out.get("action_plans", [])]
    return out


def variant(scenario: dict, reference: dict | None, seed: int, tag: str = "") -> tuple[dict, dict | None]:
    rng = random.Random(seed)
    mapping = rename_map(scenario, rng, tag)
    new = _shuffled(_renamed(scenario, mapping), rng)
    new["id"] = f"{scenario.get('id', 'programme')}-v{seed}"
    return new, (_renamed(reference, mapping) if reference is not None else None)


def tiled(scenario: dict, reference: dict | None, copies: int, first_seed: int = 1) -> tuple[dict, dict | None]:
    """`copies` variants of one programme joined into one: the lists of things that carry renamed
    ids are concatenated; sites, travel, calendar, shift types and patterns, modules, tracks and
    weights are the original's once. The references' cohorts and sessions get a per-copy prefix."""
    joined_lists = ("workplaces", "rooms", "trainers", "interpreters", "action_plans")
    out = {k: v for k, v in scenario.items()}
    for key in joined_lists:
        out[key] = []
    ref_out = None if reference is None else {**reference, "cohorts": [], "sessions": []}
    for copy in range(1, copies + 1):
        new, ref = variant(scenario, reference, first_seed + copy - 1, tag=f"{copy}x")  # no id shared by two copies
        for key in joined_lists:
            out[key].extend(new.get(key, []))
        if ref is not None and ref_out is not None:
            tag = f"X{copy}-"
            ref_out["cohorts"].extend({**c, "id": tag + c["id"]} for c in ref.get("cohorts", []))
            ref_out["sessions"].extend({**x, "id": tag + x["id"], "cohort": tag + x["cohort"]}
                                       for x in ref.get("sessions", []))
    out["id"] = f"{scenario.get('id', 'programme')}-x{copies}"
    out["name"] = f"{scenario.get('name', 'programme')} x{copies}"
    if ref_out is not None:  # the joined schedule's figures, as the validator counts them
        ref_out["scenario"] = out["id"]
        _count_kpis(out, ref_out)
    return out, ref_out


def _count_kpis(scenario: dict, reference: dict) -> None:
    """A reference made of parts of others gets its own figures, as the validator counts them."""
    from scheduler.validate import validate

    kpis = validate(scenario, reference, check_kpis=False).kpis
    reference["kpis"], reference["objective"] = kpis, kpis["objective"]


def sampled(scenario: dict, reference: dict, share: float, seed: int, lean: bool = False
            ) -> tuple[dict, dict]:
    """A share of the workplaces, with the reference's cohorts wholly inside them (see above)."""
    rng = random.Random(seed)
    workplaces = [w["id"] for w in scenario.get("workplaces", [])]
    kept_places = set(rng.sample(workplaces, max(1, round(share * len(workplaces)))))
    cohorts = [c for c in reference.get("cohorts", []) if set(c.get("workplaces", [])) <= kept_places]
    kept_people: dict[str, set[str]] = {}  # per track: one person may be in several tracks
    for c in cohorts:
        kept_people.setdefault(c["track"], set()).update(c.get("participants", []))
    plans = []
    for plan in scenario.get("action_plans", []):
        if plan["workplace"] not in kept_places:
            continue
        entries = []
        stays = kept_people.get(plan["track"], set())
        for entry in plan.get("participants", []):
            if "id" in entry:
                if entry["id"] in stays:
                    entries.append(entry)
                continue
            ids = [f"{plan['id']}-{entry['team']}-{n}" for n in range(1, int(entry.get("count", 0)) + 1)]
            if all(i in stays for i in ids):
                entries.append(entry)  # whole: stays counted
            else:  # in part: the people who stay, by name (their expanded ids)
                entries.extend({"id": i, **{k: v for k, v in entry.items() if k != "count"}}
                               for i in ids if i in stays)
        if entries:
            plans.append({**plan, "participants": entries})
    out = {**scenario, "action_plans": plans,
           "workplaces": [w for w in scenario.get("workplaces", []) if w["id"] in kept_places]}
    cohort_ids = {c["id"] for c in cohorts}
    sessions = [s for s in reference.get("sessions", []) if s["cohort"] in cohort_ids]
    if lean:
        used = {s["trainer"] for s in sessions} | {i for s in sessions for i in s.get("interpreters", [])} | {
            s["room"] for s in sessions if s.get("room")}
        for key in ("trainers", "interpreters", "rooms"):
            out[key] = [x for x in scenario.get(key, []) if x["id"] in used]
    out["id"] = f"{scenario.get('id', 'programme')}-s{seed}"
    out["name"] = f"{scenario.get('name', 'programme')} ({round(100 * share)} %, seed {seed})"
    ref_out = {**reference, "scenario": out["id"], "cohorts": cohorts, "sessions": sessions,
               "unscheduled": [u for u in reference.get("unscheduled", []) if u["cohort"] in cohort_ids]}
    _count_kpis(out, ref_out)
    return out, ref_out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("programmes", nargs="+", help="folders with scenario.json and a reference schedule")
    ap.add_argument("--variants", type=int, default=4, help="variants per programme (default: %(default)s)")
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--tile", type=int, default=0, metavar="N",
                    help="write one programme of N variants side by side instead (see above)")
    ap.add_argument("--sample", type=float, default=0.0, metavar="F",
                    help="write --variants smaller programmes of a share F of the workplaces instead (see above)")
    ap.add_argument("--lean", action="store_true",
                    help="with --sample: drop the trainers, interpreters and rooms the cut reference does not use")
    ap.add_argument("--out", required=True, help="folder to write <programme>-v<seed>/ into")
    args = ap.parse_args(argv)
    from scheduler.validate import validate

    for folder in map(Path, args.programmes):
        scenario = json.loads((folder / "scenario.json").read_text())
        ref_file = next((folder / f for f in REFERENCES if (folder / f).exists()), None)
        reference = json.loads(ref_file.read_text()) if ref_file else None
        if args.sample:
            if reference is None or ref_file is None:
                raise SystemExit(f"{folder}: --sample needs the programme's reference schedule")
            for seed in range(args.first_seed, args.first_seed + args.variants):
                new, ref = sampled(scenario, reference, args.sample, seed, args.lean)
                tag = f"-{round(100 * args.sample)}p{'-lean' if args.lean else ''}-s{seed}"
                _write(Path(args.out) / f"{folder.name}{tag}", new, ref, ref_file, validate)
            continue
        if args.tile:
            new, ref = tiled(scenario, reference, args.tile, args.first_seed)
            suffix = "" if args.first_seed == 1 else f"-s{args.first_seed}"
            _write(Path(args.out) / f"{folder.name}-x{args.tile}{suffix}", new, ref, ref_file, validate)
            continue
        for seed in range(args.first_seed, args.first_seed + args.variants):
            new, ref = variant(scenario, reference, seed)
            _write(Path(args.out) / f"{folder.name}-v{seed}", new, ref, ref_file, validate)
    return 0


def _write(target: Path, new: dict, ref: dict | None, ref_file: Path | None, validate) -> None:
    """Write a programme and its reference, once the validator has accepted the reference."""
    if ref is not None and ref_file is not None:
        report = validate(new, ref)
        if not report.ok:
            raise SystemExit(f"{target.name}: the renamed reference breaks a rule: {report.violations[:3]}")
    target.mkdir(parents=True, exist_ok=True)
    (target / "scenario.json").write_text(json.dumps(new, ensure_ascii=False, indent=1))
    if ref is not None and ref_file is not None:
        (target / ref_file.name).write_text(json.dumps(ref, ensure_ascii=False, indent=1))
    print(f"wrote {target}")


if __name__ == "__main__":
    raise SystemExit(main())
