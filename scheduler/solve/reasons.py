"""Why a session could not be placed, in a coordinator's words: in English (the schedule's
`reason`) and in Swedish (`reason_sv`, what the planning board shows first)."""

from __future__ import annotations

from collections import Counter
from datetime import time, timedelta

from scheduler.domain import Period
from scheduler.prepare.problem import Placement, PlanningProblem
from scheduler.search.construct import Bookings, _ordered_candidates, what_blocks

LANGUAGES = ("en", "sv")

# Why a start time is not allowed at all (the options' rejection counts), after "{n} of them ...".
_REJECTION_TEXT = {
    "en": {
        "plan_window": "lie outside the action plans' window {window}",
        "on_shift_not_allowed": "overlap participants' shifts, and plan {plans} does not allow training on shift",
        "off_shift_not_allowed": "do not lie inside all participants' own shifts, and plan {plans} does not allow "
                                 "training off shift",
        "staffing": "would take more of a team's members than its staffing slack allows ({teams})",
        "team_blocked": "fall in a blocked period of a team of the cohort ({blocked}), when it releases nobody",
        "daily_rest": "would break the participants' daily rest of {rest} hours next to their shifts",
        "trainer_unavailable": "have no trainer qualified for {qualification} available ({trainers})",
        "room_unavailable": "have every fitting room booked",
        "no_interpreter": "have no interpreter for {languages} available",
    },
    "sv": {
        "plan_window": "ligger utanför handlingsplanernas period {window}",
        "on_shift_not_allowed": "överlappar deltagarnas arbetspass, och plan {plans} tillåter inte utbildning "
                                "på arbetstid",
        "off_shift_not_allowed": "ligger inte helt inom alla deltagares egna arbetspass, och plan {plans} tillåter "
                                 "inte utbildning utanför arbetstid",
        "staffing": "skulle ta fler av ett arbetslags medarbetare än dess bemanningsmarginal tillåter ({teams})",
        "team_blocked": "infaller under en spärrad period för ett av gruppens arbetslag ({blocked}), då laget inte "
                        "kan avvara någon",
        "daily_rest": "skulle bryta deltagarnas dygnsvila på {rest} timmar intill deras arbetspass",
        "trainer_unavailable": "saknar tillgänglig utbildare behörig för {qualification} ({trainers})",
        "room_unavailable": "har alla passande lokaler bokade",
        "no_interpreter": "saknar tillgänglig tolk för {languages}",
    },
}

_TEXT = {
    "en": {
        "what": "{module} ({module_id}) session {index} of {of} for cohort {cohort} ({size} participants from "
                "{workplaces})",
        "more": "{items} and {n} more",
        "waits": "{what} waits for {module} session {index}, which could not be placed.",
        "no_qualified_trainer": "{what}: no trainer holds the qualification {qualification}.",
        "room_at": " at {sites}",
        "room_features": " with {features}",
        "no_room": "{what}: no room{where} has {size} seats{features}.",
        "no_language": "{what}: a participant needs language {language}, but none of the trainers qualified for "
                       "{qualification} ({trainers}) speaks it and no interpreter does.",
        "team_slack": "{team} slack {slack}, {n} in cohort",
        "team_blocked": "team {team} {period}",
        "no_start": "{what} has no possible start time: of the {total} allowed start times, {parts}.",
        "not_fitted": "{what} could not be fitted at any of its {n} possible start times in {window}: {parts}.",
        "window": "{start} to {end}",
        "team_of": "{team} of {workplace}",
        "order": "{n} do not follow {module} session {index} as the module order and gaps require",
        "order_first": "{n} break the module order",
        "participants": "at {n} participants have other sessions or would lose their daily rest",
        "staffing": "at {n} other sessions already use the staffing slack of {teams}",
        "room": "at {n} every fitting room is booked",
        "trainer": "at {n} every qualified trainer ({trainers}) is teaching, travelling or at a daily or weekly "
                   "limit",
        "interpreter": "at {n} no interpreter for {languages} is free",
        "fits": "at {n} it would fit, but then the track's later sessions could not follow in time",
    },
    "sv": {
        "what": "{module} ({module_id}) pass {index} av {of} för gruppen {cohort} ({size} deltagare från "
                "{workplaces})",
        "more": "{items} och {n} till",
        "waits": "{what} väntar på {module} pass {index}, som inte kunde planeras.",
        "no_qualified_trainer": "{what}: ingen utbildare har behörigheten {qualification}.",
        "room_at": " vid {sites}",
        "room_features": " med {features}",
        "no_room": "{what}: ingen lokal{where} har {size} platser{features}.",
        "no_language": "{what}: en deltagare behöver språket {language}, men ingen av utbildarna behöriga för "
                       "{qualification} ({trainers}) talar det, och ingen tolk gör det heller.",
        "team_slack": "{team} marginal {slack}, {n} i gruppen",
        "team_blocked": "arbetslag {team} {period}",
        "no_start": "{what} har ingen möjlig starttid: av de {total} tillåtna starttiderna {parts}.",
        "not_fitted": "{what} fick inte plats vid någon av sina {n} möjliga starttider {window}: {parts}.",
        "window": "{start}–{end}",
        "team_of": "{team} på {workplace}",
        "order": "{n} följer inte {module} pass {index} så som modulordningen och intervallen kräver",
        "order_first": "{n} bryter modulordningen",
        "participants": "vid {n} har deltagare andra pass eller skulle förlora sin dygnsvila",
        "staffing": "vid {n} använder andra pass redan bemanningsmarginalen hos {teams}",
        "room": "vid {n} är alla passande lokaler bokade",
        "trainer": "vid {n} undervisar, reser eller har nått sin dags- eller veckogräns varje behörig utbildare "
                   "({trainers})",
        "interpreter": "vid {n} är ingen tolk för {languages} ledig",
        "fits": "vid {n} skulle passet få plats, men då hinner inte spårets senare pass följa",
    },
}


def period_text(p: Period) -> str:
    """A period in words: whole days as "2027-03-22..2027-03-26" (the end day inclusive),
    otherwise "2027-03-22 08:00..2027-03-22 12:00"."""
    if p.start.time() == time() and p.end.time() == time():
        last = p.end.date() - timedelta(days=1)
        return f"{p.start.date()}" if last == p.start.date() else f"{p.start.date()}..{last}"
    return f"{p.start:%Y-%m-%d %H:%M}..{p.end:%Y-%m-%d %H:%M}"


def _names(items, lang: str = "en") -> str:
    items = list(items)
    if len(items) <= 4:
        return ", ".join(items)
    return _TEXT[lang]["more"].format(items=", ".join(items[:4]), n=len(items) - 4)


def unscheduled_reasons(problem: PlanningProblem, i: int, placed: dict,
                        book: Bookings | None = None) -> dict[str, str]:
    """Why session i is not in the schedule `placed`, per language ("en", "sv"): the same
    finding in each (`book`: the schedule's bookings, when the caller has them)."""
    sc = problem.scenario
    s = problem.sessions[i]
    o = problem.options[i]
    cohort = s.cohort
    module = sc.modules[s.module_id]

    def each(key: str, **fill) -> dict[str, str]:
        return {lang: _TEXT[lang][key].format(**{k: v[lang] if isinstance(v, dict) else v for k, v in fill.items()})
                for lang in LANGUAGES}

    what = each("what", module=module.name, module_id=module.id, index=s.index, of=s.of, cohort=cohort.id,
                size=cohort.size,
                workplaces={lang: _names((sc.workplaces[w].name for w in cohort.workplaces), lang)
                            for lang in LANGUAGES})
    earlier = [j for j in problem.by_cohort[cohort.id] if j < i and j not in placed]
    if earlier:
        e = problem.sessions[earlier[0]]
        return each("waits", what=what, module=e.module_id, index=e.index)
    if o.rejected.get("no_qualified_trainer"):
        return each("no_qualified_trainer", what=what, qualification=module.qualification)
    if o.rejected.get("no_room"):
        sites = [sc.sites[sc.workplaces[w].site].name if sc.workplaces[w].site in sc.sites else sc.workplaces[w].site
                 for w in cohort.workplaces]
        where = each("room_at", sites={lang: _names(sites, lang) for lang in LANGUAGES}) \
            if module.location == "workplace" else {lang: "" for lang in LANGUAGES}
        features = each("room_features", features=", ".join(sorted(module.room_features))) \
            if module.room_features else {lang: "" for lang in LANGUAGES}
        return each("no_room", what=what, where=where, size=cohort.size, features=features)
    qualified = [t.name for t in sc.trainers.values() if module.qualification in t.qualifications]
    trainers = {lang: _names(qualified, lang) for lang in LANGUAGES}
    for key in o.rejected:
        if key.startswith("no_language_support:"):
            return each("no_language", what=what, language=key.split(":", 1)[1],
                        qualification=module.qualification, trainers=trainers)
    window = _window(problem, cohort)
    fill = {lang: {
        "window": window[lang],
        "plans": _names(sorted(cohort.plans), lang),
        "teams": _names(sorted(_TEXT[lang]["team_slack"].format(team=t[1], slack=sc.teams[t].staffing_slack, n=n)
                               for t, n in cohort.team_counts if n > sc.teams[t].staffing_slack), lang),
        "blocked": _names((_TEXT[lang]["team_blocked"].format(team=t[1], period=period_text(p))
                           + (f" ({p.reason})" if p.reason else "")
                           for t, _ in cohort.team_counts for p in sc.teams[t].blocked), lang),
        "rest": f"{sc.calendar.daily_rest_hours:g}".replace(".", "," if lang == "sv" else "."),
        "qualification": module.qualification,
        "trainers": trainers[lang],
        "languages": ", ".join(sorted(cohort.languages)),
    } for lang in LANGUAGES}
    if not o.candidates:
        parts = {lang: "; ".join(f"{n} {_REJECTION_TEXT[lang][k].format(**fill[lang])}"
                                 for k, n in o.rejected.most_common() if k in _REJECTION_TEXT[lang])
                 for lang in LANGUAGES}
        return each("no_start", what=what, total=len(problem.timeline.slots), parts=parts)
    if book is None:
        book = booked(problem, placed)
    blocked = _blocked_starts(problem, book, i, placed, fill)
    return each("not_fitted", what=what, n=len(o.candidates), window=window,
                parts={lang: "; ".join(blocked[lang]) for lang in LANGUAGES})


def booked(problem: PlanningProblem, placed: dict[int, Placement]) -> Bookings:
    """The bookings of a schedule: what every unscheduled session's starts are checked against."""
    book = Bookings(problem)
    for pl in placed.values():
        book.book(pl)
    return book


def _blocked_starts(problem: PlanningProblem, book: Bookings, i: int, placed: dict[int, Placement],
                    fill: dict[str, dict]) -> dict[str, list[str]]:
    """What keeps the session from each of its possible starts in the schedule as it is, most
    frequent first, per language: the track's order and gaps after its previous session, the
    participants' other sessions and rest, a team's staffing, rooms, trainers, interpreters."""
    sc = problem.scenario
    s, o = problem.sessions[i], problem.options[i]
    idxs = problem.by_cohort[s.key.cohort]
    q = idxs.index(i)
    allowed = set(range(len(o.candidates)))
    prev = None
    if q > 0 and idxs[q - 1] in placed:
        j = idxs[q - 1]
        prev = problem.sessions[j]
        after = (j, problem.options[j].candidates[placed[j].candidate])
        allowed = set(_ordered_candidates(problem, i, "earliest", after))
    counts: Counter = Counter()
    teams: Counter = Counter()
    for k in range(len(o.candidates)):
        if k not in allowed:
            counts["order"] += 1
            continue
        why, team = what_blocks(problem, book, i, k)
        counts[why] += 1
        if team is not None:
            teams[team] += 1
    out: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        text = _TEXT[lang]
        busiest = _names((text["team_of"].format(team=t[1], workplace=sc.workplaces[t[0]].name)
                          if t[0] in sc.workplaces else str(t[1]) for t, _ in teams.most_common()), lang)
        lines = []
        for why, n in counts.most_common():
            if why == "order":
                lines.append(text["order"].format(n=n, module=prev.module_id, index=prev.index) if prev is not None
                             else text["order_first"].format(n=n))
            else:
                lines.append(text[why].format(n=n, teams=busiest, **{k: v for k, v in fill[lang].items()
                                                                     if k != "teams"}))
        out[lang] = lines
    return out


def _window(problem: PlanningProblem, cohort) -> dict[str, str]:
    sc = problem.scenario
    plans = [sc.action_plans[p] for p in cohort.plans]
    start, end = max(p.earliest for p in plans), min(p.deadline for p in plans)
    return {lang: _TEXT[lang]["window"].format(start=start, end=end) for lang in LANGUAGES}
