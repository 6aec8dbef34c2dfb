"""Room check: a cohort of a module held in a room needs one with every feature and enough
seats (at one of its workplaces' sites for `workplace` modules)."""

from __future__ import annotations

from scheduler.explain.diagnose.context import Ctx, new_room_change
from scheduler.explain.findings import Entities, Finding, Suggestion, set_change


def check_rooms(ctx: Ctx) -> list[Finding]:
    """Rooms by site, features and capacity: a cohort of a module that needs a room must have one
    (at one of its workplaces' sites for `workplace` modules) with every feature and enough seats."""
    sc, t = ctx.sc, ctx.t
    groups: dict[tuple, dict] = {}
    for c in ctx.problem.cohorts:
        if c.id in ctx.explained:
            continue
        for mid in sc.tracks[c.track].modules:
            m = sc.modules[mid]
            if m.location == "remote":
                continue
            sites = sorted({sc.workplaces[w].site for w in c.workplaces}) if m.location == "workplace" else None
            here = [r for r in sc.rooms.values() if sites is None or r.site in sites]
            featured = [r for r in here if m.room_features <= r.features]
            if featured and max(r.capacity for r in featured) >= c.size:
                continue
            kind = "room_capacity" if featured else "room_features"
            g = groups.setdefault((kind, mid, tuple(sites or ())), {"cohorts": [], "rooms": featured, "sessions": 0})
            g["cohorts"].append(c)
            g["sessions"] += ctx.sessions_from(c, mid)
            break  # the first module without a room blocks the rest of the track
    out = []
    for (kind, mid, sites), g in sorted(groups.items()):
        m, cohorts = sc.modules[mid], g["cohorts"]
        size = max(c.size for c in cohorts)
        where = t("room.where", sites=t.names(ctx.site_name(s) for s in sites)) if sites else ""
        feats = t("room.with", features=t.names(sorted(m.room_features))) if m.room_features else ""
        site = sites[0] if sites else (max(g["rooms"], key=lambda r: r.capacity).site if g["rooms"]
                                       else ctx.home_site(cohorts))
        suggestions = [Suggestion(t("s.add_room", size=size, features=feats, site=ctx.site_name(site)),
                                  [new_room_change(ctx, site, size, m.room_features)])]
        entities: Entities = {"modules": [mid], "cohorts": [c.id for c in cohorts], "plans": ctx.plans_of(cohorts),
                    "sites": list(sites), "rooms": [r.id for r in g["rooms"]], "features": sorted(m.room_features)}
        if kind == "room_capacity":
            largest = max(g["rooms"], key=lambda r: r.capacity)
            track = sc.tracks[cohorts[0].track]
            if track.min_group <= largest.capacity < track.max_group:
                suggestions.append(Suggestion(
                    t("s.smaller_groups", track=track.id, size=largest.capacity, old=track.max_group),
                    [set_change(["tracks", {"id": track.id}, "max_group"], largest.capacity)]))
            message = t("room_capacity", where=where, features=feats, size=size,
                        cohort=t.names([c.id for c in cohorts]), module=mid, largest=largest.id,
                        capacity=largest.capacity)
        else:
            message = t("room_features", where=where, features_list=t.names(sorted(m.room_features)), module=mid,
                        cohort=t.names([c.id for c in cohorts]))
        ctx.explained.update(c.id for c in cohorts)
        out.append(Finding(kind, entities, message, suggestions, "error", g["sessions"]))
    return out
