"""What a problem in a document is, and the pieces that build its sentence.

* :class:`FieldError` -- one problem: a JSON path and a plain sentence;
  :class:`ScenarioInvalid` -- the exception carrying every error (and the warnings) at once.
* :class:`Sentence` -- a validator message that names its owner ("of team vard-dag") once
  ``scheduler.format.sentences`` knows where in the document it was found.
* :class:`UnknownField` -- marshmallow's "unknown field" message, carrying the object's
  known field names so that a misspelling (an error) can be told from a field modulplan
  does not use (a warning); :func:`likely_meant` is the "did you mean" guess.
* :class:`ErrorTree` -- collects the cross-record checks' messages into marshmallow's nested
  error dict, so that they are rendered like every other error.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError


@dataclass(frozen=True)
class FieldError:
    """One problem in a document: where (a JSON path) and what (a plain sentence)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ScenarioInvalid(Exception):
    """A scenario or schedule document is not valid; ``errors`` lists every problem.

    ``warnings`` lists what was found besides (fields that would only have been ignored), so
    that a caller can show both at once.
    """

    def __init__(self, errors: Iterable[FieldError], warnings: Iterable[FieldError] = (), *,
                 beyond_limits: bool = False):
        self.errors: list[FieldError] = list(errors)
        self.warnings: list[FieldError] = list(warnings)
        # The document exceeds `scheduler.format.limits` (checked before anything else; the API says 413).
        self.beyond_limits = beyond_limits
        super().__init__(self.errors)

    def __str__(self) -> str:
        n = len(self.errors)
        head = f"{n} problem{'s' if n != 1 else ''} found"
        return head + "".join(f"\n  {e}" for e in self.errors)

    def as_dicts(self) -> list[dict[str, str]]:
        """The errors as ``[{"path": ..., "message": ...}]`` (for JSON responses)."""
        return problem_dicts(self.errors)

    def warning_dicts(self) -> list[dict[str, str]]:
        """The warnings as ``[{"path": ..., "message": ...}]``."""
        return problem_dicts(self.warnings)


def problem_dicts(problems: Iterable[FieldError]) -> list[dict[str, str]]:
    """FieldErrors (errors or warnings) as ``[{"path": ..., "message": ...}]`` for JSON."""
    return [{"path": e.path, "message": e.message} for e in problems]



UNKNOWN_FIELD = 'is not a known field (extension fields must start with "x-" or "x_")'

#: How similar (difflib ratio, 0..1) an unknown field name must be to a known field of the
#: same object to count as a misspelling of it (an error) rather than a field of someone
#: else's (a warning).  0.85 takes ``min_stafing``, ``headcont``, ``languge``, ``modules``
#: for ``module``; it leaves ``name`` on a team, ``state`` next to ``start`` or a track's
#: ``workplaces`` next to ``mix_workplaces`` alone.
MISSPELLING_CUTOFF = 0.85


def _normal_key(key: Any) -> str:
    return re.sub(r"[\s\-]+", "_", str(key).strip().lower())


def likely_meant(key: Any, known: Iterable[str], *, cutoff: float = MISSPELLING_CUTOFF) -> str | None:
    """The field of ``known`` that ``key`` is probably a misspelling of, or None.

    Compared up to case, spaces and hyphens (``Headcount``, ``min-staffing`` are misspellings
    too) and two neighbouring letters swapped (``cuont``), then by
    :func:`difflib.get_close_matches` with ``cutoff``.
    """
    by_norm: dict[str, str] = {}
    for name in known:
        by_norm.setdefault(_normal_key(name), name)
    norm = _normal_key(key)
    if norm in by_norm:
        return by_norm[norm]
    for i in range(len(norm) - 1):
        swapped = norm[:i] + norm[i + 1] + norm[i] + norm[i + 2:]
        if swapped != norm and swapped in by_norm:
            return by_norm[swapped]
    close = difflib.get_close_matches(norm, list(by_norm), n=1, cutoff=cutoff)
    return by_norm[close[0]] if close else None


class UnknownField(str):
    """marshmallow's "unknown" message of one schema instance.

    As a string it is :data:`UNKNOWN_FIELD`; it also carries the object's known field names
    (and the names that mean something elsewhere, with a hint), so that :func:`field_problems`
    can tell a misspelling (an error) from a field modulplan does not use (a warning).
    """

    known: tuple[str, ...]
    misplaced: dict[str, str]

    def __new__(cls, known: Iterable[str], misplaced: Mapping[str, str]) -> UnknownField:
        obj = super().__new__(cls, UNKNOWN_FIELD)
        obj.known = tuple(known)
        obj.misplaced = dict(misplaced)
        return obj

    def __reduce__(self):  # schemas are deep-copied (apispec, flask-smorest) and may be pickled
        return (UnknownField, (self.known, self.misplaced))

    def __copy__(self) -> UnknownField:
        return self

    def __deepcopy__(self, memo) -> UnknownField:
        return self

    def meant(self, key: Any) -> str | None:
        return likely_meant(key, self.known)

    def is_unused(self, key: Any) -> bool:
        """True when ``key`` is only a field modulplan does not use (a warning, not an error)."""
        return isinstance(key, str) and key not in self.misplaced and self.meant(key) is None



COMMON_MESSAGES = {
    "required": "is required",
    "null": "must not be null",
    "validator_failed": "is not valid",
}


class Sentence(str):
    """A validator message that names its owner when rendered as a :class:`FieldError`.

    As a plain ``str`` (what marshmallow and flask-smorest see) it reads with a neutral
    owner; :func:`field_errors` renders ``template`` with the owner described from the
    document, e.g. ``{of}`` -> `` of team vard-dag``, ``{owner}`` -> ``team vard-dag``.
    """

    template: str | None
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Sentence:
        text = template.format(of="", owner="this entry", **params)
        obj = super().__new__(cls, text)
        obj.template = template
        obj.params = params
        return obj

    @classmethod
    def fixed(cls, text: str) -> Sentence:
        """A complete sentence that already names everything (no placeholders)."""
        obj = super().__new__(cls, text)
        obj.template = None
        obj.params = {}
        return obj

    def render(self, owner: str) -> str:
        if self.template is None:
            return str(self)
        return self.template.format(
            of=f" of {owner}" if owner else "", owner=owner or "this entry", **self.params
        )



class ErrorTree:
    """Collects messages into a marshmallow-style nested error dict, keyed by path."""

    def __init__(self) -> None:
        self.tree: dict = {}

    def __bool__(self) -> bool:
        return bool(self.tree)

    def add(self, path: tuple, message: str) -> None:
        if not isinstance(message, Sentence):
            message = Sentence.fixed(message)
        node = self.tree
        for seg in path[:-1]:
            child = node.get(seg)
            if child is None:
                child = node[seg] = {}
            elif isinstance(child, list):
                child = node[seg] = {"_schema": child}
            node = child
        leaf = node.get(path[-1])
        if leaf is None:
            node[path[-1]] = [message]
        elif isinstance(leaf, dict):
            leaf.setdefault("_schema", []).append(message)
        else:
            leaf.append(message)

    def raise_if_any(self) -> None:
        if self.tree:
            raise ValidationError(self.tree)
