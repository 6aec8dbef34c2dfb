"""Fixtures of the validator's specification tests: fresh deep copies of the contract's tiny
example scenario (``sc``) and schedule (``sd``), which each test breaks in one way."""

from __future__ import annotations

import copy
import json

import pytest

from tests.validate.helpers import EXAMPLES


@pytest.fixture(scope="module")
def _tiny():
    if not (EXAMPLES / "tiny-scenario.json").exists():
        pytest.fail(f"the contract's example is missing: looked in {EXAMPLES}")
    return (json.loads((EXAMPLES / "tiny-scenario.json").read_text(encoding="utf-8")),
            json.loads((EXAMPLES / "tiny-schedule.json").read_text(encoding="utf-8")))


@pytest.fixture
def sc(_tiny):
    return copy.deepcopy(_tiny[0])


@pytest.fixture
def sd(_tiny):
    return copy.deepcopy(_tiny[1])
