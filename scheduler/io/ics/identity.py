"""The identity of a published event: a session's UID, the same across re-renders and re-plans."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

#: Namespace of the session UIDs. A literal (it is ``uuid5(NAMESPACE_DNS,
#: "ics.modulplan")``) so that no refactoring can ever change published UIDs.
NAMESPACE = uuid.UUID("57386673-7063-57df-9ad9-23f3e774cc84")


def session_key(session: Mapping[str, Any]) -> str:
    """The identity of a session inside one scenario: ``"cohort/module/index"``."""
    return f"{session['cohort']}/{session['module']}/{int(session['index'])}"


def session_uid(scenario_id: str, session: Mapping[str, Any]) -> str:
    """Stable iCalendar UID of a session.

    Derived from (scenario id, cohort id, module id, index) only, so it is the
    same across re-renders and re-plans that move the session or rename its
    ``id``, and different for different sessions.
    """
    name = f"{scenario_id}/{session_key(session)}"
    return f"{uuid.uuid5(NAMESPACE, name)}@modulplan"


