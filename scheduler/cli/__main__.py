"""`python -m scheduler.cli`: the same as the `modulplan` command."""

import sys

from scheduler.cli.program import main

sys.exit(main())
