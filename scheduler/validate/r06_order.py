"""Hard rule 6, order: sessions of a module in index order and gaps; modules in track order.
"""

from __future__ import annotations

from collections import defaultdict

from scheduler.validate.parsed import TimedSession
from scheduler.validate.reading import Context
from scheduler.validate.report import Violation, violation
from scheduler.validate.values import fmt_num, integer, number


def check_order(ctx: Context) -> list[Violation]:
    """Rule 6. Within a module, a later index starts no earlier than the
    previous index ends, and adjacent indexes are min_gap_days..max_gap_days
    calendar days apart (local start date to local start date); every session
    of a track's module k ends before the first session of any later module
    starts."""
    out: list[Violation] = []
    for c in ctx.cohorts:
        if c.track is None or ctx.cohort_by_id.get(c.id) is not c:
            continue
        spans = []  # (module id, first start session, last end session) in track order
        for mid in c.track.get("modules") or []:
            m = ctx.modules.get(mid)
            if m is None:
                continue
            by_index: dict[int, list[TimedSession]] = defaultdict(list)
            for i in range(1, (integer(m.get("sessions")) or 0) + 1):
                for s in ctx.scheduled_by_key.get((c.id, mid, i), ()):
                    if isinstance(s, TimedSession):
                        by_index[i].append(s)
            idx = sorted(by_index)
            gmin = number(m.get("min_gap_days"))
            gmin = 1.0 if gmin is None else gmin
            gmax = number(m.get("max_gap_days"))
            for k0, k1 in zip(idx, idx[1:]):
                for s in by_index[k0]:
                    for u in by_index[k1]:
                        ent = dict(sessions=[s.id, u.id], cohort=c.id, module=mid)
                        if u.a < s.b:
                            out.append(violation(6, f"{mid}#{k1} of cohort {c.id} ({u.id}, {ctx.fmt(u.a)}) starts "
                                                    f"before {mid}#{k0} ({s.id}) ends ({ctx.fmt(s.b)}).", **ent))
                        if k1 == k0 + 1:
                            gap = (u.ldate - s.ldate).days
                            if gap < gmin:
                                out.append(violation(6, f"{mid}#{k0} and #{k1} of cohort {c.id} ({s.id} {s.ldate}, "
                                                        f"{u.id} {u.ldate}) are {gap} days apart; at least "
                                                        f"{fmt_num(gmin)}.", **ent))
                            if gmax is not None and gap > gmax:
                                out.append(violation(6, f"{mid}#{k0} and #{k1} of cohort {c.id} ({s.id} {s.ldate}, "
                                                        f"{u.id} {u.ldate}) are {gap} days apart; at most "
                                                        f"{fmt_num(gmax)}.", **ent))
            all_s = [s for ss in by_index.values() for s in ss]
            if all_s:
                first = min(all_s, key=lambda s: s.a)
                last = max(all_s, key=lambda s: s.b)
                spans.append((mid, first, last))
        for i, (m0, _, last0) in enumerate(spans):
            for m1, first1, _ in spans[i + 1:]:
                if first1.a < last0.b:
                    out.append(violation(6, f"Cohort {c.id} starts module {m1} ({first1.id}, {ctx.fmt(first1.a)}) "
                                            f"before module {m0} is finished ({last0.id} ends {ctx.fmt(last0.b)}).",
                                         sessions=[last0.id, first1.id], cohort=c.id, modules=[m0, m1]))
    return out
