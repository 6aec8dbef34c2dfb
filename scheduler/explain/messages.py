"""Texts of the explanations in Swedish and English, with numbers and dates in the locale.

Swedish: "12 345,5", "12 mars 2027", "v. 12"; English: "12,345.5", "12 March 2027",
"week 12". Every sentence a finding or a suggestion shows is a template here, keyed by
name, so the two languages cannot drift apart in what they say.
"""

from __future__ import annotations

import datetime

LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"

_MONTHS = {
    "sv": ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
           "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}

# Each template is filled with already formatted values (see `Texts`).
TEMPLATES: dict[str, dict[str, str]] = {
    # -- findings ---------------------------------------------------------------------------
    "trainer_qualification": {
        "en": "No trainer holds the qualification {qualification} that module {module} needs, so the {sessions} "
              "sessions of {cohorts} cannot be held (action plans {plans}).",
        "sv": "Ingen utbildare har behörigheten {qualification} som modul {module} kräver, så de {sessions} "
              "passen för {cohorts} kan inte hållas (handlingsplaner {plans}).",
    },
    "trainer_capacity": {
        "en": "Trainers qualified for {qualification} ({trainers}) can teach at most {available} h between "
              "{first} and {last} ({weeks}), but the action plans {plans} need {needed} h of {modules} then: "
              "{short} h short.",
        "sv": "Utbildarna med behörigheten {qualification} ({trainers}) kan undervisa högst {available} h mellan "
              "{first} och {last} ({weeks}), men handlingsplanerna {plans} behöver {needed} h av {modules} då: "
              "{short} h saknas.",
    },
    "staffing": {
        "en": "Team {team} at {workplace} has headcount {headcount} and minimum staffing {min_staffing}, so at most "
              "{slack} of its members may leave a shift for training; cohorts {cohorts} have up to {members} "
              "of them each, and plan {plans} allows training only during their shifts{no_off}.",
        "sv": "Arbetslaget {team} på {workplace} har {headcount} i bemanning och minimibemanning {min_staffing}, "
              "så högst {slack} av dem får lämna ett pass för utbildning; grupperna {cohorts} har upp till "
              "{members} av dem var, och handlingsplan {plans} tillåter utbildning bara under deras "
              "arbetspass{no_off}.",
    },
    "staffing.no_off": {
        "en": " (and no start time lies outside their shifts)",
        "sv": " (och ingen starttid ligger utanför deras pass)",
    },
    "interpreter_capacity": {
        "en": "Interpreters for {language} ({interpreters}) can attend at most {available} h between {first} and "
              "{last}, but sessions of plans {plans} need {needed} h of interpretation then: {short} h short.",
        "sv": "Tolkarna för {language} ({interpreters}) kan delta högst {available} h mellan {first} och {last}, "
              "men passen i handlingsplanerna {plans} behöver {needed} h tolkning då: {short} h saknas.",
    },
    "staffing_capacity": {
        "en": "Team {team} at {workplace} must spend {needed} participant-hours in training during its shifts "
              "between {first} and {last} (plans {plans}), but with at most {slack} away at a time only {available} h "
              "fit.",
        "sv": "Arbetslaget {team} på {workplace} behöver {needed} deltagartimmar utbildning under sina arbetspass "
              "mellan {first} och {last} (handlingsplaner {plans}), men med högst {slack} borta åt gången ryms bara "
              "{available} h.",
    },
    "room_capacity": {
        "en": "No room{where}{features} has {size} seats for cohort {cohort} of module {module}: the largest is "
              "{largest} with {capacity} seats.",
        "sv": "Ingen lokal{where}{features} har {size} platser för gruppen {cohort} i modul {module}: den största "
              "är {largest} med {capacity} platser.",
    },
    "room_features": {
        "en": "No room{where} has {features_list} that module {module} needs (cohort {cohort}).",
        "sv": "Ingen lokal{where} har {features_list} som modul {module} kräver (gruppen {cohort}).",
    },
    "room.where": {"en": " at {sites}", "sv": " på {sites}"},
    "room.with": {"en": " with {features}", "sv": " med {features}"},
    "language_support": {
        "en": "{participants} participant(s) of plan {plans} need language {language}, but neither a trainer "
              "qualified for {modules} nor any interpreter speaks it.",
        "sv": "{participants} deltagare i handlingsplan {plans} behöver språket {language}, men varken en utbildare "
              "behörig för {modules} eller någon tolk talar det.",
    },
    "plan_window": {
        "en": "Plan {plans} allows {first} to {deadline}, but its track {track} ({sessions} sessions, gaps of at least "
              "{gaps} days) can end {earliest_end} at the earliest.",
        "sv": "Handlingsplan {plans} tillåter {first} till {deadline}, men dess spår {track} ({sessions} pass, minst "
              "{gaps} dagars mellanrum) kan bli klart tidigast {earliest_end}.",
    },
    "plan_window.never": {
        "en": "Plan {plans} allows {first} to {deadline}, but its track {track} ({sessions} sessions, gaps of at least "
              "{gaps} days) cannot be completed within the planning horizon (ending {horizon_end}).",
        "sv": "Handlingsplan {plans} tillåter {first} till {deadline}, men dess spår {track} ({sessions} pass, minst "
              "{gaps} dagars mellanrum) kan inte bli klart inom planeringsperioden (som slutar {horizon_end}).",
    },
    "no_admissible_start": {
        "en": "{participants} participant(s) of team {team} in plan {plans} have no admissible start time at all "
              "between {first} and {deadline}: {why}.",
        "sv": "{participants} deltagare i arbetslaget {team} i handlingsplan {plans} har ingen tillåten starttid "
              "alls mellan {first} och {deadline}: {why}.",
    },
    "why.off_shift_not_allowed": {
        "en": "no start time lies inside their shifts, and the plan does not allow training off shift",
        "sv": "ingen starttid ligger inom deras arbetspass, och planen tillåter inte utbildning utanför passen",
    },
    "why.on_shift_not_allowed": {
        "en": "every start time overlaps their shifts, and the plan does not allow training on shift",
        "sv": "varje starttid överlappar deras arbetspass, och planen tillåter inte utbildning under passen",
    },
    "why.daily_rest": {
        "en": "every start time would break their daily rest of {rest} h next to their shifts",
        "sv": "varje starttid skulle bryta deras dygnsvila på {rest} h intill deras arbetspass",
    },
    "why.team_blocked": {
        "en": "team {team} releases nobody for training then (blocked: {periods})",
        "sv": "arbetslaget {team} släpper inte iväg någon på utbildning då (spärrad period: {periods})",
    },
    "why.plan_window": {
        "en": "the calendar has no allowed start time in the plan's window",
        "sv": "kalendern har ingen tillåten starttid inom planens tidsfönster",
    },
    "no_start_time": {
        "en": "{sessions} session(s) of cohort {cohort} ({modules}) have no possible start time: {why}.",
        "sv": "{sessions} pass för gruppen {cohort} ({modules}) har ingen möjlig starttid: {why}.",
    },
    "reject.plan_window": {"en": "{n} lie outside the plans' window", "sv": "{n} ligger utanför planernas tidsfönster"},
    "reject.on_shift_not_allowed": {"en": "{n} overlap shifts where the plan forbids it",
                                    "sv": "{n} överlappar arbetspass fast planen förbjuder det"},
    "reject.off_shift_not_allowed": {"en": "{n} lie outside shifts where the plan forbids it",
                                     "sv": "{n} ligger utanför arbetspass fast planen förbjuder det"},
    "reject.staffing": {"en": "{n} would take more team members than the staffing slack",
                        "sv": "{n} skulle ta fler ur arbetslaget än minimibemanningen tillåter"},
    "reject.team_blocked": {
        "en": "{n} fall in a period when a team of the cohort releases nobody (blocked: {periods})",
        "sv": "{n} infaller när ett arbetslag i gruppen inte kan släppa iväg någon (spärrad period: {periods})",
    },
    "reject.daily_rest": {"en": "{n} would break the daily rest", "sv": "{n} skulle bryta dygnsvilan"},
    "reject.trainer_unavailable": {"en": "{n} have no qualified trainer available ({trainers})",
                                   "sv": "{n} har ingen behörig utbildare tillgänglig ({trainers})"},
    "reject.room_unavailable": {"en": "{n} have every fitting room booked",
                                "sv": "{n} har alla passande lokaler bokade"},
    "reject.no_interpreter": {"en": "{n} have no interpreter for {languages} available",
                              "sv": "{n} saknar tillgänglig tolk för {languages}"},
    "reject.of": {"en": "of {total} start times ", "sv": "av {total} starttider "},
    "cohort_size": {
        "en": "{participants} participant(s) of plan {plans} cannot be placed in a cohort: track {track} needs groups "
              "of {min_group} to {max_group}.",
        "sv": "{participants} deltagare i handlingsplan {plans} får inte plats i någon grupp: spåret {track} kräver "
              "grupper om {min_group} till {max_group}.",
    },
    "conflict": {
        "en": "{sessions} session(s) ({cohorts}) cannot all be placed, because these requirements conflict: {parts}.",
        "sv": "{sessions} pass ({cohorts}) kan inte alla placeras, eftersom dessa krav står i konflikt: {parts}.",
    },
    "group.trainer": {"en": "the time of trainer {trainer} ({modules})",
                      "sv": "utbildaren {trainer}s tid ({modules})"},
    "group.trainer_limits": {"en": "trainer {trainer}'s limits ({limits})",
                             "sv": "utbildaren {trainer}s gränser ({limits})"},
    "group.room": {"en": "room {room}", "sv": "lokalen {room}"},
    "group.interpreter": {"en": "interpreter {interpreter} ({languages})", "sv": "tolken {interpreter} ({languages})"},
    "group.staffing": {"en": "the minimum staffing of team {team} (at most {slack} away during a shift)",
                       "sv": "minimibemanningen i arbetslaget {team} (högst {slack} borta under ett pass)"},
    "group.window": {"en": "plan {plan}'s window {first} to {deadline}",
                     "sv": "handlingsplan {plan}s tidsfönster {first} till {deadline}"},
    "group.off_shift": {"en": "plan {plan} allowing training only during shifts",
                        "sv": "att handlingsplan {plan} bara tillåter utbildning under arbetspassen"},
    "group.gaps": {"en": "the gaps of module {module} ({gaps})", "sv": "mellanrummen i modul {module} ({gaps})"},
    "conflict.hard": {
        "en": "{sessions} session(s) ({cohorts}) cannot all be placed even with every trainer, room, interpreter, "
              "staffing and window requirement relaxed: the participants' own overlaps and the module order conflict.",
        "sv": "{sessions} pass ({cohorts}) kan inte alla placeras ens om alla krav på utbildare, lokaler, tolkar, "
              "bemanning och tidsfönster släpps: deltagarnas egna krockar och modulordningen står i konflikt.",
    },
    "solver_time": {
        "en": "All {sessions} session(s) can be placed together (a schedule without any unscheduled session exists); "
              "the schedule left {unscheduled} unscheduled because the optimizer ran out of time.",
        "sv": "Alla {sessions} pass kan placeras tillsammans (ett schema utan oplacerade pass finns); schemat "
              "lämnade {unscheduled} oplacerade eftersom optimeraren fick slut på tid.",
    },
    "conflict.unknown": {
        "en": "Within {seconds} s no conflict among the requirements was proven or ruled out for the {sessions} "
              "session(s) of {cohorts}.",
        "sv": "Inom {seconds} s kunde ingen konflikt mellan kraven bevisas eller uteslutas för de {sessions} "
              "passen för {cohorts}.",
    },
    # -- suggestions ------------------------------------------------------------------------
    "s.add_qualification": {"en": "Give trainer {trainer} the qualification {qualification}.",
                            "sv": "Ge utbildaren {trainer} behörigheten {qualification}."},
    "s.new_trainer": {
        "en": "Add {hours} h/week of a trainer qualified for {qualification} in {weeks}.",
        "sv": "Lägg till {hours} h/vecka av en utbildare behörig för {qualification} under {weeks}.",
    },
    "s.new_trainer_like": {
        "en": "Add a trainer qualified for {qualification} available like {trainer} (about {hours} h/week more in "
              "{weeks}).",
        "sv": "Lägg till en utbildare behörig för {qualification} med samma tillgänglighet som {trainer} (ungefär "
              "{hours} h/vecka till under {weeks}).",
    },
    "s.raise_weekly": {"en": "Raise trainer {trainer}'s weekly limit from {old} h to {new} h.",
                       "sv": "Höj utbildaren {trainer}s veckogräns från {old} h till {new} h."},
    "s.raise_daily": {"en": "Let trainer {trainer} hold {new} sessions a day instead of {old}.",
                      "sv": "Låt utbildaren {trainer} hålla {new} pass per dag i stället för {old}."},
    "s.allow_off_shift": {"en": "Allow off-shift training for plan {plan} (paid as overtime).",
                          "sv": "Tillåt utbildning utanför arbetspassen för handlingsplan {plan} "
                                "(betalas som övertid)."},
    "s.allow_on_shift": {"en": "Allow training during shifts for plan {plan} (with backfill).",
                         "sv": "Tillåt utbildning under arbetspassen för handlingsplan {plan} (med vikarie)."},
    "s.release_staff": {
        "en": "Ask {workplace} to release {n} more of team {team} during training (minimum staffing {old} → {new}, "
              "covered by backfill).",
        "sv": "Be {workplace} frigöra {n} till ur arbetslaget {team} under utbildningen (minimibemanning {old} → "
              "{new}, med vikarier).",
    },
    "s.unblock_team": {
        "en": "Lift team {team}'s blocked period(s) {periods} at {workplace} (or shorten them so that plan {plans} "
              "has time for training between {first} and {deadline}).",
        "sv": "Häv arbetslaget {team}s spärrade period(er) {periods} på {workplace} (eller korta dem så att "
              "handlingsplan {plans} får tid för utbildning mellan {first} och {deadline}).",
    },
    "s.add_room": {"en": "Book a room with at least {size} seats{features} at {site}.",
                   "sv": "Boka en lokal med minst {size} platser{features} på {site}."},
    "s.room_like": {"en": "Book one more room like {room} ({capacity} seats at {site}).",
                    "sv": "Boka ytterligare en lokal som {room} ({capacity} platser på {site})."},
    "s.smaller_groups": {"en": "Make the groups of track {track} at most {size} (max_group {old} → {size}).",
                         "sv": "Gör grupperna i spåret {track} högst {size} (max_group {old} → {size})."},
    "s.add_interpreter": {"en": "Engage an interpreter for {language} near {site}.",
                          "sv": "Anlita en tolk för {language} nära {site}."},
    "s.interpreter_like": {"en": "Engage one more interpreter for {languages}, available like {interpreter}.",
                           "sv": "Anlita ytterligare en tolk för {languages}, tillgänglig som {interpreter}."},
    "s.move_deadline": {"en": "Move plan {plan}'s deadline from {old} to {new}.",
                        "sv": "Flytta handlingsplan {plan}s slutdatum från {old} till {new}."},
    "s.move_deadline_horizon": {
        "en": "Move plan {plan}'s deadline from {old} to {new} and extend the planning horizon to {new}.",
        "sv": "Flytta handlingsplan {plan}s slutdatum från {old} till {new} och förläng planeringsperioden till {new}.",
    },
    "s.move_earliest": {"en": "Let plan {plan} start on {new} instead of {old}.",
                        "sv": "Låt handlingsplan {plan} börja {new} i stället för {old}."},
    "s.add_start_time": {"en": "Add the start time {time} to the calendar (inside the shifts of team {team}).",
                         "sv": "Lägg till starttiden {time} i kalendern (inom arbetslaget {team}s pass)."},
    "s.lower_min_gap": {"en": "Allow module {module}'s sessions {new} days apart instead of at least {old}.",
                        "sv": "Tillåt modul {module}s pass {new} dagar isär i stället för minst {old}."},
    "s.raise_max_gap": {"en": "Allow module {module}'s sessions up to {new} days apart instead of {old}.",
                        "sv": "Tillåt modul {module}s pass upp till {new} dagar isär i stället för {old}."},
    "s.min_group": {"en": "Allow smaller groups in track {track} (min_group {old} → {new}).",
                    "sv": "Tillåt mindre grupper i spåret {track} (min_group {old} → {new})."},
    "s.more_time": {"en": "Solve again with a longer time limit (for example {seconds} s).",
                    "sv": "Lös igen med längre tidsgräns (till exempel {seconds} s)."},
    # -- cost explanation -------------------------------------------------------------------
    "costs.title": {"en": "Objective {total}: the largest contributors", "sv": "Målvärde {total}: största posterna"},
    "costs.term": {"en": "{term}: {amount} ({share} %)", "sv": "{term}: {amount} ({share} %)"},
    "term.unscheduled_session": {"en": "unscheduled sessions", "sv": "oplacerade pass"},
    "term.unassigned_participant": {"en": "unassigned participants", "sv": "deltagare utan grupp"},
    "term.backfill_per_hour": {"en": "backfill", "sv": "vikarier (på arbetstid)"},
    "term.overtime_per_hour": {"en": "overtime", "sv": "övertid"},
    "term.trainer_cost": {"en": "trainer hours", "sv": "utbildartimmar"},
    "term.travel_per_minute": {"en": "travel", "sv": "resor"},
    "term.late_per_day": {"en": "lateness", "sv": "försening"},
    "term.trainer_change": {"en": "trainer changes", "sv": "byten av utbildare"},
    "term.move_session": {"en": "moved sessions (re-planning)", "sv": "flyttade pass (omplanering)"},
    "dim.action_plan": {"en": "action plan", "sv": "handlingsplan"},
    "dim.workplace": {"en": "workplace", "sv": "arbetsplats"},
    "dim.team": {"en": "team", "sv": "arbetslag"},
    "dim.trainer": {"en": "trainer", "sv": "utbildare"},
    "dim.week": {"en": "week", "sv": "vecka"},
    "none": {"en": "none", "sv": "inga"},
    "no_findings": {"en": "No problems found: every session has possible start times and the capacities suffice.",
                    "sv": "Inga problem hittades: varje pass har möjliga starttider och kapaciteten räcker."},
    "heading.findings": {"en": "Findings", "sv": "Iakttagelser"},
    "heading.suggestions": {"en": "What would resolve it", "sv": "Det här skulle lösa det"},
}


def choose_language(explicit: str | None = None, accept_language: str | None = None) -> str:
    """The language of the texts: an explicit choice (`--lang`, `?lang=`) if it is one we have,
    else the best of an Accept-Language header (q-values honoured), else Swedish."""
    if explicit:
        code = explicit.strip().lower()[:2]
        if code in LANGUAGES:
            return code
    if accept_language:
        ranked = []
        for n, part in enumerate(accept_language.split(",")):
            bits = part.strip().split(";")
            code = bits[0].strip().lower()[:2]
            q = 1.0
            for b in bits[1:]:
                if b.strip().startswith("q="):
                    try:
                        q = float(b.strip()[2:])
                    except ValueError:
                        q = 0.0
            if code in LANGUAGES and q > 0:
                ranked.append((-q, n, code))
        if ranked:
            return min(ranked)[2]
    return DEFAULT_LANGUAGE


class Texts:
    """Sentences, numbers and dates in one language."""

    def __init__(self, lang: str = DEFAULT_LANGUAGE):
        self.lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE

    def __call__(self, key: str, **values) -> str:
        return TEMPLATES[key][self.lang].format(**values)

    def label(self, key: str, fallback: str) -> str:
        """A fixed text by key, or `fallback` when there is none (e.g. a term added later)."""
        return TEMPLATES[key][self.lang] if key in TEMPLATES else fallback

    def num(self, x: float, decimals: int = 1) -> str:
        """A number in the locale: Swedish 12 345,5 (space groups, decimal comma), English 12,345.5.
        Trailing zero decimals are dropped."""
        value = round(float(x), decimals)
        text = f"{value:,.{decimals}f}" if decimals else f"{value:,.0f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        if text in ("-0", "-0.0"):
            text = "0"
        if self.lang == "sv":
            text = text.replace(",", " ").replace(".", ",").replace("-", "−")
        return text

    def date(self, d: datetime.date) -> str:
        """12 mars 2027 / 12 March 2027."""
        return f"{d.day} {_MONTHS[self.lang][d.month - 1]} {d.year}"

    def period(self, start: datetime.datetime, end: datetime.datetime, reason: str = "") -> str:
        """A period: whole days as 16 mars 2026 – 20 mars 2026 (an end at midnight closes the day
        before), else with the times; the reason in brackets: "… (inventering)"."""
        if start.time() == end.time() == datetime.time() and end > start:
            last = (end - datetime.timedelta(days=1)).date()
            text = self.date(start.date()) + ("" if last == start.date() else f" – {self.date(last)}")
        else:
            until = f"{end:%H:%M}" if end.date() == start.date() else f"{self.date(end.date())} {end:%H:%M}"
            text = f"{self.date(start.date())} {start:%H:%M} – {until}"
        return f"{text} ({reason})" if reason else text

    def week(self, d: datetime.date) -> str:
        """The ISO week of a date: v. 12 / week 12."""
        return f"v. {d.isocalendar()[1]}" if self.lang == "sv" else f"week {d.isocalendar()[1]}"

    def weeks(self, first: datetime.date, last: datetime.date) -> str:
        """An ISO week range: v. 10–14 / weeks 10–14 (with the years when they differ)."""
        (y0, w0, _), (y1, w1, _) = first.isocalendar(), last.isocalendar()
        if (y0, w0) == (y1, w1):
            return self.week(first)
        span = f"{w0}–{w1}" if y0 == y1 else f"{w0}/{y0}–{w1}/{y1}"
        return f"v. {span}" if self.lang == "sv" else f"weeks {span}"

    def names(self, items, limit: int = 5) -> str:
        """A, B och C / A, B and C; long lists are cut ('och 4 till' / 'and 4 more')."""
        items = [str(x) for x in items]
        if not items:
            return self("none")
        more = len(items) - limit
        shown = items[:limit]
        if more > 0:
            tail = f"{more} till" if self.lang == "sv" else f"{more} more"
            shown.append(tail)
        if len(shown) == 1:
            return shown[0]
        conj = " och " if self.lang == "sv" else " and "
        return ", ".join(shown[:-1]) + conj + shown[-1]
