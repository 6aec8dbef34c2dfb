"""What every `modulplan` subcommand shares: exit codes, error listing, writing JSON."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

EXIT_OK, EXIT_BROKEN, EXIT_INVALID = 0, 1, 2


SHOWN_ALIKE = 3  # warnings of one kind (the same field on every team, say) shown before the count


def print_warnings(path: str, warnings) -> None:
    """Warnings (fields the format does not know, which are ignored) on stderr; the command
    goes on. Warnings of one kind (the same field at the same place of many records, such as a
    team `name` on 230 teams) are shown a few times, then counted."""
    warnings = list(warnings or ())
    if not warnings:
        return
    print(f"{path}: {len(warnings)} warning(s):", file=sys.stderr)
    alike: dict[str, list] = {}
    for w in warnings:
        alike.setdefault(re.sub(r"\[\d+\]", "[*]", w.path), []).append(w)
    for where, group in alike.items():
        for w in group[:SHOWN_ALIKE]:
            print(f"  warning: {w.path}: {w.message}", file=sys.stderr)
        if len(group) > SHOWN_ALIKE:
            print(f"  ... and {len(group) - SHOWN_ALIKE} more like these ({where})", file=sys.stderr)


def print_errors(path: str, exc) -> int:
    """Every input error at once, each with where it is (JSON path, sheet/row/column), after
    the warnings found besides them."""
    print_warnings(path, getattr(exc, "warnings", ()))
    print(f"{path}: {len(exc.errors)} error(s):", file=sys.stderr)
    for e in exc.errors:
        print(f"  {e.path}: {e.message}", file=sys.stderr)
    return EXIT_INVALID


def write_json(path: str, doc: dict) -> Path:
    """Write a document as UTF-8 JSON (Swedish letters kept), creating the folder."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return out


def load_scenario_file(path: str) -> dict:
    """A scenario file, validated and normalized; its warnings are printed on stderr.
    Raises ScenarioInvalid (errors and warnings) for invalid input."""
    from scheduler.format import load_json_file, load_scenario_with_warnings

    scenario, warnings = load_scenario_with_warnings(load_json_file(path))
    print_warnings(path, warnings)
    return scenario


def load_schedule_file(path: str) -> dict:
    """A schedule file, validated and normalized; its warnings are printed on stderr."""
    from scheduler.format import load_json_file, load_schedule_with_warnings

    schedule, warnings = load_schedule_with_warnings(load_json_file(path))
    print_warnings(path, warnings)
    return schedule
