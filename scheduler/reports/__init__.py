"""Reports computed from a scenario and its schedule (independently of the solver)."""
