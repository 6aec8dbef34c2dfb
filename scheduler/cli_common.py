"""What every `modulplan` subcommand shares: exit codes, error listing, writing JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

EXIT_OK, EXIT_BROKEN, EXIT_INVALID = 0, 1, 2


def print_errors(path: str, exc) -> int:
    """Every input error at once, each with where it is (JSON path, sheet/row/column)."""
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
