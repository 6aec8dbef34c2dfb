"""Explanations: why a session could not be placed, why the plan costs what it costs, and
what to change (`modulplan explain`, `/api/v1/.../explanation`).

* `diagnose/`: pre-solve capacity checks (seconds), one module per kind of check (trainers,
  languages, rooms, staffing, windows, starts, cohort sizes) and `run.py` that runs them;
* `conflicts.py`: a small set of conflicting requirements, found with CP-SAT assumptions
  over grouped constraints, with the relaxations that resolve it;
* `costs.py`: the objective broken down by term and each term by action plan, workplace,
  team, trainer and week;
* `messages.py`: the texts in Swedish and English;
* `findings.py`: the finding and suggestion records, and `apply_changes`;
* `report.py`: the whole explanation (findings and costs) as a dict and as text.
"""
