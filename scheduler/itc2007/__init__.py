"""ITC-2007 Track 3 (curriculum-based course timetabling) as an external benchmark.

`instance` reads `.ctt` files and solutions, `model` builds and solves the CP-SAT model,
`evaluate` scores a solution with the official definitions (separate code from the
model), `cli` is `modulplan itc2007`.
"""
