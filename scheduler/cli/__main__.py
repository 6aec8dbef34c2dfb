"""`python -m scheduler.cli`: the same as the `modulplan` command."""

from scheduler.cli.program import run

run()
