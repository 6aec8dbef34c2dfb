"""Shared fixtures: the format's examples (scenarios/examples), the scenario factory, solve-and-validate.

The helpers themselves live in ``tests/scenario_factory.py`` (plain functions,
importable as ``tests.scenario_factory``); the fixtures here only hand them out.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from tests import scenario_factory as _factory


def repo_root() -> Path:
    """The directory holding pyproject.toml (the repository)."""
    here = Path(__file__).resolve().parent
    for p in (here, *here.parents):
        if (p / "pyproject.toml").exists():
            return p
    return here.parent


#: The format's hand-checked examples (a copy of the spec's, kept in the repository so that
#: the tests need nothing outside it).
EXAMPLES_DIR = repo_root() / "scenarios" / "examples"


def find_examples_dir() -> Path:
    """``<repo>/scenarios/examples``: tiny-scenario.json and tiny-schedule.json."""
    return EXAMPLES_DIR


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    p = find_examples_dir()
    if not (p / "tiny-scenario.json").exists():
        pytest.fail(f"the format's examples are missing: looked in {p}")
    return p


@pytest.fixture(scope="session")
def _tiny_example(examples_dir):
    return (json.loads((examples_dir / "tiny-scenario.json").read_text(encoding="utf-8")),
            json.loads((examples_dir / "tiny-schedule.json").read_text(encoding="utf-8")))


@pytest.fixture
def tiny_example_scenario(_tiny_example) -> dict:
    """A fresh copy of examples/tiny-scenario.json."""
    return copy.deepcopy(_tiny_example[0])


@pytest.fixture
def tiny_example_schedule(_tiny_example) -> dict:
    """A fresh copy of examples/tiny-schedule.json."""
    return copy.deepcopy(_tiny_example[1])


@pytest.fixture
def scenario_factory():
    """The plain function ``tests.scenario_factory.scenario_factory``."""
    return _factory.scenario_factory


@pytest.fixture
def solve_checked():
    """The plain function ``tests.scenario_factory.solve_checked``."""
    return _factory.solve_checked
