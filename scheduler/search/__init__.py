"""The search: from a programme's first complete schedule to a cheap one.

Modules, in the order the solve uses them:

* `bound`   - a lower bound that holds for the programme itself (every way of forming cohorts).
"""
