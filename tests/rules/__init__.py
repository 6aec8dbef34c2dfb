"""Per-rule tests (moved here from tests/test_solver_rules.py, one module per hard rule, named
in scheduler/rules/catalogue.py): for every hard rule of the contract (scenario-v1.md), small
scenarios in which the rule *binds* (the cheapest schedule without the rule would
break it), checked three ways:

1. the independent validator finds no violation in the solver's schedule
   (``solve_checked`` fails the test otherwise);
2. the schedule shows the specific behaviour the rule forces (a later day, another
   room, two cohorts, ...), which would fail if the solver ignored the rule;
3. the same schedule, broken by hand so that exactly that rule is violated, is
   caught by the validator under that rule number.

Most scenarios put the plan's ``target`` on the first day of the horizon: the
lateness cost then pulls every session as early as possible, so whatever keeps a
session later is the rule under test.

Each module also has model-level cases: the rule's constraint function alone on a small
model, feasible and infeasible, and switched off by its enforcement literal.
"""
