"""Hard rule 10, language: an interpreter for every language the trainer does not speak.
"""

from __future__ import annotations

from collections import defaultdict

from scheduler.validate.overlaps import clashes
from scheduler.validate.parsed import TimedSession
from scheduler.validate.reading import Context
from scheduler.validate.report import Violation, violation
from scheduler.validate.values import id_list


def check_language(ctx: Context) -> list[Violation]:
    """Rule 10. For each language needed by a participant of a session that the
    trainer does not speak, an assigned interpreter speaks it; every assigned
    interpreter exists, is available for the whole session and is never in two
    places at once (same travel rule as trainers)."""
    out: list[Violation] = []
    by_interp: dict[str, list[TimedSession]] = defaultdict(list)
    for s in ctx.sessions:
        tr = ctx.trainers.get(s.trainer) if isinstance(s.trainer, str) else None
        spoken = set(tr.get("languages") or []) if tr else set()
        covered: set = set()
        for i in s.interpreters:
            ip = ctx.interpreters.get(i)
            if ip is None:
                out.append(violation(10, f"Session {s.id} names interpreter {i}, who does not exist.",
                                     sessions=[s.id], interpreter=i))
                continue
            covered.update(ip.get("languages") or [])
            if isinstance(s, TimedSession):
                why = ctx.availability_problem("interpreter", i, ip, s.a, s.b)
                if why:
                    out.append(violation(10, f"{ctx.label('interpreter', i)} {why}, but is assigned to {ctx.sdesc(s)}.",
                                         sessions=[s.id], interpreter=i))
                by_interp[i].append(s)
        needs: dict[str, list[str]] = defaultdict(list)
        for m in s.members:
            p = ctx.persons.get(m)
            if p is None:
                continue
            for lang in p.languages:
                if lang not in spoken:
                    needs[lang].append(m)
        for lang, people in sorted(needs.items()):
            if lang not in covered:
                who = ctx.label("trainer", s.trainer) if tr else "Trainer"
                out.append(violation(10, f"{id_list(people)} need{'s' if len(people) == 1 else ''} {lang} in "
                                         f"{ctx.sdesc(s)}; t{who[1:]} does not speak it and no assigned interpreter "
                                         f"does.",
                                     sessions=[s.id], language=lang, participants=people))
    for i, lst in by_interp.items():
        out += clashes(ctx, 10, "interpreter", i, ctx.interpreters[i], lst)
    return out
