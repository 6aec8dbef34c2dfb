"""Writing the calendars of a schedule into a folder: one .ics per workplace, trainer and room."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from scheduler.io.ics.calendars import build_calendar, calendar_bytes

_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")


def _safe_part(ident: str) -> str:
    """A file-name-safe form of an id; ids that had to change get a hash suffix.

    ``W-BRUK`` stays ``W-BRUK``; ``W-VÅRD`` becomes ``W-VARD-<8 hex>`` and
    ``a/b`` ``a_b-<8 hex>``, so distinct ids never map to the same name.
    """
    if _SAFE.fullmatch(ident) and not ident.endswith("."):
        return ident
    ascii_text = unicodedata.normalize("NFKD", ident).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_text).strip("._-")[:60] or "id"
    digest = hashlib.sha1(ident.encode("utf-8")).hexdigest()[:8]
    return f"{cleaned}-{digest}"


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_ics_dir(
    scenario: dict,
    schedule: dict,
    out_dir: str | os.PathLike[str],
    *,
    sequences: dict[str, int] | None = None,
    cancelled: list[dict] | None = None,
    generated_at: datetime | None = None,
) -> list[Path]:
    """Write ``workplace-<id>.ics``, ``trainer-<id>.ics`` and ``room-<id>.ics``.

    One file for *every* workplace, trainer and room of the scenario (in
    scenario order), also when it has no session: a subscription URL must
    keep working, and an empty calendar makes subscribers drop events that a
    re-plan removed, where a missing file would leave them stale. Ids that are
    not file-name safe are transliterated and get a hash suffix. Files are
    replaced atomically; other files in ``out_dir`` are left alone. Returns
    the paths written.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    plan: list[tuple[str, str]] = []
    for kind, key in (("workplace", "workplaces"), ("trainer", "trainers"), ("room", "rooms")):
        ids = _unique(str(x["id"]) for x in scenario.get(key) or [])
        plan += [(kind, i) for i in ids]
    names: dict[str, tuple[str, str]] = {}
    for kind, ident in plan:
        fname = f"{kind}-{_safe_part(ident)}.ics"
        other = names.get(fname.casefold())
        if other is not None:
            raise ValueError(f"{kind} {ident!r} and {other[0]} {other[1]!r} map to the same file {fname}")
        names[fname.casefold()] = (kind, ident)
    written = []
    for kind, ident in plan:
        cal = build_calendar(
            scenario,
            schedule,
            kind=kind,
            entity_id=ident,
            sequences=sequences,
            cancelled=cancelled,
            generated_at=generated_at,
        )
        path = out / f"{kind}-{_safe_part(ident)}.ics"
        _atomic_write(path, calendar_bytes(cal))
        written.append(path)
    return written


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))
