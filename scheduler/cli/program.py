"""The `modulplan` program: the parser of every subcommand, and ``main``.

The subcommands live with their kind: ``solving`` (check, solve, validate), ``whatif`` (variant,
compare, the re-plan options of solve), ``spreadsheets`` (template, import, export, report,
import-calendar), ``explain``; other installed packages add theirs through entry points
(the service: serve, worker, token, feed, board; the benchmarks: itc2007).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from importlib.metadata import EntryPoint, entry_points

from scheduler.cli.common import EXIT_BROKEN, EXIT_INVALID, EXIT_OK
from scheduler.cli.explain import add_subcommand as add_explain_subcommand
from scheduler.cli.solving import add_subcommands as add_solving_subcommands
from scheduler.cli.spreadsheets import add_subcommands as add_spreadsheet_subcommands
from scheduler.cli.whatif import add_subcommands as add_whatif_subcommands


def build_parser() -> argparse.ArgumentParser:
    """The parser of every `modulplan` subcommand, in the order `--help` lists them."""
    parser = argparse.ArgumentParser(prog="modulplan",
                                     description="Training schedules for workplace-learning programmes.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details")
    sub = parser.add_subparsers(dest="command", required=True)
    add_solving_subcommands(sub)  # check, solve, validate
    add_whatif_subcommands(sub)  # variant, compare

    # Listed here for --help; main() hands their arguments to the program unparsed.
    for name, ep in _plugins("modulplan.programs").items():
        try:
            about = (getattr(ep.load(), "__doc__", None) or name).strip().splitlines()[0]
        except ImportError:  # installed without that package (an image with the service only)
            continue
        sub.add_parser(name, help=f"{about} (see `modulplan {name} --help`)", add_help=False)

    add_spreadsheet_subcommands(sub)  # template, import, export, report esf, import-calendar
    add_explain_subcommand(sub)  # explain
    _add_plugin_subcommands(sub)
    return parser


def _plugins(group: str) -> dict[str, EntryPoint]:
    """Commands that other installed packages add (entry points of `group`): the service adds
    `serve`, `worker`, `token`, `feed`, `board` (group modulplan.commands), the benchmarks add
    `itc2007` (modulplan.programs, a whole program with its own arguments). The core never
    imports them: it finds them."""
    return {ep.name: ep for ep in entry_points(group=group)}


def _add_plugin_subcommands(sub) -> None:
    for ep in _plugins("modulplan.commands").values():
        try:
            add_subcommands = ep.load()
        except ImportError:  # the solver alone, without that package's dependencies
            continue
        add_subcommands(sub)


# Commands after which the process ends without tearing the interpreter down (`run`).
QUICK_EXIT_COMMANDS = frozenset({"solve"})


def main(argv: list[str] | None = None) -> int:
    return _command(argv)[0]


def _command(argv: list[str] | None) -> tuple[int, str | None]:
    """Run the command `argv` names: (exit code, the command's name; None for a program an
    installed package adds)."""
    argv = sys.argv[1:] if argv is None else argv
    programs = _plugins("modulplan.programs")
    if argv[:1] and argv[0] in programs:
        return programs[argv[0]].load()(argv[1:]), None
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose or getattr(args, "log", False) else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    return _guarded(args), args.command


def _guarded(args) -> int:
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_BROKEN
    except BrokenPipeError:  # output piped into `head` and the like: not an error
        sys.stderr.close()
        return EXIT_OK
    except OSError as exc:  # a file named on the command line that is not there or not allowed
        where = f" {exc.filename}" if exc.filename else ""
        print(f"modulplan: cannot use{where}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_INVALID
    except Exception as exc:  # an internal error: say so plainly, keep the trace for developers
        logging.getLogger("modulplan").exception("internal error: %s", exc)
        return EXIT_BROKEN


def run() -> None:
    """The `modulplan` command itself (the console script and `python -m scheduler.cli`):
    `main`, then the exit. After a solve the process ends at once, its output flushed, without
    freeing its heap object by object: at national size that took 2.7 s (60 s limit) to 7 s
    (300 s), after the schedule was written, and counted against the time limit the user gave.
    (Tests call `main`, which returns.)"""
    code, command = _command(None)
    if command in QUICK_EXIT_COMMANDS:
        sys.stdout.flush()
        sys.stderr.flush()
        logging.shutdown()
        os._exit(code)
    sys.exit(code)
