"""`python -m scheduler.cli`: the same as the `modulplan` command."""

import sys

from scheduler.cli import main

sys.exit(main())
