#!/usr/bin/env python3
"""Benchmark scenarios for modulplan at four sizes (format modulplan/scenario-1).

    python benchmarks/generate.py --size L --seed 1 --out /tmp/L.json
    python benchmarks/generate.py --size M --seed 1 --check      # figures + load check + first-fit
    python benchmarks/generate.py --size XL --seed 1 --out /tmp/XL.json --no-regional-rooms

`generate(size, seed) -> dict` is the library entry point; the same (size, seed) always gives
the same scenario (one `random.Random` per call, no other source of randomness).

| size | persons | horizon | regions | trainers |
|---|---|---|---|---|
| S  | ~20    | 2027-08-16..2027-12-17 (4 months, DST in Oct, höstlov) | 1 mixed (nursing home + 5-shift crews) | by load |
| M  | ~250   | 2027-08-09..2027-12-31 (5 months, DST, höstlov, julstopp) | 2 (care; industry) | by load |
| L  | ~900   | 2027-01-11..2027-12-23 (a year, two DST changes, summer, Christmas) | 3 (care, industry, network) | by load |
| XL | ~8 000 | 2027-01-11..2028-05-12 (16 months, three DST changes) | 28 in 4 areas | 150 |

The programme is built from **regions**. A region is a municipality (or a group of small
ones) with its own learning centre(s), and workplaces of three kinds, modelled on the three
example scenarios in `scenarios/` (whose plan shapes are proven feasible there):

* care: home-care groups, nursing homes and night patrols on 3-week day rotas, 2-week
  day/evening rotas, 3-week evening rotas and 2-week night rotas (across midnight); plans
  mostly on-shift only, sized so cohorts can mix the day teams within the staffing slack;
  Swedish-for-care, validation at a test centre (a `VALIDERING` test leader and a
  `testcenter` room), night-staff training;
* industry: departments with continuous 5-shift crews (10-day F F E E N N - - - - cycle or
  a 5-week cycle), maintenance day workers with a two-shift team, logistics on weekly F/E
  two-shift, a lab; training mostly off shift (overtime), hot-work and truck plans that must
  not touch the crews' shifts, named people in several tracks, a remote module;
* network: small workplaces (offices, school kitchens, home care, SMEs on day or two-shift)
  whose people meet in mixed cohorts at 2-4 learning centres of different municipalities,
  with travel between them.

Each region runs its own instance of the programme: tracks are per region (`USK-BAS-R03`),
so mixed cohorts stay inside a region. Modules held "anywhere" (`location: any`) are per
region too (`LAKEM-R03`, qualification `LAKEM`) and require the region's room tag (feature
`omr-r03`): the format has no other way to keep a course inside its region, and without it
every such session could be booked into any fitting room of the whole country. Modules at
the workplace or remote are shared. `--no-regional-rooms` (or `regional_rooms=False`) drops
the tags and the per-region module copies, to measure that effect.

Regions are grouped in **areas** of up to seven (a county): travel pairs are given within an
area (learning centre to learning centre 25-80 min, workplace to learning centres), and
everything else takes `travel.default_minutes` (150). In L and XL each region has its own
wave (plan window of ~5 months), staggered so an area's trainers teach two or three regions
at a time. Trainers (qualification roles as in the examples) live in an area, at a learning
centre of the region that needs them most; they are added one at a time to the (area,
qualification) with the highest peak weekly load until every load is at most `TARGET_LOAD`
(S, M, L) or the fixed count is reached (XL: 150, peak load ~0.44; 208 would give 0.30).
They may teach anywhere, at a travel cost. Interpreters: per area and language, by load too.

The calendar is the union of the examples' needs: start times 08:00, 09:00, 13:00, 14:30
(a 14:30 + 240 min session fits an evening shift K 13:30-22:00, 08:00 + 240 fits F 06-14 and
day shifts), Mon-Fri, Swedish holidays, closed klämdag, midsommarafton, summer and Christmas
as the horizon reaches them, daily rest 11 h.

All names are invented. Participants are pseudonymous ids (`<REG>-12345`) or counted.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
START_TIMES = ["07:00", "08:00", "09:00", "13:00", "14:30"]
TARGET_LOAD = 0.30  # peak weekly trainer load per qualification that S/M/L are sized to
DEFAULT_TRAVEL = 150  # minutes between sites of different areas (and unlisted pairs)

# ------------------------------------------------------------------------------------------
# Small builders (the same shapes as scenarios/generate.py)
# ------------------------------------------------------------------------------------------


def weekly(days, start, end):
    return [{"weekday": d, "start": start, "end": end} for d in days]


AVAIL = {
    "day": weekly(WEEKDAYS, "07:30", "17:00"),
    "long": weekly(["mon", "tue", "wed", "thu"], "07:00", "19:00") + weekly(["fri"], "07:00", "16:00"),
    "late": weekly(["mon", "tue", "wed", "thu"], "12:00", "19:00") + weekly(["fri"], "08:00", "16:00"),
    "kvall": weekly(["mon", "tue", "wed", "thu"], "08:00", "19:00") + weekly(["fri"], "08:00", "16:00"),
}


def period(start, end):
    return {"start": start, "end": end}


def room(rid, name, site, cap, features=(), unavailable=()):
    return {"id": rid, "name": name, "site": site, "capacity": cap, "features": list(features),
            "unavailable": list(unavailable)}


def _example_generator():
    """scenarios/generate.py, whose plan shapes the regions copy (loaded by path: both files
    are scripts named generate.py)."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "scenarios" / "generate.py"
    spec = importlib.util.spec_from_file_location("modulplan_example_generator", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_EXAMPLES = _example_generator()


def alloc(rng, teams, gmin, gmax, k):
    """Participant counts per team for an on-shift-only plan that can form k cohorts
    (`alloc` of scenarios/generate.py); no team at all when no split is valid."""
    try:
        return _EXAMPLES.alloc(rng, teams, gmin, gmax, k)
    except ValueError:
        return {t: 0 for t, _, _ in teams}


# ------------------------------------------------------------------------------------------
# The shared catalogue: shift types, patterns, modules, tracks, trainer roles
# ------------------------------------------------------------------------------------------

SHIFT_TYPES = [
    {"id": "D", "start": "07:00", "end": "16:00"},      # care day
    {"id": "K", "start": "13:30", "end": "22:00"},      # care evening
    {"id": "N", "start": "21:30", "end": "07:00"},      # care night (across midnight)
    {"id": "F", "start": "06:00", "end": "14:00"},      # industry morning
    {"id": "E", "start": "14:00", "end": "22:00"},      # industry evening
    {"id": "IN", "start": "22:00", "end": "06:00"},     # industry night
    {"id": "DAG", "start": "07:00", "end": "16:00"},    # day workers
    {"id": "KONTOR", "start": "08:00", "end": "16:30"},
    {"id": "KOK", "start": "06:30", "end": "15:00"},
    {"id": "F2", "start": "06:00", "end": "14:30"},     # SME two-shift
    {"id": "E2", "start": "14:30", "end": "23:00"},
]

PATTERN_ANCHOR = "2027-01-04"  # a Monday


def _patterns():
    return [
        {"id": "dag-3v", "anchor": PATTERN_ANCHOR, "cycle":
            ["D", "D", "D", "D", "D", "-", "-", "-", "D", "D", "D", "D", "D", "D",
             "D", "D", "-", "D", "D", "-", "-"]},
        {"id": "dag-kvall-2v", "anchor": PATTERN_ANCHOR, "cycle":
            ["D", "D", "K", "K", "K", "-", "-", "-", "D", "D", "D", "-", "K", "K"]},
        {"id": "kvall-3v", "anchor": PATTERN_ANCHOR, "cycle":
            ["K", "K", "-", "-", "K", "K", "K", "-", "-", "K", "K", "K", "-", "-",
             "K", "K", "K", "-", "-", "-", "-"]},
        {"id": "natt-2v", "anchor": PATTERN_ANCHOR, "cycle":
            ["N", "N", "N", "-", "-", "-", "-", "-", "-", "-", "N", "N", "N", "N"]},
        {"id": "femskift-10d", "anchor": PATTERN_ANCHOR, "cycle": ["F", "F", "E", "E", "IN", "IN", "-", "-", "-", "-"]},
        {"id": "femskift-5v", "anchor": PATTERN_ANCHOR, "cycle":
            ["F", "F", "F", "-", "-", "-", "-", "E", "E", "E", "F", "F", "F", "F",
             "IN", "IN", "IN", "E", "E", "E", "E", "-", "-", "-", "IN", "IN", "IN", "IN",
             "-", "-", "-", "-", "-", "-", "-"]},
        {"id": "dagtid", "anchor": PATTERN_ANCHOR, "cycle": ["DAG"] * 5 + ["-", "-"]},
        {"id": "tvaskift-2v", "anchor": PATTERN_ANCHOR, "cycle": ["F"] * 5 + ["-", "-"] + ["E"] * 5 + ["-", "-"]},
        {"id": "kontorstid", "anchor": PATTERN_ANCHOR, "cycle": ["KONTOR"] * 5 + ["-", "-"]},
        {"id": "storkok", "anchor": PATTERN_ANCHOR, "cycle": ["KOK"] * 5 + ["-", "-"]},
        {"id": "smf-tvaskift-2v", "anchor": PATTERN_ANCHOR, "cycle": ["F2"] * 5 + ["-", "-"] + ["E2"] * 5 + ["-", "-"]},
        {"id": "vard-dag-kvall-2v", "anchor": PATTERN_ANCHOR, "cycle":
            ["DAG", "DAG", "K", "K", "K", "-", "-", "-", "DAG", "DAG", "DAG", "-", "K", "K"]},
    ]


# base id -> (name, sessions, minutes, qualification, features, location, min_gap, max_gap)
MODULES = {
    # care
    "BASHYG": ("Basal hygien och smittskydd i vård och omsorg", 2, 120, "BASHYG", [], "workplace", 2, 21),
    "VARDEGR": ("Värdegrund och bemötande (webbinarium)", 2, 90, "VARDEGR", [], "remote", 3, None),
    "DEMENS": ("Demens ABC plus – personcentrerad vård", 3, 180, "DEMENS", ["projektor"], "workplace", 5, 28),
    "LAKEM": ("Läkemedelshantering och delegering", 2, 180, "LAKEM", ["projektor"], "any", 3, 21),
    "SVV-SAMTAL": ("Svenska i vården – samtal, bemötande och rapport", 4, 180, "SVA", [], "workplace", 3, 21),
    "SVV-SKRIVA": ("Svenska i vården – skriva och dokumentera", 2, 120, "SVA", ["datorer"], "any", 3, None),
    "DOK": ("Social dokumentation enligt IBIC", 2, 120, "DOK", ["datorer"], "any", 3, None),
    "DIGI": ("Digital kompetens och välfärdsteknik", 2, 120, "DIGI", ["datorer"], "any", 2, None),
    "VALID": ("Validering undersköterska (kartläggning, teori- och praktiskt prov)", 3, 240, "VALIDERING",
              ["testcenter"], "any", 5, 28),
    "HLR": ("HLR, brandskydd och nattens säkerhetsrutiner", 2, 120, "HLR", ["hlr-utrustning"], "any", 3, None),
    # industry
    "TRUCK-T": ("Truckteori A+B (TLP 10)", 2, 240, "TRUCK", ["projektor"], "any", 2, 21),
    "TRUCK-P": ("Truck praktik och uppkörning", 2, 180, "TRUCK", ["truckbana"], "any", 2, 21),
    "HETA": ("Heta arbeten (teori, släckövning och certifikatprov)", 2, 240, "HETA", ["brandovning"], "any", 2, 21),
    "ELSAK": ("Elsäkerhet vid arbete (ESA)", 2, 180, "ELSAK", ["projektor"], "any", 3, None),
    "LEAN-GRUND": ("Lean grund – flöde, slöseri och 5S", 3, 180, "LEAN", ["projektor"], "workplace", 5, 28),
    "LEAN-STYRNING": ("Daglig styrning och förbättringstavlor", 2, 120, "LEAN", [], "workplace", 3, None),
    "LEAN-A3": ("Problemlösning med A3 och PDCA", 2, 180, "LEAN", ["projektor"], "any", 4, 28),
    "PROC-GRUND": ("Processkunskap – från råvara till färdig produkt", 3, 180, "PROCESS", ["projektor"],
                   "workplace", 4, 28),
    "PROC-SIM": ("Processtyrning och störningshantering i simulatorn", 2, 240, "PROCESS", ["simulator"],
                 "any", 3, 21),
    "TPM": ("Förebyggande underhåll och TPM", 3, 180, "TPM", ["projektor"], "any", 5, 28),
    "HYDRAULIK": ("Hydraulik grund", 2, 240, "HYDRAULIK", ["hydraulikrigg"], "any", 3, None),
    "KEMSAK": ("Kemikaliesäkerhet och riskbedömning (digitalt)", 2, 90, "KEMSAK", [], "remote", 2, None),
    # network (learning centres)
    "DIGI-VERKTYG": ("Digitala verktyg i arbetet (Office 365, Teams, e-tjänster)", 3, 180, "DIGI", ["datorer"],
                     "any", 5, 28),
    "DIGI-SAKERHET": ("Informationssäkerhet och GDPR (distans)", 2, 90, "DIGI", [], "remote", 3, None),
    "SVA-MUNTLIG": ("Svenska på jobbet – muntlig kommunikation", 4, 180, "SVA", ["projektor"], "any", 3, 21),
    "SVA-SKRIVA": ("Svenska på jobbet – läsa och skriva i yrket", 2, 120, "SVA", ["datorer"], "any", 3, None),
    "BAM": ("Bättre arbetsmiljö (BAM) för chefer och skyddsombud", 4, 180, "BAM", ["projektor"], "any", 5, 21),
    "LEAN-SMF": ("Lean för små och medelstora företag", 3, 180, "LEAN", ["projektor"], "any", 5, 28),
    "LEAN-PRAKTIK": ("Förbättringsarbete på den egna arbetsplatsen", 2, 120, "LEAN", [], "workplace", 4, None),
    "KOK-HYGIEN": ("Livsmedelshygien och egenkontroll i storkök", 2, 120, "KOST", ["undervisningskok"], "any", 3, 21),
    "KOK-SPECIAL": ("Specialkost och allergier (distans)", 2, 90, "KOST", [], "remote", 3, None),
    "FORSTA-HJALP": ("Första hjälpen och hjärt-lungräddning", 2, 120, "HLR", ["hlr-utrustning"], "any", 2, 21),
    "HANDLEDARE": ("Handledarskap för arbetsplatskoordinatorer", 3, 180, "HANDLEDARE", ["projektor"], "any", 7, 28),
}

# base id -> (name, modules, min_group, max_group, mix_workplaces)
TRACKS = {
    "USK-BAS": ("Undersköterska bas (Äldreomsorgslyftet)", ["BASHYG", "VARDEGR", "DEMENS", "LAKEM"], 5, 10, False),
    "SVV": ("Svenska i vården", ["SVV-SAMTAL", "SVV-SKRIVA"], 4, 10, False),
    "DOK-DIGI": ("Dokumentation och digital kompetens", ["DIGI", "DOK"], 5, 12, True),
    "VALIDERING": ("Validering mot undersköterska", ["VALID"], 4, 8, True),
    "NATT": ("Nattpersonal: hygien, HLR och säkerhet", ["BASHYG", "HLR"], 4, 10, True),
    "TRUCK": ("Truckkort A+B", ["TRUCK-T", "TRUCK-P"], 4, 8, False),
    "HETA": ("Heta arbeten", ["HETA"], 5, 10, False),
    "ELSAK": ("Elsäkerhet", ["ELSAK"], 4, 10, False),
    "LEAN": ("Lean och ständiga förbättringar", ["LEAN-GRUND", "LEAN-A3", "LEAN-STYRNING"], 5, 10, False),
    "PROCESS": ("Processkunskap och simulatorträning för operatörer", ["PROC-GRUND", "PROC-SIM"], 4, 8, False),
    "UNDERHALL": ("Underhållsteknik: TPM och hydraulik", ["TPM", "HYDRAULIK"], 4, 8, False),
    "KEMSAK": ("Kemikaliesäkerhet", ["KEMSAK"], 5, 12, False),
    "DIGI-LC": ("Digital kompetens i arbetslivet", ["DIGI-VERKTYG", "DIGI-SAKERHET"], 6, 12, True),
    "SVA-LC": ("Svenska på jobbet", ["SVA-MUNTLIG", "SVA-SKRIVA"], 5, 10, True),
    "BAM": ("Bättre arbetsmiljö", ["BAM"], 6, 14, True),
    "LEAN-LC": ("Lean för små företag", ["LEAN-SMF", "LEAN-PRAKTIK"], 5, 10, True),
    "KOK": ("Storkök: hygien och specialkost", ["KOK-HYGIEN", "KOK-SPECIAL"], 5, 10, True),
    "HLR-LC": ("Första hjälpen och HLR", ["FORSTA-HJALP"], 6, 12, True),
    "HANDLEDARE": ("Arbetsplatskoordinator och handledare", ["HANDLEDARE"], 5, 12, True),
    "HLR-EGEN": ("HLR för egen personal", ["FORSTA-HJALP"], 4, 12, False),
}

# trainer roles: (qualifications, preferred availability, home: "lc" | "tc" | "rtj")
ROLES = [
    (("BASHYG", "HLR"), "long", "lc"), (("BASHYG", "LAKEM"), "day", "lc"), (("DEMENS", "VARDEGR"), "long", "lc"),
    (("DEMENS", "BASHYG"), "late", "lc"), (("DEMENS", "VARDEGR", "DOK"), "day", "lc"),
    (("LAKEM", "BASHYG", "VARDEGR"), "long", "lc"), (("SVA",), "long", "lc"), (("SVA", "DOK"), "late", "lc"),
    (("DIGI", "DOK"), "day", "lc"), (("VALIDERING", "DEMENS"), "day", "tc"), (("VALIDERING", "LAKEM"), "day", "tc"),
    (("HLR", "BASHYG", "VARDEGR"), "day", "lc"),
    (("TRUCK",), "long", "lc"), (("HETA",), "long", "rtj"), (("HETA", "KEMSAK"), "day", "rtj"),
    (("ELSAK", "TPM"), "long", "lc"), (("ELSAK",), "day", "lc"), (("LEAN",), "long", "lc"),
    (("TPM", "HYDRAULIK"), "long", "lc"), (("PROCESS",), "long", "lc"), (("PROCESS", "LEAN"), "long", "lc"),
    (("KEMSAK",), "long", "lc"),
    (("DIGI",), "kvall", "lc"), (("DIGI", "HANDLEDARE"), "day", "lc"), (("DIGI", "HLR"), "day", "lc"),
    (("SVA", "HANDLEDARE"), "kvall", "lc"), (("BAM",), "day", "lc"), (("BAM", "HLR", "HANDLEDARE"), "kvall", "lc"),
    (("KOST",), "day", "lc"), (("HLR",), "kvall", "lc"), (("HANDLEDARE", "BAM"), "day", "lc"),
]

FIRST = ["Anna", "Karin", "Helena", "Malin", "Per", "Sofia", "Nadia", "Amra", "Johanna", "Ulrika", "Erik",
         "Linda", "Marie", "Jonas", "Camilla", "Mikael", "Lena", "Stefan", "Ola", "Anders", "Fredrik", "Johan",
         "Åsa", "Tobias", "Magnus", "Kristina", "Niklas", "Hans", "Ingrid", "Peter", "Emma", "Maria", "Leila",
         "Birgitta", "Lars", "Gunilla", "Roger", "Elin", "Carina", "Henrik", "Thomas", "Sara", "Omid", "Hanna",
         "Daniel", "Eva", "Mats", "Lina", "Rasmus", "Amina", "Goran", "Tiina", "Jesper", "Ylva", "Kerstin"]
LAST = ["Lindqvist", "Bergström", "Nyström", "Hedlund", "Ekström", "Wikström", "Khalil", "Begić", "Engström",
        "Strand", "Lundin", "Bäckström", "Nyberg", "Berglund", "Öberg", "Johansson", "Håkansson", "Holmgren",
        "Björklund", "Hägglund", "Nordström", "Sjögren", "Norberg", "Lindberg", "Vikström", "Sandberg",
        "Dahlberg", "Eriksson", "Wallin", "Sundqvist", "Rask", "Nilsson", "Ahmadi", "Söderberg", "Edlund",
        "Holmberg", "Lundmark", "Forsgren", "Persson", "Wallgren", "Grönlund", "Hassan", "Karimi", "Jovanović",
        "Mäkinen", "Nowak", "Abdi", "Lund", "Falk", "Ström"]
NAME_HEAD = ["Sjö", "Ål", "Hed", "Stor", "Lill", "Berg", "Norr", "Väst", "Ek", "Gran", "Myr", "Tall", "Fors",
             "Räv", "Kvarn", "Hög", "Björn", "Ask", "Lind", "Alm", "Sand", "Sten", "Mos", "Ängs", "Rönn", "Hag",
             "Öst", "Sunn", "Bäck", "Kulla"]
NAME_TAIL = ["backa", "vik", "by", "ån", "fors", "näs", "bo", "lunda", "dal", "berga", "hult", "torp", "sjö",
             "mark", "holm", "åker"]
INTERPRETER_LANGS = {"care": ["ar", "so", "ti", "fa"], "industry": ["pl", "ar", "fi"], "network": ["ar", "so", "bs"]}

# ------------------------------------------------------------------------------------------
# Sizes
# ------------------------------------------------------------------------------------------

CLOSED_2027 = [
    ("2027-05-07", "2027-05-07", "klämdag efter Kristi himmelsfärd"),
    ("2027-06-25", "2027-06-25", "midsommarafton"),
    ("2027-07-05", "2027-08-06", "sommarstopp och semester: ingen utbildning"),
    ("2027-11-01", "2027-11-05", "höstlov, lärcentrumen stängda"),
    ("2027-12-20", "2028-01-06", "julstopp"),
]

WAVES = [  # (earliest, deadline, target)
    ("2027-01-18", "2027-06-11", "2027-05-21"),
    ("2027-04-12", "2027-10-08", "2027-09-17"),
    ("2027-08-16", "2028-01-28", "2027-12-17"),
    ("2027-11-29", "2028-05-12", "2028-04-21"),
]

SIZES = {
    "S": {"persons": 20, "horizon": ("2027-08-16", "2027-12-17"),
          "regions": [("mini", 20, ("2027-08-23", "2027-12-17", "2027-11-26"))], "trainers": None},
    "M": {"persons": 250, "horizon": ("2027-08-09", "2027-12-31"),
          "regions": [("care", 150, ("2027-08-16", "2027-12-17", "2027-11-26")),
                      ("industry", 100, ("2027-08-16", "2027-12-17", "2027-11-26"))], "trainers": None},
    "L": {"persons": 900, "horizon": ("2027-01-11", "2027-12-23"),
          "regions": [("care", 330, ("2027-01-18", "2027-06-11", "2027-05-21")),
                      ("network", 270, ("2027-03-01", "2027-10-29", "2027-10-01")),
                      ("industry", 300, ("2027-08-09", "2027-12-17", "2027-11-26"))], "trainers": None},
    "XL": {"persons": 8000, "horizon": ("2027-01-11", "2028-05-12"), "regions": 28, "trainers": 150},
}


AREA_SIZE = 7  # regions per area (county): trainers and interpreters live in an area


def _xl_regions(total: int, n: int):
    kinds = ["care", "industry", "network", "care"]
    out = []
    for r in range(n):
        area, pos = divmod(r, AREA_SIZE)
        out.append((kinds[(r + area) % 4], total / n, WAVES[(pos + area) % 4]))
    return out


# ------------------------------------------------------------------------------------------
# The generator
# ------------------------------------------------------------------------------------------

class Gen:
    def __init__(self, size: str, seed: int, regional_rooms: bool = True):
        if size not in SIZES:
            raise ValueError(f"size must be one of {', '.join(SIZES)}")
        self.size, self.seed, self.regional = size, seed, regional_rooms
        self.rng = random.Random(f"modulplan-bench-{size}-{seed}")
        self.spec = SIZES[size]
        self.sites: list[dict] = []
        self.pairs: dict[frozenset, int] = {}
        self.workplaces: list[dict] = []
        self.rooms: list[dict] = []
        self.trainers: list[dict] = []
        self.interpreters: list[dict] = []
        self.plans: list[dict] = []
        self.modules: dict[str, dict] = {}
        self.tracks: dict[str, dict] = {}
        self.used_ids: set[str] = set()
        self.used_names: set[str] = set()
        self.persons: set[str] = set()
        self.regions: list[dict] = []

    # -- identifiers --------------------------------------------------------------------------
    def place_name(self) -> str:
        while True:
            n = self.rng.choice(NAME_HEAD) + self.rng.choice(NAME_TAIL)
            if n not in self.used_names:
                self.used_names.add(n)
                return n

    def person_name(self) -> str:
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"

    def pid(self, reg) -> str:
        while True:
            x = f"{reg['abbr']}-{self.rng.randint(10000, 99999)}"
            if x not in self.used_ids:
                self.used_ids.add(x)
                return x

    def site(self, sid, name):
        self.sites.append({"id": sid, "name": name})
        return sid

    def travel(self, a, b, minutes):
        if a != b:
            self.pairs[frozenset((a, b))] = minutes

    def track_id(self, reg, base):
        return f"{base}-{reg['id']}"

    def module_id(self, reg, base):
        m = MODULES[base]
        return f"{base}-{reg['id']}" if self.regional and m[5] == "any" else base

    def use_track(self, reg, base) -> str:
        tid = self.track_id(reg, base)
        if tid not in self.tracks:
            name, mods, gmin, gmax, mix = TRACKS[base]
            for mb in mods:
                mid = self.module_id(reg, mb)
                if mid not in self.modules:
                    mname, n, minutes, qual, feats, loc, gmin_d, gmax_d = MODULES[mb]
                    if mid != mb:
                        mname = f"{mname} ({reg['name']})"
                        feats = feats + [reg["tag"]]
                    m = {"id": mid, "name": mname, "sessions": n, "duration_minutes": minutes, "qualification": qual,
                         "room_features": feats, "location": loc, "min_gap_days": gmin_d}
                    if gmax_d:
                        m["max_gap_days"] = gmax_d
                    self.modules[mid] = m
            self.tracks[tid] = {"id": tid, "name": f"{name}, {reg['name']}", "_base": base,
                                "modules": [self.module_id(reg, mb) for mb in mods],
                                "min_group": gmin, "max_group": gmax, "mix_workplaces": mix}
        return tid

    def plan(self, reg, wp, base, people, *, on=True, off=False, shift_days=0, target_days=0, suffix=""):
        if not people:
            return
        e, d, t = reg["window"]
        e = (date.fromisoformat(e) + timedelta(days=shift_days)).isoformat()
        t = (date.fromisoformat(t) + timedelta(days=target_days)).isoformat()
        tid = self.use_track(reg, base)
        plan_id = f"HP-{wp['id']}-{base}{suffix}"
        self.plans.append({"id": plan_id, "workplace": wp["id"], "track": tid,
                           "participants": people, "earliest": e, "deadline": d, "target": t,
                           "allow_on_shift": on, "allow_off_shift": off})
        for p in people:
            if "id" in p:
                self.persons.add(p["id"])
            else:
                for n in range(1, p["count"] + 1):
                    self.persons.add(f"{plan_id}-{p['team']}-{n}")

    def named(self, reg, team, n, lang=None):
        out = []
        for _ in range(n):
            e = {"id": self.pid(reg), "team": team}
            if lang:
                e["language"] = lang
            out.append(e)
        return out

    def workplace(self, reg, key, name, teams, near_lc=None):
        wid = f"{reg['id']}-{key}"
        sid = self.site(f"S-{wid}", f"{name}, {reg['name']}")
        lc = near_lc or reg["lcs"][0]
        own = self.rng.choice([5, 8, 10, 12, 15, 20, 25])
        for other in reg["area_lcs"]:
            self.travel(sid, other, own if other == lc else self.pairs.get(frozenset((lc, other)), 60) + own // 2)
        for extra in reg["extra_sites"]:
            self.travel(sid, extra, own + 5)
        wp = {"id": wid, "name": f"{name}, {reg['name']}", "site": sid,
              "teams": [{"id": t[0], "pattern": t[1], "offset_days": t[2], "headcount": t[3], "min_staffing": t[4]}
                        for t in teams]}
        self.workplaces.append(wp)
        return wp

    def wp_room(self, reg, wp, n, label, cap, features):
        rid = f"R-{wp['id']}-{n}"
        un = []
        if self.rng.random() < 0.3:
            un.append(self.booking(reg))
        self.rooms.append(room(rid, f"{label}, {wp['name']}", wp["site"], cap, features + [reg["tag"]], un))

    def booking(self, reg):
        """An existing room booking (a day or a few days) somewhere in the region's window."""
        e, d, _ = reg["window"]
        e, d = date.fromisoformat(e), date.fromisoformat(d)
        day = e + timedelta(days=self.rng.randint(0, max(0, (d - e).days - 5)))
        length = self.rng.choice([0, 0, 0, 2, 4])
        return period(f"{day}T{self.rng.choice(['08:00', '12:00'])}", f"{day + timedelta(days=length)}T17:00")

    # -- regions ------------------------------------------------------------------------------
    def new_region(self, n, kind, window, area_regions):
        name = self.place_name()
        abbr = "".join(c for c in name.upper().replace("Å", "A").replace("Ä", "A").replace("Ö", "O") if c.isalpha())[:3]
        rid = f"R{n + 1:02d}"
        reg = {"id": rid, "name": name, "abbr": f"{abbr}{n + 1}", "kind": kind, "window": window,
               "tag": f"omr-{rid.lower()}", "lcs": [], "extra_sites": [], "langs": [], "area": n // AREA_SIZE}
        rng = self.rng
        n_lc = rng.choice([2, 3, 3, 4]) if kind == "network" else 1
        for k in range(n_lc):
            town = name if k == 0 else self.place_name()
            reg["lcs"].append(self.site(f"S-{rid}-LC{k + 1}", f"Lärcentrum {town}"))
        for a in range(len(reg["lcs"])):
            for b in range(a + 1, len(reg["lcs"])):
                self.travel(reg["lcs"][a], reg["lcs"][b], rng.choice([20, 35, 40, 45, 55, 70]))
        # learning centres of the same area
        reg["area_lcs"] = list(reg["lcs"])
        for other in area_regions:
            for x in other["lcs"]:
                for y in reg["lcs"]:
                    self.travel(x, y, rng.choice([25, 35, 45, 55, 65, 80]))
            reg["area_lcs"] += other["lcs"]
        self.regions.append(reg)
        return reg

    def region_infra(self, reg, kinds: set[str], minimal: bool = False):
        """Rooms at the learning centres and special sites, for the workplace kinds present."""
        rng, rid, tag, name = self.rng, reg["id"], reg["tag"], reg["name"]
        lc = reg["lcs"][0]

        def add(key, label, site, cap, feats, booked=False):
            un = [self.booking(reg)] if booked or rng.random() < 0.25 else []
            if minimal and key not in ("LC-SAL", "TEST-1", "TEST-2", "RTJ-SAL"):
                return  # S: only the rooms its few plans need
            self.rooms.append(room(f"R-{rid}-{key}", f"{label}, {name}", site, cap, feats + [tag], un))

        add("LC-SAL", "Sal A, Lärcentrum", lc, 20, ["projektor", "hlr-utrustning"])
        add("LC-DATA", "Datasalen, Lärcentrum", lc, 14, ["datorer", "projektor"])
        if "care" in kinds:
            tc = self.site(f"S-{rid}-TC", f"Testcenter Vård- och omsorgscollege {name}")
            self.travel(lc, tc, 5)
            reg["extra_sites"].append(tc)
            reg["tc"] = tc
            add("VOC-B", "Sal B, Vård- och omsorgscollege", lc, 16, ["projektor"])
            add("VOC-OVN", "Övningslägenheten, Vård- och omsorgscollege", lc, 10, ["projektor", "ovningslagenhet"])
            add("VOC-DATA", "Datasal 2, Vård- och omsorgscollege", lc, 12, ["datorer", "projektor"])
            add("TEST-1", "Testcenter, provrum 1", tc, 10, ["testcenter", "datorer"], booked=True)
            add("TEST-2", "Testcenter, provrum 2 (praktiskt prov)", tc, 8, ["testcenter", "ovningslagenhet"])
        if "industry" in kinds:
            rtj = self.site(f"S-{rid}-RTJ", f"Räddningstjänsten {name}, övningsfältet")
            truck = self.site(f"S-{rid}-TRUCK", f"Truckskolan {name}")
            self.travel(lc, rtj, 10)
            self.travel(lc, truck, rng.choice([15, 25, 40]))
            self.travel(rtj, truck, 30)
            reg["extra_sites"] += [rtj, truck]
            reg["rtj"] = rtj
            add("RTJ-SAL", "Lektionssalen, övningsfältet", rtj, 16, ["projektor", "brandovning"])
            add("TRUCK-BANA", "Truckövningsbanan", truck, 8, ["truckbana"], booked=True)
            add("TRUCK-BANA2", "Truckövningsbana 2 (inomhus)", truck, 8, ["truckbana"])
            add("TRUCK-SAL", "Lektionssal, Truckskolan", truck, 12, ["projektor"])
            add("TEK-SIM", "Simulatorrummet, Teknikcollege", lc, 8, ["simulator", "datorer"], booked=True)
            add("TEK-HYD", "Hydraulikverkstaden, Teknikcollege", lc, 8, ["hydraulikrigg"])
            add("TEK-SAL", "Lektionssal, Teknikcollege", lc, 16, ["projektor"])
        if "network" in kinds:
            for k, site in enumerate(reg["lcs"]):
                if k:
                    add(f"LC{k + 1}-SAL", f"Lärosalen, Lärcentrum {k + 1}", site, 16, ["projektor", "hlr-utrustning"])
                    add(f"LC{k + 1}-DATA", f"Datorsalen, Lärcentrum {k + 1}", site, 12, ["datorer", "projektor"])
                if k < 2:
                    add(f"LC{k + 1}-KOK", f"Undervisningsköket, Lärcentrum {k + 1}", site, 10, ["undervisningskok"])
            add("LC-GRUPP", "Grupprum, Lärcentrum", lc, 8, ["projektor"])

    # -- care workplaces (after scenarios/generate.py: elderly_care) ----------------------------
    def care(self, reg, kind, small=False):
        rng = self.rng
        o = rng.choice([0, 7, 14])
        day_pat = rng.choice(["dag-3v", "dag-3v", "dag-kvall-2v"])
        if kind == "ht":
            name = f"Hemtjänst {rng.choice(['Centrum', 'Norr', 'Söder', 'Öster', 'Väster', 'Landsbygd'])}"
            teams = [("dag-a", day_pat, o, rng.randint(15, 18), 0), ("dag-b", day_pat, o, rng.randint(13, 16), 0),
                     ("kvall", "kvall-3v", rng.choice([0, 7, 14]), rng.randint(9, 12), 0)]
        elif kind == "sabo":
            name = f"{self.place_name()}gårdens vård- och omsorgsboende"
            teams = [("dag-1", day_pat, o, rng.randint(15, 20), 0), ("dag-2", day_pat, o, rng.randint(14, 18), 0),
                     ("kvall", "kvall-3v", rng.choice([0, 7, 14]), rng.randint(10, 14), 0),
                     ("natt", "natt-2v", rng.choice([0, 7]), rng.randint(8, 10), 0)]
            if small:
                teams = [teams[0], teams[1], teams[3]]
        else:  # night patrol
            name = "Nattpatrullen, hemtjänst"
            teams = [("natt-a", "natt-2v", 0, 10, 0), ("natt-b", "natt-2v", 7, 10, 0)]
        # slack: day teams 3-4, evening 2-3, night 2
        teams = [(t, p, off, hc, hc - (rng.choice([3, 4]) if p.startswith("dag") else rng.choice([2, 3])
                                       if p == "kvall-3v" else 2)) for t, p, off, hc, _ in teams]
        key = f"{'HT' if kind == 'ht' else 'SB' if kind == 'sabo' else 'NATT'}{len(self.workplaces) + 1}"
        wp = self.workplace(reg, key, name, teams)
        n_rooms = 1 if kind == "natt" else 2
        for i in range(n_rooms):
            feats = ["projektor"] if i == 0 or rng.random() < 0.6 else []
            self.wp_room(reg, wp, i + 1, rng.choice(["Personalrummet", "Samlingsrummet", "Dagrummet",
                                                      "Konferensrummet"]), rng.choice([10, 12, 12, 14]), feats)
        budget = {t[0]: t[3] - 2 for t in teams}
        lag = 0 if small else rng.choice([0, 0, 7, 14, 21])  # workplaces start their plans in turn
        day_teams = [t for t in teams if t[1] in ("dag-3v", "dag-kvall-2v")]
        eve_teams = [t for t in teams if t[1] == "kvall-3v"]
        night_teams = [t for t in teams if t[1] == "natt-2v"]
        langs = reg["langs"]

        def take(t, n):
            n = min(n, budget[t[0]])
            budget[t[0]] -= n
            return self.named(reg, t[0], n)

        if day_teams:
            k = 1 if small else (4 if sum(t[3] for t in day_teams) >= 28 else 3)
            counts = alloc(rng, [(t[0], t[3] - t[4], budget[t[0]] - 5) for t in day_teams], 5, 10, k)
            people = [p for t in day_teams for p in take(t, counts[t[0]])]
            if langs and people:
                lang = rng.choice(langs)
                for p in rng.sample(people, min(len(people), rng.choice([1, 2, 2, 3]))):
                    p["language"] = lang
            self.plan(reg, wp, "USK-BAS", people, shift_days=lag)
            if not small:
                mine = {t[0]: [p for p in people if p["team"] == t[0] and "language" not in p] for t in day_teams}
                counts = alloc(rng, [(t[0], t[3] - t[4], min(6, len(mine[t[0]]) // 2 + budget[t[0]]))
                                     for t in day_teams], 4, 10, rng.choice([1, 2, 2]))
                svv = []
                for t in day_teams:
                    both = rng.sample(mine[t[0]], min(len(mine[t[0]]) // 2, counts[t[0]]))
                    svv += [{"id": p["id"], "team": p["team"]} for p in both]
                    svv += take(t, counts[t[0]] - len(both))
                self.plan(reg, wp, "SVV", svv, shift_days=7 + lag, target_days=-7)
            vv = [p for t in day_teams for p in take(t, rng.choice([1, 2, 2, 3]))]
            self.plan(reg, wp, "VALIDERING", vv, shift_days=28, target_days=7)
            if not small:
                dd = [p for t in day_teams for p in take(t, rng.choice([2, 2, 3]))]
                self.plan(reg, wp, "DOK-DIGI", dd, shift_days=14, target_days=7)
        if eve_teams:
            people = [p for t in eve_teams for p in take(t, rng.choice([6, 7, 8, 9]))]
            if langs and rng.random() < 0.5:
                lang = rng.choice(langs)
                for p in rng.sample(people, 2):
                    p["language"] = lang
            self.plan(reg, wp, "USK-BAS", people, on=True, off=True, shift_days=lag,
                      suffix="-KVALL" if day_teams else "")
        if night_teams:
            people = [p for t in night_teams for p in take(t, rng.choice([3, 4, 5]))]
            self.plan(reg, wp, "NATT", people, on=True, off=True, shift_days=7, target_days=-21)

    # -- industry workplaces (after scenarios/generate.py: industrial_plant) --------------------
    def industry(self, reg, kind, small=False):
        rng = self.rng
        counted = lambda team, n, lang=None: {"team": team, "count": n, **({"language": lang} if lang else {})}  # noqa: E731
        if kind in ("skift10", "skift5v"):
            ten = kind == "skift10"
            dept = rng.choice(["Pappersmaskin", "Sågverket", "Kartongmaskin", "Smältverket", "Valsverket",
                               "Massafabriken", "Pelletsfabriken"]) + f" {rng.randint(1, 6)}"
            crews = [(f"skiftlag-{i + 1}", "femskift-10d" if ten else "femskift-5v", (2 if ten else 7) * i,
                      13 if ten else 12, 11 if ten else 10) for i in range(5)]
            wp = self.workplace(reg, f"SKIFT{len(self.workplaces) + 1}", dept, crews)
            self.wp_room(reg, wp, 1, "Skiftlagsrummet", 10, ["projektor"])
            self.wp_room(reg, wp, 2, "Mötesrummet vid kontrollrummet", 10, ["projektor"])
            # hot work: strictly off shift for the 5-week crews (the machine must run); the
            # 10-day crews may use their staffing slack (2 per crew)
            heta_crews = crews[:3] if ten else crews[2:]
            self.plan(reg, wp, "HETA", [counted(t[0], 2) for t in heta_crews], on=ten, off=True, target_days=-35)
            if small:
                return
            self.plan(reg, wp, "LEAN", [counted(t[0], rng.choice([4, 5] if ten else [4, 5])) for t in crews],
                      on=True, off=True, target_days=-14)
            self.plan(reg, wp, "PROCESS", [counted(t[0], 2) for t in crews], on=True, off=True,
                      target_days=-7)
            if ten:
                self.plan(reg, wp, "TRUCK", [counted(t[0], 2) for t in crews], on=False, off=True,
                          target_days=-42)
            else:
                kem = [p for t in crews for p in self.named(reg, t[0], 3)]
                if reg["langs"]:
                    kem[7]["language"] = reg["langs"][0]
                self.plan(reg, wp, "KEMSAK", kem, on=False, off=True, target_days=-60)
        elif kind == "uh":
            teams = [("mek-dag", "dagtid", 0, 22, 17), ("el-instr-dag", "dagtid", 0, 12, 9),
                     ("uh-skift", "tvaskift-2v", rng.choice([0, 7]), 8, 6)]
            wp = self.workplace(reg, f"UH{len(self.workplaces) + 1}", "Underhåll – mekanik, el och instrument", teams)
            self.wp_room(reg, wp, 1, "Verkstadens lektionssal", 12, ["projektor", "verkstad"])
            mek, el, sk = self.named(reg, "mek-dag", 18), self.named(reg, "el-instr-dag", 10), \
                self.named(reg, "uh-skift", 6)
            if reg["langs"]:
                el[8]["language"] = el[9]["language"] = reg["langs"][-1]
            self.plan(reg, wp, "HETA", mek[0:10] + el[0:2] + sk[0:3], on=True, off=True, target_days=-35)
            self.plan(reg, wp, "ELSAK", el[2:8] + mek[10:16], on=True, off=False, target_days=-21)
            self.plan(reg, wp, "UNDERHALL", mek[4:12] + sk[2:6] + el[7:10], on=True, off=True, target_days=-7)
            self.plan(reg, wp, "TRUCK", mek[14:18] + el[0:2], on=True, off=False, target_days=-14)
        elif kind == "log":
            o = rng.choice([0, 7])
            teams = [("lager-a", "tvaskift-2v", o, 11, 9), ("lager-b", "tvaskift-2v", 7 - o, 11, 9),
                     ("utlastning-dag", "dagtid", 0, 9, 7)]
            wp = self.workplace(reg, f"LOG{len(self.workplaces) + 1}", "Logistik – lager och utlastning", teams)
            self.wp_room(reg, wp, 1, "Lagerkontoret", 10, ["projektor"])
            lang = reg["langs"][0] if reg["langs"] else None
            truck = self.named(reg, "lager-a", 6) + self.named(reg, "lager-b", 5) + self.named(reg, "lager-b", 2, lang)
            self.plan(reg, wp, "TRUCK", truck, on=True, off=True, target_days=-42)
            self.plan(reg, wp, "LEAN", [counted("lager-a", 5), counted("lager-b", 4),
                                        counted("utlastning-dag", 3, lang)], on=True, off=True, target_days=-14)
        else:  # lab
            teams = [("lab-dag", "dagtid", 0, 12, 9), ("lab-skift", "tvaskift-2v", rng.choice([0, 7]), 6, 4)]
            wp = self.workplace(reg, f"LAB{len(self.workplaces) + 1}", "Kvalitet och laboratorium", teams)
            self.wp_room(reg, wp, 1, "Labbets konferensrum", 12, ["projektor"])
            self.plan(reg, wp, "LEAN", [counted("lab-dag", 3), counted("lab-skift", 3)], on=True, off=True,
                      target_days=-14)
            self.plan(reg, wp, "KEMSAK", [counted("lab-dag", 3), counted("lab-skift", 3)], on=True, off=True,
                      target_days=-60)

    # -- network workplaces (after scenarios/generate.py: learning_centre_network) -------------
    NETWORK_MIX = {
        "kontor": [("DIGI-LC", (3, 6)), ("BAM", (1, 2)), ("HLR-LC", (2, 4)), ("HANDLEDARE", (1, 2))],
        "kok": [("KOK", (2, 4)), ("SVA-LC", (1, 3)), ("HLR-LC", (1, 2)), ("DIGI-LC", (1, 2))],
        "vard": [("SVA-LC", (2, 4)), ("HLR-LC", (2, 3)), ("DIGI-LC", (1, 3)), ("HANDLEDARE", (1, 1))],
        "smf": [("LEAN-LC", (3, 5)), ("SVA-LC", (1, 3)), ("HLR-LC", (2, 3)), ("BAM", (1, 1)), ("DIGI-LC", (1, 2))],
    }

    def network(self, reg, kind):
        rng = self.rng
        lc = rng.choice(reg["lcs"])
        town = next(s["name"] for s in self.sites if s["id"] == lc).replace("Lärcentrum ", "")
        if kind == "kontor":
            name = rng.choice(["Kommunkontoret", "Kontaktcenter och medborgarservice", "Socialkontoret"])
            hc = rng.randint(9, 14)
            teams = [("kontor", "kontorstid", 0, hc, hc - rng.choice([2, 3]))]
        elif kind == "kok":
            name = rng.choice(["Centralköket", "Skolköket", "Tillagningsköket"])
            hc = rng.randint(6, 10)
            teams = [("kok", "storkok", 0, hc, hc - 2)]
        elif kind == "vard":
            name = rng.choice(["Hemtjänst", "LSS-boendet", "Äldreboendet"])
            hc = rng.randint(9, 13)
            teams = [("dag", "vard-dag-kvall-2v", rng.choice([0, 7]), hc, hc - 3)]
            if rng.random() < 0.5:
                teams.append(("kvall", "kvall-3v", rng.choice([0, 7, 14]), 8, 6))
        else:
            name = rng.choice(["Mekaniska AB", "Trä AB (sågverk)", "Plast AB", "Bygg & Fastighet AB",
                               "Plåt & Smide AB", "Åkeri och Logistik AB", "Snickerifabrik AB"])
            if "Trä" in name or "Plast" in name:
                teams = [("skift-a", "smf-tvaskift-2v", 0, 12, 9), ("skift-b", "smf-tvaskift-2v", 7, 12, 9)]
            else:
                hc = rng.randint(8, 14)
                teams = [("verkstad", "dagtid", 0, hc, hc - rng.choice([2, 3, 3]))]
        wp = self.workplace(reg, f"{kind.upper()}{len(self.workplaces) + 1}", f"{name} {town}", teams, near_lc=lc)
        if kind == "smf":
            self.wp_room(reg, wp, 1, "Personalrummet", rng.choice([10, 12, 14]), ["projektor"])
        budget = {t[0]: t[3] - 1 for t in teams}
        flexible = any(t[1] in ("smf-tvaskift-2v", "vard-dag-kvall-2v", "kvall-3v") for t in teams)
        for base, (lo, hi) in self.NETWORK_MIX[kind]:
            if base == "HLR-LC" and kind == "smf" and len(teams) == 2 and rng.random() < 0.5:
                base = "HLR-EGEN"
            people = []
            for t in teams:
                n = min(rng.randint(lo, hi), budget[t[0]])
                # at most the staffing slack per team: a cohort can then always meet while the team
                # works (cohorts of a mixed track may put a whole plan's team share together)
                n = min(n, t[3] - t[4])
                budget[t[0]] -= n
                people += self.named(reg, t[0], n)
            if not people:
                continue
            if reg["langs"] and base in ("HLR-LC", "BAM", "LEAN-LC", "DIGI-LC") and kind != "kontor" \
                    and rng.random() < 0.4:
                people[0]["language"] = rng.choice(reg["langs"])
            if not any("language" in p for p in people) and rng.random() < 0.5:
                for p in people:
                    self.used_ids.discard(p["id"])
                cnt: dict[str, int] = {}
                for p in people:
                    cnt[p["team"]] = cnt.get(p["team"], 0) + 1
                people = [{"team": k, "count": v} for k, v in cnt.items()]
            self.plan(reg, wp, base, people, on=True, off=flexible, shift_days=7,
                      target_days=rng.choice([-28, -14, -7]))

    # -- the whole programme ------------------------------------------------------------------
    KIND_CYCLE = {
        "care": ["sabo", "ht", "sabo", "ht", "natt", "sabo", "ht", "sabo", "ht", "sabo", "ht", "sabo"],
        "industry": ["skift10", "uh", "skift5v", "log", "lab", "skift10", "skift5v", "log", "uh", "skift10"],
        "network": ["kontor", "kok", "vard", "smf", "smf", "kontor", "vard", "kok", "smf", "kontor", "smf", "vard"],
    }

    def build(self) -> dict:
        spec = self.spec
        regions = spec["regions"] if isinstance(spec["regions"], list) else _xl_regions(spec["persons"],
                                                                                        spec["regions"])
        goal = 0.0
        for n, (kind, persons, window) in enumerate(regions):
            goal += persons
            area = [r for r in self.regions if r["area"] == n // AREA_SIZE]
            reg = self.new_region(n, kind, window, area)
            pool = INTERPRETER_LANGS["care" if kind == "mini" else kind]
            reg["langs"] = self.rng.sample(pool, 2)
            if kind == "mini":  # S: a small-town nursing home and a mill's hot-work course
                self.region_infra(reg, {"care", "industry"}, minimal=True)
                self.care(reg, "sabo", small=True)
                self.industry(reg, "skift10", small=True)
                continue
            self.region_infra(reg, {kind})
            cycle = self.KIND_CYCLE[kind]
            k = misses = 0
            while misses < len(cycle):
                before = len(self.persons)
                if before >= goal - 6:
                    break
                wkind = cycle[k % len(cycle)]
                k += 1
                if kind == "care":
                    self.care(reg, wkind)
                elif kind == "industry":
                    self.industry(reg, wkind)
                else:
                    self.network(reg, wkind)
                if len(self.persons) - goal > goal - before:
                    self._undo_last_workplace()  # far too big for what is left: try the next kind
                    misses += 1
                else:
                    misses = 0
        self._trainers()
        self._interpreters()
        return self._document()

    def _undo_last_workplace(self):
        """Drop the last workplace when it overshoots the size goal by far (keeps totals close)."""
        wp = self.workplaces.pop()
        self.rooms = [r for r in self.rooms if r["site"] != wp["site"]]
        self.sites = [s for s in self.sites if s["id"] != wp["site"]]
        self.pairs = {k: v for k, v in self.pairs.items() if wp["site"] not in k}
        dropped = [p for p in self.plans if p["workplace"] == wp["id"]]
        self.plans = [p for p in self.plans if p["workplace"] != wp["id"]]
        self.persons = set()
        for p in self.plans:
            for e in p["participants"]:
                if "id" in e:
                    self.persons.add(e["id"])
                else:
                    base = p["id"]
                    self.persons.update(f"{base}-{e['team']}-{n}" for n in range(1, e["count"] + 1))
        return dropped

    # -- trainers: sized by load --------------------------------------------------------------
    def _need(self):
        """Estimated demand, as the cohort former will roughly shape it: per plan (or per mixed
        track pool) ceil(n / max_group) cohorts. Returns, per (area, qualification), the trainer
        minutes needed per week (a profile over the weeks of the horizon) and per region the total (where
        trainers should live); per (area, language) the interpreter minutes per week.
        A module's sessions are spread over the part of the window left after the sessions
        before it in the track (the last module of a long track is taught in the last weeks),
        which is where trainers run short first."""
        weekly_need: dict[tuple[int, str], dict[int, float]] = defaultdict(lambda: defaultdict(float))
        by_region: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        lang_need: dict[tuple[int, str], dict[int, float]] = defaultdict(lambda: defaultdict(float))
        pools: dict[str, list[dict]] = defaultdict(list)
        for p in self.plans:
            key = p["track"] if self.tracks[p["track"]]["mix_workplaces"] else p["id"]
            pools[key].append(p)
        h0 = date.fromisoformat(self.spec["horizon"][0])
        area_of = {r["id"]: r["area"] for r in self.regions}
        for plans in pools.values():
            tr = self.tracks[plans[0]["track"]]
            n = sum(e.get("count", 1) for p in plans for e in p["participants"])
            cohorts = max(1, math.ceil(n / tr["max_group"]))
            langs: dict[str, int] = defaultdict(int)
            for p in plans:
                for e in p["participants"]:
                    if e.get("language"):
                        langs[e["language"]] += e.get("count", 1)
            e = max(date.fromisoformat(p["earliest"]) for p in plans)
            d = min(date.fromisoformat(p["deadline"]) for p in plans)
            w0, w1 = (e - h0).days // 7, (d - h0).days // 7
            reg = tr["id"].rsplit("-", 1)[1]
            total = sum(self.modules[m]["sessions"] for m in tr["modules"])
            before = 0
            for mid in tr["modules"]:
                m = self.modules[mid]
                first = w0 + int((w1 - w0) * 0.6 * before / total)
                before += m["sessions"]
                weeks = list(range(first, w1 + 1))
                open_weeks = max(1.0, len(weeks) * 0.85)  # holidays and closures
                minutes = cohorts * m["sessions"] * m["duration_minutes"]
                by_region[m["qualification"]][reg] += minutes
                for w in weeks:
                    weekly_need[area_of[reg], m["qualification"]][w] += minutes / open_weeks
                    for lang, k in langs.items():  # speakers of a language stay together where they can
                        lang_need[area_of[reg], lang][w] += min(k, cohorts) * m["sessions"] * m[
                            "duration_minutes"] / open_weeks
        self.lang_need = lang_need
        return weekly_need, by_region

    def _trainers(self):
        rng = self.rng
        weekly_need, by_region = self._need()
        keys = sorted(weekly_need)  # (area, qualification)
        cap: dict[tuple[int, str], float] = defaultdict(float)  # minutes per week of the area's trainers
        homed: dict[tuple[str, str], float] = defaultdict(float)
        fixed = self.spec["trainers"]
        reg_by_id = {r["id"]: r for r in self.regions}

        def load(key):
            if key not in weekly_need:
                return 0.0
            return max(weekly_need[key].values()) / cap[key] if cap[key] else float("inf")

        count = 0
        while True:
            # the (area, qualification) with the highest peak load gets the next trainer, who
            # lives in that area (trainers may still teach elsewhere, at a travel cost)
            area, q = max(keys, key=lambda k: (load(k), k))
            if fixed is None and load((area, q)) <= TARGET_LOAD:
                break
            if fixed is not None and count >= fixed:
                break
            roles = [r for r in ROLES if q in r[0]]
            qs, avail_kind, home_kind = max(roles, key=lambda r: (sum(min(load((area, x)), 5) for x in r[0]),
                                                                   rng.random()))
            # home: the region of the area that needs this qualification most per trainer living there
            rid = max((r for r in by_region[q] if reg_by_id[r]["area"] == area),
                      key=lambda r: (by_region[q][r] / (1 + homed[q, r]), r))
            reg = reg_by_id[rid]
            home = reg.get(home_kind, None) if home_kind in ("tc", "rtj") else None
            home = home or rng.choice(reg["lcs"])
            count += 1
            max_week = rng.choice([1200, 1440, 1440, 1620, 1800])
            langs = ["sv"] + ([rng.choice(["ar", "fa", "so", "en", "fi", "bs"])] if rng.random() < 0.2 else [])
            if count <= len(keys) and avail_kind == "day":
                avail_kind = "long"  # the first trainers of each kind cover the evening starts
            un = []
            for _ in range(rng.choice([0, 1, 1, 2])):
                h0, h1 = (date.fromisoformat(x) for x in self.spec["horizon"])
                monday = h0 + timedelta(days=rng.randint(0, max(0, (h1 - h0).days - 7)))
                monday -= timedelta(days=monday.weekday())
                un.append(period(f"{monday}T00:00", f"{monday + timedelta(days=4)}T23:59"))
            tid = f"T{count:03d}"
            self.trainers.append({
                "id": tid, "name": self.person_name(), "qualifications": list(qs), "languages": langs,
                "home_site": home, "max_minutes_per_week": max_week,
                "max_sessions_per_day": rng.choice([2, 2, 3]), "available": AVAIL[avail_kind],
                "unavailable": un, "cost_per_hour": rng.choice([560, 600, 620, 650, 700, 720, 760, 800, 850, 900]),
            })
            window = {"day": 47.5, "long": 57, "late": 36, "kvall": 52}[avail_kind] * 60
            share = min(max_week, window) / len(qs)
            for x in qs:
                cap[area, x] += share
                homed[x, rid] += 1
        self.loads = {}
        for key in keys:
            self.loads[key[1]] = max(self.loads.get(key[1], 0.0), round(load(key), 3))

    def _interpreters(self):
        """Per area and language: interpreters (homes at the learning centres of the regions
        that need the language) until the peak weekly load is at most TARGET_LOAD."""
        rng = self.rng
        cap = 1500  # minutes per week an interpreter can take
        n = 0
        users: dict[tuple[int, str], list[dict]] = defaultdict(list)
        for p in self.plans:
            reg = next(r for r in self.regions if p["workplace"].startswith(r["id"] + "-"))
            for e in p["participants"]:
                if e.get("language") and reg not in users[reg["area"], e["language"]]:
                    users[reg["area"], e["language"]].append(reg)
        for (area, lang), profile in sorted(self.lang_need.items()):
            peak = max(profile.values())
            rs = users[area, lang]
            for k in range(max(1, math.ceil(peak / (cap * TARGET_LOAD)))):
                n += 1
                reg = rs[k % len(rs)]
                langs = [lang, "sv"] + (["ar"] if lang == "so" else ["am"] if lang == "ti" else [])
                avail = weekly(WEEKDAYS, "07:00", "19:00") if rng.random() < 0.7 else \
                    weekly(["mon", "tue", "wed", "thu"], "07:00", "19:00")
                un = []
                if rng.random() < 0.5:
                    e, d, _ = reg["window"]
                    e, d = date.fromisoformat(e), date.fromisoformat(d)
                    day = e + timedelta(days=rng.randint(0, max(0, (d - e).days - 7)))
                    un.append(period(f"{day}T00:00", f"{day + timedelta(days=2)}T23:59"))
                self.interpreters.append({"id": f"I{n:03d}", "name": self.person_name(), "languages": langs,
                                          "home_site": rng.choice(reg["lcs"]), "available": avail,
                                          "unavailable": un})

    def _document(self) -> dict:
        h0, h1 = self.spec["horizon"]
        closed = [{"start": a, "end": b, "reason": why} for a, b, why in CLOSED_2027
                  if a <= h1 and b >= h0 and not (self.size in ("L", "XL") and "höstlov" in why)]
        tracks = [{k: v for k, v in t.items() if not k.startswith("_")} for t in self.tracks.values()]
        return {
            "format": "modulplan/scenario-1",
            "id": f"bench-{self.size.lower()}-{self.seed}" + ("" if self.regional else "-noreg"),
            "name": f"Benchmark {self.size} (seed {self.seed}): kompetenslyft i {len(self.regions)} "
                    f"{'region' if len(self.regions) == 1 else 'regioner'}",
            "timezone": "Europe/Stockholm",
            "horizon": {"start": h0, "end": h1},
            "calendar": {"holidays": "SE", "closed": closed, "weekdays": WEEKDAYS, "start_times": START_TIMES,
                         "daily_rest_hours": 11},
            "shift_types": SHIFT_TYPES,
            "shift_patterns": _patterns(),
            "sites": self.sites,
            "travel": {"default_minutes": DEFAULT_TRAVEL,
                       "pairs": [{"from": a, "to": b, "minutes": m}
                                 for (a, b), m in sorted((tuple(sorted(k)), v) for k, v in self.pairs.items())]},
            "workplaces": self.workplaces,
            "rooms": self.rooms,
            "trainers": self.trainers,
            "interpreters": self.interpreters,
            "modules": list(self.modules.values()),
            "tracks": tracks,
            "action_plans": self.plans,
            "weights": {},
            "x-benchmark": {"size": self.size, "seed": self.seed, "regional_rooms": self.regional,
                            "persons": len(self.persons), "regions": [
                                {"id": r["id"], "name": r["name"], "kind": r["kind"], "area": r["area"],
                                 "window": list(r["window"])} for r in self.regions],
                            "trainer_load": self.loads},
        }


def generate(size: str, seed: int = 1, *, regional_rooms: bool = True) -> dict:
    """A benchmark scenario (modulplan/scenario-1) of the given size, deterministic per seed."""
    return Gen(size.upper(), seed, regional_rooms).build()


# ------------------------------------------------------------------------------------------
# Checks (--check)
# ------------------------------------------------------------------------------------------

def figures(scn: dict) -> dict:
    x = scn.get("x-benchmark", {})
    teams = sum(len(w["teams"]) for w in scn["workplaces"])
    return {"persons": x.get("persons"), "plans": len(scn["action_plans"]), "workplaces": len(scn["workplaces"]),
            "teams": teams, "regions": len(x.get("regions", [])), "sites": len(scn["sites"]),
            "rooms": len(scn["rooms"]), "trainers": len(scn["trainers"]),
            "interpreters": len(scn["interpreters"]), "modules": len(scn["modules"]), "tracks": len(scn["tracks"]),
            "max_trainer_load": max(x.get("trainer_load", {0: 0}).values())}


def check(scn: dict, construct_too: bool = True, out=print) -> int:
    """Schema check, and the first-fit and constructive schedules: what they leave unscheduled."""
    import time
    from collections import Counter

    from scheduler.domain import build_scenario
    from scheduler.format import load_scenario
    from scheduler.prepare.problem import PlanningProblem
    from scheduler.search.construct import construct

    f = figures(scn)
    out(f"== {scn['id']}: " + ", ".join(f"{k} {v}" for k, v in f.items()))
    t = time.monotonic()
    load_scenario(scn)  # raises ScenarioInvalid with every error
    out(f"   schema ok ({time.monotonic() - t:.1f} s)")
    if not construct_too:
        return 0
    t = time.monotonic()
    problem = PlanningProblem(build_scenario(scn))
    n = len(problem.sessions)
    cands = sum(len(o.candidates) for o in problem.options)
    out(f"   prepared in {time.monotonic() - t:.1f} s: {len(problem.cohorts)} cohorts, {n} sessions, "
        f"{cands / max(1, n):.0f} candidates/session, {len(problem.unassigned)} unassigned participants, "
        f"{sum(1 for o in problem.options if not o.candidates)} sessions without any candidate")
    bad = len(problem.unassigned)
    for strategy in ("earliest", "cheapest"):
        t = time.monotonic()
        placed = construct(problem, strategy)
        left = [i for i in range(n) if i not in placed]
        out(f"   construct({strategy}): {len(placed)}/{n} placed in {time.monotonic() - t:.1f} s; "
            f"{len(left)} left")
        if left:
            first = Counter()
            for cid in {problem.sessions[i].key.cohort for i in left}:
                i = next(i for i in problem.by_cohort[cid] if i not in placed)
                first[problem.sessions[i].module_id] += 1
            out(f"      first unplaced session per cohort, by module: {dict(first.most_common())}")
        if strategy == "cheapest":
            bad += len(left)
    return bad


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", required=True, choices=list(SIZES), type=str.upper)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", help="write the scenario JSON here (default: stdout unless --check)")
    ap.add_argument("--no-regional-rooms", action="store_true",
                    help="share 'any' modules and tracks' rooms across regions (no region room tags)")
    ap.add_argument("--check", action="store_true",
                    help="schema check, prepare, first-fit and constructive schedule; exit 1 if anything is left")
    a = ap.parse_args(argv)
    scn = generate(a.size, a.seed, regional_rooms=not a.no_regional_rooms)
    if a.out:
        Path(a.out).write_text(json.dumps(scn, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"wrote {a.out}: " + ", ".join(f"{k} {v}" for k, v in figures(scn).items()), file=sys.stderr)
    elif not a.check:
        json.dump(scn, sys.stdout, ensure_ascii=False, indent=1)
    if a.check:
        return 1 if check(scn) else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
