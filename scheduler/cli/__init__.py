"""The `modulplan` command line (also `python -m scheduler.cli`).

Exit codes: 0 done; 1 the schedule breaks a rule (validate) or an internal error;
2 invalid input.

The package: ``program`` (the parser and ``main``), ``common`` (what every command shares:
exit codes, listing errors and warnings, reading and writing files), and the commands by kind:
``solving`` (check, solve, validate), ``whatif`` (variant, compare, re-plan options),
``spreadsheets`` (template, import, export, report, import-calendar), ``explain``.
"""

from __future__ import annotations

from scheduler.cli.common import EXIT_BROKEN, EXIT_INVALID, EXIT_OK
from scheduler.cli.program import build_parser, main, run

__all__ = ["EXIT_BROKEN", "EXIT_INVALID", "EXIT_OK", "build_parser", "main", "run"]
