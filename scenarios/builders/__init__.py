"""The builders of the three example scenarios, one module per family.

Each builder is a plain function `build(seed) -> dict` returning a `modulplan/scenario-1`
document. It draws every random choice from its own ``random.Random(seed)``, so a rerun gives
the same document and `scenarios/generate.py` rewrites the committed files byte-identically.
All names are invented (municipalities, workplaces, people).
"""

from __future__ import annotations

from collections.abc import Callable

from scenarios.builders.elderly_care import elderly_care
from scenarios.builders.industrial_plant import industrial_plant
from scenarios.builders.learning_centre_network import learning_centre_network

# The committed file (in scenarios/) that each builder writes.
SCENARIOS: dict[str, Callable[[], dict]] = {
    "elderly_care_municipality.json": elderly_care,
    "industrial_plant_5shift.json": industrial_plant,
    "learning_centre_network.json": learning_centre_network,
}

__all__ = ["SCENARIOS", "elderly_care", "industrial_plant", "learning_centre_network"]
