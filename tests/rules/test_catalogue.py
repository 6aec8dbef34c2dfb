"""The rules catalogue (scheduler/rules/catalogue.py): every name in it resolves, every text
key exists, every test module is there, the model's rule functions all appear in it, and
docs/model.md shows it."""

from __future__ import annotations

import functools
import importlib
import inspect

from scheduler.explain.messages import TEMPLATES
from scheduler.rules import HARD_RULES
from scheduler.rules.catalogue import CATALOGUE, markdown_table, rule
from tests.conftest import repo_root


def resolve(dotted: str):
    """Import the longest module prefix of `dotted`, then getattr the rest."""
    parts = dotted.split(".")
    for k in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:k]))
        except ModuleNotFoundError:
            continue
        for attr in parts[k:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(dotted)


def test_catalogue_lists_the_ten_rules_in_order_with_the_validators_names():
    from scheduler.validate import RULE_NAMES

    assert [r.number for r in CATALOGUE] == list(range(1, 11))
    assert {r.number: r.name for r in CATALOGUE} == RULE_NAMES
    assert rule(7).name == "staffing"


def test_every_dotted_name_in_the_catalogue_resolves():
    for r in CATALOGUE:
        for name in (*r.model, *r.candidate_starts, r.validator):
            obj = resolve(name)
            assert callable(obj) or isinstance(obj, (property, functools.cached_property)), (r.number, name)
        assert r.model or r.candidate_starts, r.number


def test_every_explanation_key_exists_and_every_test_module_is_there():
    for r in CATALOGUE:
        assert r.texts, r.number
        for key in r.texts:
            assert key in TEMPLATES, (r.number, key)
        assert (repo_root() / r.test_module).is_file(), r.test_module
        assert (repo_root() / r.validator_tests).is_file(), r.validator_tests


def test_every_model_rule_function_is_in_the_catalogue_and_takes_an_enforcement_literal():
    listed = {name for r in CATALOGUE for name in r.model}
    for fn in HARD_RULES:
        assert f"{fn.__module__}.{fn.__qualname__}" in listed, fn
    for name in listed:
        fn = resolve(name)
        if "." not in fn.__qualname__ and fn.__module__ != "scheduler.rules.travel":  # the rule functions
            assert "enforce" in inspect.signature(fn).parameters, name


def test_docs_model_md_shows_the_catalogue_table():
    text = (repo_root() / "docs" / "model.md").read_text(encoding="utf-8")
    assert markdown_table() in text
