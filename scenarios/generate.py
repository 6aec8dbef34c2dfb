#!/usr/bin/env python3
"""Generate the example scenarios of modulplan (format modulplan/scenario-1).

    python scenarios/generate.py            # (re)write the three JSON files, print figures
    python scenarios/generate.py --check    # print load figures for the committed files
    python scenarios/generate.py --witness  # also build a greedy rule-keeping schedule

Deterministic: each scenario is built from its own ``random.Random(seed)``, so a rerun
writes byte-identical files.  The files are committed; this script is kept so they can be
regenerated or varied.  All names are invented (municipalities, workplaces, people);
participants are pseudonymous ids or counted participants.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]


def weekly(days, start, end):
    return [{"weekday": d, "start": start, "end": end} for d in days]


def trainer(tid, name, quals, home, *, langs=("sv",), max_week=1800, per_day=2, avail=None,
            unavailable=(), cost=650):
    return {"id": tid, "name": name, "qualifications": list(quals), "languages": list(langs),
            "home_site": home, "max_minutes_per_week": max_week, "max_sessions_per_day": per_day,
            "available": avail if avail is not None else weekly(WEEKDAYS, "07:30", "17:00"),
            "unavailable": list(unavailable), "cost_per_hour": cost}


def module(mid, name, sessions, minutes, *, qual=None, features=(), location="any", min_gap=2,
           max_gap=None):
    m = {"id": mid, "name": name, "sessions": sessions, "duration_minutes": minutes,
         "qualification": qual or mid, "room_features": list(features), "location": location,
         "min_gap_days": min_gap}
    if max_gap:
        m["max_gap_days"] = max_gap
    return m


def room(rid, name, site, cap, features=(), unavailable=()):
    return {"id": rid, "name": name, "site": site, "capacity": cap, "features": list(features),
            "unavailable": list(unavailable)}


def period(start, end):
    return {"start": start, "end": end}


def alloc(rng, teams, gmin, gmax, k):
    """Participant counts per team for an on-shift-only plan that can form k cohorts.

    teams: [(team id, slack, max persons)].  Each cohort may hold at most `slack` people of a
    team (rule 7: they are all on shift during the session), so a team gives at most k*slack;
    the total lies in k*gmin .. k*min(gmax, sum of slacks), dealt round-robin it gives k
    cohorts of valid size.
    """
    while k > 0:
        caps = {t: max(0, min(k * s, lim)) for t, s, lim in teams}
        hi = min(k * min(gmax, sum(s for _, s, _ in teams)), sum(caps.values()))
        lo = k * gmin
        if hi >= lo:
            total = rng.randint(lo, hi)
            counts = dict(caps)
            while sum(counts.values()) > total:
                t = rng.choice([t for t in counts if counts[t] > 0])
                counts[t] -= 1
            return counts
        k -= 1
    raise ValueError(f"no valid cohort split for {teams}")


# =============================================================================================
# (a) Elderly care in a municipality
# =============================================================================================

def elderly_care(seed=2027_01):
    rng = random.Random(seed)
    # --- shifts: D 07-16, K 13:30-22, N 21:30-07 (crosses midnight)
    shift_types = [
        {"id": "D", "start": "07:00", "end": "16:00"},
        {"id": "K", "start": "13:30", "end": "22:00"},
        {"id": "N", "start": "21:30", "end": "07:00"},
    ]
    anchor = "2027-01-04"  # a Monday
    patterns = [
        # 3-week day rota, every third weekend worked
        {"id": "dag-3v", "anchor": anchor, "cycle":
            ["D", "D", "D", "D", "D", "-", "-",
             "-", "D", "D", "D", "D", "D", "D",
             "D", "D", "-", "D", "D", "-", "-"]},
        # 2-week mixed day/evening rota (home care), every other weekend evening
        {"id": "dag-kvall-2v", "anchor": anchor, "cycle":
            ["D", "D", "K", "K", "K", "-", "-",
             "-", "D", "D", "D", "-", "K", "K"]},
        # 3-week evening rota
        {"id": "kvall-3v", "anchor": anchor, "cycle":
            ["K", "K", "-", "-", "K", "K", "K",
             "-", "-", "K", "K", "K", "-", "-",
             "K", "K", "K", "-", "-", "-", "-"]},
        # 2-week night rota (7 nights / 2 weeks)
        {"id": "natt-2v", "anchor": anchor, "cycle":
            ["N", "N", "N", "-", "-", "-", "-",
             "-", "-", "-", "N", "N", "N", "N"]},
    ]
    # --- workplaces: (id, name, kind, teams[(id, pattern, offset, headcount, min_staffing)])
    W = [
        ("HT-CENTRUM", "Hemtjänst Centrum", "ht", [
            ("dag-a", "dag-3v", 0, 18, 14), ("dag-b", "dag-3v", 0, 16, 13),
            ("kvall", "kvall-3v", 0, 12, 9)]),
        ("HT-NORR", "Hemtjänst Norr (Kvarnbacken)", "ht", [
            ("dag-a", "dag-3v", 7, 17, 14), ("dag-b", "dag-3v", 7, 15, 12),
            ("kvall", "kvall-3v", 7, 11, 9)]),
        ("HT-SODER", "Hemtjänst Söder", "ht", [
            ("dag-a", "dag-kvall-2v", 0, 16, 13), ("dag-b", "dag-kvall-2v", 0, 14, 11),
            ("kvall", "kvall-3v", 14, 10, 8)]),
        ("HT-BJORKVIK", "Hemtjänst Björkvik–Ramsjö (landsbygd)", "ht", [
            ("dag-a", "dag-3v", 14, 14, 11), ("dag-b", "dag-3v", 14, 12, 10),
            ("kvall", "kvall-3v", 0, 9, 7)]),
        ("HT-NATT", "Nattpatrullen, hemtjänst", "natt", [
            ("natt-a", "natt-2v", 0, 10, 8), ("natt-b", "natt-2v", 7, 10, 8)]),
        ("SB-SOLGARDEN", "Solgårdens vård- och omsorgsboende", "sabo", [
            ("bjorken-dag", "dag-3v", 0, 18, 14), ("linden-dag", "dag-3v", 0, 17, 14),
            ("kvall", "kvall-3v", 0, 14, 11), ("natt", "natt-2v", 0, 9, 7)]),
        ("SB-EKBACKEN", "Ekbackens demensboende", "sabo", [
            ("dag-1", "dag-3v", 7, 16, 13), ("dag-2", "dag-3v", 7, 15, 12),
            ("kvall-1", "kvall-3v", 7, 10, 8), ("kvall-2", "kvall-3v", 7, 10, 8),
            ("natt", "natt-2v", 7, 8, 6)]),
        ("SB-LINDGARDEN", "Lindgårdens äldreboende", "sabo", [
            ("dag-1", "dag-kvall-2v", 0, 17, 14), ("dag-2", "dag-kvall-2v", 0, 15, 12),
            ("kvall", "kvall-3v", 14, 12, 9)]),
        ("SB-TALLBACKEN", "Tallbackens vård- och omsorgsboende", "sabo", [
            ("dag-1", "dag-3v", 14, 20, 16), ("dag-2", "dag-3v", 14, 18, 15),
            ("kvall", "kvall-3v", 7, 13, 10), ("natt", "natt-2v", 0, 10, 8)]),
        ("SB-STRANDLIDEN", "Strandlidens korttidsboende", "sabo", [
            ("dag-a", "dag-kvall-2v", 0, 13, 10), ("dag-b", "dag-kvall-2v", 0, 12, 10),
            ("kvall", "kvall-3v", 14, 9, 7)]),
    ]
    sites = [{"id": "S-" + w[0], "name": w[1]} for w in W]
    sites += [
        {"id": "S-VOC", "name": "Vård- och omsorgscollege, Lärcentrum Sjöbacka"},
        {"id": "S-TESTCENTER", "name": "Testcenter Vård- och omsorgscollege (Kvarngatan 4)"},
        {"id": "S-KOMMUNHUS", "name": "Kommunhuset, Sjöbacka"},
    ]
    # travel (minutes) between the college/town hall and the workplaces
    far = {"HT-BJORKVIK": 35, "SB-STRANDLIDEN": 25, "SB-TALLBACKEN": 20}
    pairs = []
    for w in W:
        t = far.get(w[0], rng.choice([8, 10, 12, 15]))
        pairs.append({"from": "S-VOC", "to": "S-" + w[0], "minutes": t})
        pairs.append({"from": "S-KOMMUNHUS", "to": "S-" + w[0], "minutes": t})
    pairs += [{"from": "S-VOC", "to": "S-TESTCENTER", "minutes": 5},
              {"from": "S-VOC", "to": "S-KOMMUNHUS", "minutes": 5},
              {"from": "S-TESTCENTER", "to": "S-KOMMUNHUS", "minutes": 8}]
    workplaces = [{"id": w[0], "name": w[1], "site": "S-" + w[0], "teams": [
        {"id": t[0], "pattern": t[1], "offset_days": t[2], "headcount": t[3], "min_staffing": t[4]}
        for t in w[3]]} for w in W]

    # --- rooms
    room_names = ["Personalrummet", "Samlingsrummet", "Konferensrummet Hjortron", "Dagrummet",
                  "Mötesrummet Vitsippan", "Konferensrummet Lingon", "Aktivitetsrummet"]
    rooms = []
    for w in W:
        n = 2 if w[2] in ("sabo", "ht") else 1
        names = rng.sample(room_names, n)
        for i, nm in enumerate(names):
            feats = ["projektor"] if i == 0 or rng.random() < 0.6 else []
            if w[0] in ("SB-SOLGARDEN", "SB-TALLBACKEN") and i == 0:
                feats = feats + ["hlr-utrustning"]
            rooms.append(room(f"R-{w[0]}-{i + 1}", f"{nm}, {w[1]}", "S-" + w[0], rng.choice([10, 12, 12, 14]),
                              feats))
    rooms += [
        room("R-VOC-A", "Sal A, Vård- och omsorgscollege", "S-VOC", 20, ["projektor", "hlr-utrustning"],
             [period("2027-02-15T08:00", "2027-02-15T17:00"), period("2027-04-20T12:00", "2027-04-22T17:00")]),
        room("R-VOC-B", "Sal B, Vård- och omsorgscollege", "S-VOC", 16, ["projektor"]),
        room("R-VOC-DATA", "Datasalen, Vård- och omsorgscollege", "S-VOC", 14, ["datorer", "projektor"],
             [period("2027-03-08T08:00", "2027-03-12T17:00")]),
        room("R-VOC-OVN", "Övningslägenheten, Vård- och omsorgscollege", "S-VOC", 10,
             ["projektor", "ovningslagenhet"]),
        room("R-TEST-1", "Testcenter, provrum 1", "S-TESTCENTER", 10, ["testcenter", "datorer"],
             [period("2027-05-24T00:00", "2027-05-28T23:59")]),
        room("R-TEST-2", "Testcenter, provrum 2 (praktiskt prov)", "S-TESTCENTER", 8,
             ["testcenter", "ovningslagenhet"]),
        room("R-KH-SAL", "Sessionssalen, Kommunhuset", "S-KOMMUNHUS", 24, ["projektor"],
             [period("2027-02-22T13:00", "2027-02-22T22:00"), period("2027-04-26T13:00", "2027-04-26T22:00"),
              period("2027-05-31T13:00", "2027-05-31T22:00")]),
        room("R-KH-DATA", "Datorsalen plan 2, Kommunhuset", "S-KOMMUNHUS", 12, ["datorer", "projektor"]),
    ]

    # --- modules
    modules = [
        module("BASHYG", "Basal hygien och smittskydd i vård och omsorg", 2, 120, location="workplace",
               min_gap=2, max_gap=21),
        module("VARDEGR", "Värdegrund och bemötande (webbinarium)", 2, 90, location="remote", min_gap=3),
        module("DEMENS", "Demens ABC plus – personcentrerad vård", 3, 180, features=["projektor"],
               location="workplace", min_gap=5, max_gap=28),
        module("LAKEM", "Läkemedelshantering och delegering", 2, 180, features=["projektor"],
               location="any", min_gap=3, max_gap=21),
        module("SVV-SAMTAL", "Svenska i vården – samtal, bemötande och rapport", 4, 180,
               qual="SVA", location="workplace", min_gap=3, max_gap=14),
        module("SVV-SKRIVA", "Svenska i vården – skriva och dokumentera", 2, 120, qual="SVA",
               features=["datorer"], location="any", min_gap=3),
        module("DOK", "Social dokumentation enligt IBIC", 2, 120, features=["datorer"], location="any",
               min_gap=3),
        module("DIGI", "Digital kompetens och välfärdsteknik", 2, 120, features=["datorer"], location="any",
               min_gap=2),
        module("VALID", "Validering undersköterska (kartläggning, teori- och praktiskt prov)", 3, 240,
               qual="VALIDERING", features=["testcenter"], location="any", min_gap=5, max_gap=28),
        module("HLR", "HLR, brandskydd och nattens säkerhetsrutiner", 2, 120, features=["hlr-utrustning"],
               location="any", min_gap=3),
    ]
    tracks = [
        {"id": "USK-BAS", "name": "Undersköterska bas (Äldreomsorgslyftet)",
         "modules": ["BASHYG", "VARDEGR", "DEMENS", "LAKEM"], "min_group": 5, "max_group": 10,
         "mix_workplaces": False},
        {"id": "SVV", "name": "Svenska i vården", "modules": ["SVV-SAMTAL", "SVV-SKRIVA"],
         "min_group": 4, "max_group": 10, "mix_workplaces": False},
        {"id": "DOK-DIGI", "name": "Dokumentation och digital kompetens", "modules": ["DIGI", "DOK"],
         "min_group": 5, "max_group": 12, "mix_workplaces": True},
        {"id": "VALIDERING", "name": "Validering mot undersköterska", "modules": ["VALID"],
         "min_group": 4, "max_group": 8, "mix_workplaces": True},
        {"id": "NATT", "name": "Nattpersonal: hygien, HLR och säkerhet", "modules": ["BASHYG", "HLR"],
         "min_group": 4, "max_group": 10, "mix_workplaces": True},
    ]

    # --- trainers
    day = weekly(WEEKDAYS, "07:30", "17:00")
    long_day = weekly(["mon", "tue", "wed", "thu"], "07:30", "19:00") + weekly(["fri"], "07:30", "16:00")
    late = weekly(["mon", "tue", "wed", "thu"], "12:00", "19:00") + weekly(["fri"], "08:00", "16:00")
    trainers = [
        trainer("T-ANNA", "Anna Lindqvist", ["BASHYG", "HLR"], "S-VOC", avail=long_day, max_week=1440,
                cost=720, unavailable=[period("2027-02-22T00:00", "2027-02-26T23:59")]),
        trainer("T-KARIN", "Karin Bergström", ["BASHYG", "LAKEM"], "S-KOMMUNHUS", avail=day, max_week=1440,
                cost=780),
        trainer("T-HELENA", "Helena Nyström", ["DEMENS", "VARDEGR"], "S-VOC", avail=long_day, max_week=1620,
                per_day=2, cost=750),
        trainer("T-MALIN", "Malin Hedlund", ["DEMENS", "BASHYG"], "S-SB-EKBACKEN", avail=late,
                max_week=1440, cost=690),
        trainer("T-PER", "Per Ekström", ["DEMENS", "VARDEGR", "DOK"], "S-VOC", avail=day, max_week=1440,
                cost=700, unavailable=[period("2027-04-05T00:00", "2027-04-09T23:59")]),
        trainer("T-SOFIA", "Sofia Wikström", ["LAKEM", "BASHYG"], "S-VOC", avail=long_day, max_week=1200,
                cost=820),
        trainer("T-NADIA", "Nadia Khalil", ["LAKEM", "BASHYG", "VARDEGR"], "S-SB-SOLGARDEN",
                langs=["sv", "ar", "en"], avail=day, max_week=1200, cost=800),
        trainer("T-AMRA", "Amra Begić", ["BASHYG", "DEMENS", "VARDEGR", "LAKEM"], "S-SB-TALLBACKEN",
                langs=["sv", "bs", "hr", "sr"], avail=long_day, max_week=1440, cost=760),
        trainer("T-JOHANNA", "Johanna Engström", ["SVA"], "S-VOC", avail=long_day, max_week=1800, cost=620),
        trainer("T-ULRIKA", "Ulrika Strand", ["SVA", "DOK"], "S-VOC", avail=late, max_week=1620, cost=620),
        trainer("T-ERIK", "Erik Lundin", ["DIGI", "DOK"], "S-KOMMUNHUS", avail=day, max_week=1440, cost=600),
        trainer("T-LINDA", "Linda Bäckström", ["VALIDERING", "DEMENS"], "S-TESTCENTER", avail=day,
                max_week=1440, cost=850),
        trainer("T-MARIE", "Marie Nyberg", ["VALIDERING", "LAKEM"], "S-TESTCENTER", avail=day,
                max_week=1200, cost=850),
        trainer("T-JONAS", "Jonas Berglund", ["HLR", "BASHYG", "VARDEGR"], "S-VOC", avail=day,
                max_week=1200, cost=600),
        trainer("T-CAMILLA", "Camilla Öberg", ["DEMENS", "VARDEGR"], "S-SB-LINDGARDEN", avail=late,
                max_week=1440, cost=700),
    ]
    interp_avail = weekly(WEEKDAYS, "07:30", "19:00")
    interpreters = [
        {"id": "I-RANIA", "name": "Rania Haddad", "languages": ["ar", "sv"], "home_site": "S-KOMMUNHUS",
         "available": interp_avail, "unavailable": [period("2027-03-15T00:00", "2027-03-19T23:59")]},
        {"id": "I-HODAN", "name": "Hodan Warsame", "languages": ["so", "ar", "sv"], "home_site": "S-KOMMUNHUS",
         "available": interp_avail, "unavailable": []},
        {"id": "I-YONAS", "name": "Yonas Tesfay", "languages": ["ti", "am", "sv"], "home_site": "S-VOC",
         "available": weekly(["mon", "tue", "wed", "thu"], "08:00", "19:00"), "unavailable": []},
        {"id": "I-MARYAM", "name": "Maryam Rezaei", "languages": ["fa", "sv"], "home_site": "S-VOC",
         "available": weekly(WEEKDAYS, "08:00", "17:00"), "unavailable": ["2027-05-14"]},
    ]

    # --- participants and plans
    used_ids = set()

    def pid():
        while True:
            x = f"SJB-{rng.randint(1000, 9999)}"
            if x not in used_ids:
                used_ids.add(x)
                return x

    plans = []

    def mkplan(pid_, wp, track, people, earliest, deadline, target, on=True, off=False):
        if not people:
            return
        plans.append({"id": pid_, "workplace": wp, "track": track, "participants": people,
                      "earliest": earliest, "deadline": deadline, "target": target,
                      "allow_on_shift": on, "allow_off_shift": off})

    for w in W:
        wid, kind, teams = w[0], w[2], w[3]
        budget = {t[0]: t[3] - 2 for t in teams}  # persons per team taking part (some never can)
        day_teams = [t for t in teams if t[1] in ("dag-3v", "dag-kvall-2v")]
        eve_teams = [t for t in teams if t[1] == "kvall-3v"]
        night_teams = [t for t in teams if t[1] == "natt-2v"]

        def take(t, n):
            n = min(n, budget[t[0]])
            budget[t[0]] -= n
            return [{"id": pid(), "team": t[0]} for _ in range(n)]

        if day_teams:
            # Undersköterska bas for day staff, inside their own shifts (no overtime): cohorts
            # must mix the day teams (each may only lose `slack` people at a time).
            k = 4 if sum(t[3] for t in day_teams) >= 28 else 3
            counts = alloc(rng, [(t[0], t[3] - t[4], budget[t[0]] - 5) for t in day_teams], 5, 10, k)
            people = [p for t in day_teams for p in take(t, counts[t[0]])]
            if wid == "SB-TALLBACKEN":  # Bosnian speakers: Amra Begić teaches them, no interpreter
                for p in people[:3]:
                    p["language"] = "bs"
            else:
                lang = rng.choice(["ar", "ar", "so", "ti", "fa"])
                for p in rng.sample(people, rng.choice([1, 2, 2, 3])):
                    p["language"] = lang
            mkplan(f"HP-{wid}-USK-DAG", wid, "USK-BAS", people, "2027-01-18", "2027-06-11", "2027-05-21")
            # Svenska i vården for day staff, own shift; about half of them also take USK (same id)
            mine = {t[0]: [p for p in people if p["team"] == t[0] and "language" not in p] for t in day_teams}
            counts = alloc(rng, [(t[0], t[3] - t[4], min(6, len(mine[t[0]]) // 2 + budget[t[0]]))
                                 for t in day_teams], 4, 10, rng.choice([1, 2, 2]))
            svv = []
            for t in day_teams:
                both = rng.sample(mine[t[0]], min(len(mine[t[0]]) // 2, counts[t[0]]))
                svv += [{"id": p["id"], "team": p["team"]} for p in both]
                svv += take(t, counts[t[0]] - len(both))
            mkplan(f"HP-{wid}-SVV-DAG", wid, "SVV", svv, "2027-01-25", "2027-06-04", "2027-05-14")
            # validation for experienced vårdbiträden (towards undersköterska), at the test centre
            vv = [p for t in day_teams for p in take(t, rng.choice([1, 2, 2, 3]))]
            mkplan(f"HP-{wid}-VALID", wid, "VALIDERING", vv, "2027-02-15", "2027-06-11", "2027-05-28",
                   on=True, off=True)
            # documentation + digital competence: a few per workplace, cohorts mixed across the
            # workplaces whose day staff work the same rota phase; inside their own shifts
            dd = [p for t in day_teams for p in take(t, rng.choice([2, 2, 3]))]
            mkplan(f"HP-{wid}-DOKDIGI", wid, "DOK-DIGI", dd, "2027-02-01", "2027-06-11", "2027-05-28")
        if eve_teams:
            people = [p for t in eve_teams for p in take(t, rng.choice([6, 7, 8, 9]))]
            if rng.random() < 0.5:
                lang = rng.choice(["ar", "so", "ti"])
                for p in rng.sample(people, 2):
                    p["language"] = lang
            # evening staff: on their own shift (14:30) when staffing allows, else daytime overtime
            mkplan(f"HP-{wid}-USK-KVALL", wid, "USK-BAS", people, "2027-01-18", "2027-06-11", "2027-05-21",
                   on=True, off=True)
        if night_teams:
            people = [p for t in night_teams for p in take(t, rng.choice([3, 4, 5]))]
            mkplan(f"HP-{wid}-NATT", wid, "NATT", people, "2027-01-25", "2027-06-11", "2027-04-30",
                   on=True, off=True)

    scn = {
        "format": "modulplan/scenario-1",
        "id": "aldreomsorg-sjobacka-2027v",
        "name": "Sjöbacka kommun, äldreomsorgen: Äldreomsorgslyftet vår 2027",
        "timezone": "Europe/Stockholm",
        "horizon": {"start": "2027-01-18", "end": "2027-06-11"},
        "calendar": {
            "holidays": "SE",
            "closed": [
                {"start": "2027-05-07", "end": "2027-05-07",
                 "reason": "klämdag efter Kristi himmelsfärd, Vård- och omsorgscollege stängt"},
                {"start": "2027-04-01", "end": "2027-04-01",
                 "reason": "skärtorsdag: ingen utbildning (bemanningen prioriteras inför påsk)"},
            ],
            "weekdays": WEEKDAYS,
            "start_times": ["08:00", "09:00", "13:00", "14:30"],
            "daily_rest_hours": 11,
        },
        "shift_types": shift_types,
        "shift_patterns": patterns,
        "sites": sites,
        "travel": {"default_minutes": 15, "pairs": pairs},
        "workplaces": workplaces,
        "rooms": rooms,
        "trainers": trainers,
        "interpreters": interpreters,
        "modules": modules,
        "tracks": tracks,
        "action_plans": plans,
        "weights": {},
    }
    return scn


# =============================================================================================
# (b) Industrial plant (paper mill) with 5-shift continuous crews
# =============================================================================================

def industrial_plant(seed=2027_02):
    rng = random.Random(seed)
    shift_types = [
        {"id": "F", "start": "06:00", "end": "14:00"},
        {"id": "E", "start": "14:00", "end": "22:00"},
        {"id": "N", "start": "22:00", "end": "06:00"},
        {"id": "DAG", "start": "07:00", "end": "16:00"},
    ]
    anchor = "2027-06-28"  # a Monday
    patterns = [
        # classic 10-day continuous 5-shift: crews at offsets 0,2,4,6,8 cover every shift
        {"id": "femskift-10d", "anchor": anchor, "cycle": ["F", "F", "E", "E", "N", "N", "-", "-", "-", "-"]},
        # 5-week continuous 5-shift (crews at offsets 0,7,14,21,28), 33.6 h/week
        {"id": "femskift-5v", "anchor": anchor, "cycle":
            ["F", "F", "F", "-", "-", "-", "-",
             "E", "E", "E", "F", "F", "F", "F",
             "N", "N", "N", "E", "E", "E", "E",
             "-", "-", "-", "N", "N", "N", "N",
             "-", "-", "-", "-", "-", "-", "-"]},
        {"id": "dagtid", "anchor": anchor, "cycle": ["DAG"] * 5 + ["-", "-"]},
        # two-shift, a week of F then a week of E (weekdays)
        {"id": "tvaskift-2v", "anchor": anchor, "cycle": ["F"] * 5 + ["-", "-"] + ["E"] * 5 + ["-", "-"]},
    ]
    sites = [
        {"id": "S-PM5", "name": "Ålvikens bruk, PM 5-hallen"},
        {"id": "S-MASSA", "name": "Ålvikens bruk, massafabriken (fiberlinjen)"},
        {"id": "S-VERKSTAD", "name": "Ålvikens bruk, centralverkstaden"},
        {"id": "S-LAGER", "name": "Ålvikens bruk, färdigvarulager och utlastning"},
        {"id": "S-KONTOR", "name": "Ålvikens bruk, huvudkontoret med utbildningscentrum"},
        {"id": "S-RTJ", "name": "Räddningstjänsten Ålviken, övningsfältet"},
        {"id": "S-TRUCKSKOLAN", "name": "Truckskolan i Norr AB, Sundsvik"},
        {"id": "S-LC", "name": "Lärcentrum Ålviken"},
    ]
    inner = ["S-PM5", "S-MASSA", "S-VERKSTAD", "S-LAGER", "S-KONTOR"]
    pairs = []
    for i, a in enumerate(inner):
        for b in inner[i + 1:]:
            pairs.append({"from": a, "to": b, "minutes": rng.choice([5, 5, 10])})
    for a in inner:
        pairs.append({"from": a, "to": "S-RTJ", "minutes": 15})
        pairs.append({"from": a, "to": "S-TRUCKSKOLAN", "minutes": 45})
        pairs.append({"from": a, "to": "S-LC", "minutes": 12})
    pairs += [{"from": "S-RTJ", "to": "S-LC", "minutes": 10},
              {"from": "S-RTJ", "to": "S-TRUCKSKOLAN", "minutes": 40},
              {"from": "S-LC", "to": "S-TRUCKSKOLAN", "minutes": 40}]
    crews10 = [(f"skiftlag-{i + 1}", "femskift-10d", 2 * i, 13, 11) for i in range(5)]
    crews5v = [(f"skiftlag-{i + 1}", "femskift-5v", 7 * i, 12, 10) for i in range(5)]
    W = [
        ("PM5", "Pappersmaskin 5 (PM 5)", "S-PM5", crews10),
        ("MASSA", "Massafabriken – fiberlinje och blekeri", "S-MASSA", crews5v),
        ("UH", "Underhåll – mekanik, el och instrument", "S-VERKSTAD", [
            ("mek-dag", "dagtid", 0, 22, 17), ("el-instr-dag", "dagtid", 0, 12, 9),
            ("uh-skift", "tvaskift-2v", 0, 8, 6)]),
        ("LOG", "Logistik – färdigvarulager och utlastning", "S-LAGER", [
            ("lager-a", "tvaskift-2v", 0, 11, 9), ("lager-b", "tvaskift-2v", 7, 11, 9),
            ("utlastning-dag", "dagtid", 0, 9, 7)]),
        ("KVAL", "Kvalitet och laboratorium", "S-KONTOR", [
            ("lab-dag", "dagtid", 0, 12, 9), ("lab-skift", "tvaskift-2v", 7, 6, 4)]),
    ]
    workplaces = [{"id": w[0], "name": w[1], "site": w[2], "teams": [
        {"id": t[0], "pattern": t[1], "offset_days": t[2], "headcount": t[3], "min_staffing": t[4]}
        for t in w[3]]} for w in W]
    rooms = [
        room("R-KONTOR-BJORN", "Utbildningssalen Björn, huvudkontoret", "S-KONTOR", 20, ["projektor"],
             [period("2027-09-14T08:00", "2027-09-14T17:00"), period("2027-11-23T08:00", "2027-11-24T17:00")]),
        room("R-KONTOR-ALGEN", "Konferensrum Älgen, huvudkontoret", "S-KONTOR", 12, ["projektor"]),
        room("R-KONTOR-DATA", "Datasalen, utbildningscentrum", "S-KONTOR", 12, ["datorer", "projektor"]),
        room("R-KONTOR-SIM", "Simulatorrummet (DCS-simulator), utbildningscentrum", "S-KONTOR", 8,
             ["simulator", "datorer"], [period("2027-09-27T07:00", "2027-09-29T17:00")]),
        room("R-PM5-SKIFT", "Skiftlagsrummet PM 5", "S-PM5", 10, ["projektor"]),
        room("R-PM5-MOTE", "Mötesrummet vid kontrollrummet PM 5", "S-PM5", 8, ["projektor"],
             [period("2027-10-04T06:00", "2027-10-08T18:00")]),
        room("R-MASSA-MOTE", "Mötesrummet fiberlinjen", "S-MASSA", 10, ["projektor"]),
        room("R-MASSA-PAUS", "Pausrummet blekeriet", "S-MASSA", 8, []),
        room("R-VERK-SAL", "Verkstadens lektionssal", "S-VERKSTAD", 12, ["projektor", "verkstad"]),
        room("R-VERK-HYD", "Hydraulikverkstaden (övningsriggar)", "S-VERKSTAD", 8,
             ["hydraulikrigg", "verkstad"]),
        room("R-LAGER-TRUCK", "Truckövningsbanan, lagret", "S-LAGER", 8, ["truckbana"],
             [period("2027-10-18T00:00", "2027-10-22T23:59")]),
        room("R-LAGER-KONTOR", "Lagerkontoret", "S-LAGER", 8, ["projektor"]),
        room("R-RTJ-SAL", "Lektionssalen, övningsfältet", "S-RTJ", 16, ["projektor", "brandovning"]),
        room("R-LC-1", "Lärcentrum Ålviken, sal 1", "S-LC", 16, ["projektor", "datorer"]),
    ]
    modules = [
        module("TRUCK-T", "Truckteori A+B (TLP 10)", 2, 240, qual="TRUCK", features=["projektor"],
               location="any", min_gap=2, max_gap=21),
        module("TRUCK-P", "Truck praktik och uppkörning", 2, 180, qual="TRUCK", features=["truckbana"],
               location="any", min_gap=2, max_gap=21),
        module("HETA", "Heta arbeten (teori, släckövning och certifikatprov)", 2, 240, features=["brandovning"],
               location="any", min_gap=2, max_gap=14),
        module("ELSAK", "Elsäkerhet vid arbete (ESA)", 2, 180, features=["projektor"], location="any",
               min_gap=3),
        module("LEAN-GRUND", "Lean grund – flöde, slöseri och 5S", 3, 180, qual="LEAN", features=["projektor"],
               location="workplace", min_gap=5, max_gap=28),
        module("LEAN-STYRNING", "Daglig styrning och förbättringstavlor", 2, 120, qual="LEAN",
               location="workplace", min_gap=3),
        module("LEAN-A3", "Problemlösning med A3 och PDCA", 2, 180, qual="LEAN", features=["projektor"],
               location="any", min_gap=4, max_gap=28),
        module("PROC-GRUND", "Processkunskap – från massa till rulle", 3, 180, qual="PROCESS",
               features=["projektor"], location="workplace", min_gap=4, max_gap=28),
        module("PROC-SIM", "Processtyrning och störningshantering i DCS-simulatorn", 2, 240, qual="PROCESS",
               features=["simulator"], location="any", min_gap=3, max_gap=21),
        module("TPM", "Förebyggande underhåll och TPM", 3, 180, features=["projektor"], location="any",
               min_gap=5, max_gap=28),
        module("HYDRAULIK", "Hydraulik grund", 2, 240, features=["hydraulikrigg"], location="any", min_gap=3),
        module("KEMSAK", "Kemikaliesäkerhet – klordioxid, lut och riskbedömning (digitalt)", 2, 90,
               location="remote", min_gap=2),
    ]
    tracks = [
        {"id": "TRUCK", "name": "Truckkort A+B", "modules": ["TRUCK-T", "TRUCK-P"], "min_group": 4,
         "max_group": 8, "mix_workplaces": False},
        {"id": "HETA", "name": "Heta arbeten", "modules": ["HETA"], "min_group": 5, "max_group": 10,
         "mix_workplaces": False},
        {"id": "ELSAK", "name": "Elsäkerhet", "modules": ["ELSAK"], "min_group": 4, "max_group": 10,
         "mix_workplaces": False},
        {"id": "LEAN", "name": "Lean och ständiga förbättringar", "modules": ["LEAN-GRUND", "LEAN-A3", "LEAN-STYRNING"],
         "min_group": 5, "max_group": 10, "mix_workplaces": False},
        {"id": "PROCESS", "name": "Processkunskap och simulatorträning för operatörer",
         "modules": ["PROC-GRUND", "PROC-SIM"], "min_group": 4, "max_group": 8, "mix_workplaces": False},
        {"id": "UNDERHALL", "name": "Underhållsteknik: TPM och hydraulik", "modules": ["TPM", "HYDRAULIK"],
         "min_group": 4, "max_group": 8, "mix_workplaces": False},
        {"id": "KEMSAK", "name": "Kemikaliesäkerhet", "modules": ["KEMSAK"], "min_group": 5, "max_group": 12,
         "mix_workplaces": False},
    ]
    day = weekly(WEEKDAYS, "07:00", "17:00")
    late = weekly(["mon", "tue", "wed", "thu"], "07:00", "19:00") + weekly(["fri"], "07:00", "15:00")
    trainers = [
        trainer("T-MIKAEL", "Mikael Johansson", ["TRUCK"], "S-TRUCKSKOLAN", avail=late, max_week=1680,
                per_day=2, cost=780, unavailable=[period("2027-10-25T00:00", "2027-10-29T23:59")]),
        trainer("T-LENA", "Lena Håkansson", ["TRUCK"], "S-TRUCKSKOLAN", avail=late, max_week=1440, cost=780),
        trainer("T-STEFAN", "Stefan Holmgren", ["HETA"], "S-RTJ", avail=late, max_week=1440, cost=850),
        trainer("T-OLA", "Ola Björklund", ["HETA", "KEMSAK"], "S-RTJ", avail=day, max_week=1200, cost=850),
        trainer("T-ANDERS", "Anders Hägglund", ["ELSAK", "TPM"], "S-VERKSTAD", avail=late, max_week=1440,
                cost=700),
        trainer("T-FREDRIK", "Fredrik Nordström", ["ELSAK"], "S-LC", avail=day, max_week=1200, cost=720),
        trainer("T-JOHAN", "Johan Sjögren", ["LEAN"], "S-KONTOR", avail=late, max_week=1800, per_day=2,
                cost=600),
        trainer("T-ASA", "Åsa Norberg", ["LEAN"], "S-LC", avail=late, max_week=1440, cost=890,
                unavailable=[period("2027-11-15T00:00", "2027-11-19T23:59")]),
        trainer("T-TOBIAS", "Tobias Lindberg", ["LEAN"], "S-PM5", avail=late, max_week=1200, cost=560),
        trainer("T-MAGNUS", "Magnus Vikström", ["TPM", "HYDRAULIK"], "S-VERKSTAD", avail=late, max_week=1440,
                cost=650),
        trainer("T-KRISTINA", "Kristina Sandberg", ["PROCESS"], "S-PM5", avail=late, max_week=1440,
                cost=640),
        trainer("T-NIKLAS", "Niklas Dahlberg", ["PROCESS", "LEAN"], "S-MASSA", avail=late, max_week=1440,
                cost=640, unavailable=[period("2027-10-11T00:00", "2027-10-15T23:59")]),
        trainer("T-HANS", "Hans Eriksson", ["HYDRAULIK", "TPM"], "S-LC", avail=day, max_week=1200, cost=700),
        trainer("T-INGRID", "Ingrid Wallin", ["KEMSAK"], "S-MASSA", avail=late, max_week=1200, cost=650,
                langs=["sv", "fi"]),
        trainer("T-PETER", "Peter Sundqvist", ["KEMSAK", "HETA"], "S-KONTOR", avail=late, max_week=1200,
                cost=700),
    ]
    interpreters = [
        {"id": "I-AHMAD", "name": "Ahmad Al-Sayed", "languages": ["ar", "sv"], "home_site": "S-LC",
         "available": weekly(WEEKDAYS, "07:00", "19:00"), "unavailable": []},
        {"id": "I-AGNIESZKA", "name": "Agnieszka Nowak", "languages": ["pl", "sv", "en"], "home_site": "S-LC",
         "available": weekly(["mon", "tue", "wed", "thu"], "07:00", "19:00"),
         "unavailable": [period("2027-09-20T00:00", "2027-09-24T23:59")]},
    ]
    plans = []
    WIN = ("2027-08-09", "2027-12-17")

    def mkplan(pid_, wp, track, people, target, on=True, off=True, earliest=WIN[0], deadline=WIN[1]):
        plans.append({"id": pid_, "workplace": wp, "track": track, "participants": people,
                      "earliest": earliest, "deadline": deadline, "target": target,
                      "allow_on_shift": on, "allow_off_shift": off})

    def counted(team, n, lang=None):
        e = {"team": team, "count": n}
        if lang:
            e["language"] = lang
        return e

    used = set()

    def named(team, n, lang=None, prefix="ALV"):
        out = []
        for _ in range(n):
            while True:
                x = f"{prefix}-{rng.randint(10000, 99999)}"
                if x not in used:
                    used.add(x)
                    break
            e = {"id": x, "team": team}
            if lang:
                e["language"] = lang
            out.append(e)
        return out

    # PM 5: Lean for the crews (on shift when staffing allows, else overtime), truck licences and
    # hot work for a few per crew strictly on overtime (the machine must run)
    mkplan("HP-PM5-LEAN", "PM5", "LEAN", [counted(t[0], rng.choice([4, 5, 6])) for t in crews10], "2027-11-26")
    mkplan("HP-PM5-PROCESS", "PM5", "PROCESS", [counted(t[0], 3) for t in crews10], "2027-12-03")
    mkplan("HP-PM5-TRUCK", "PM5", "TRUCK", [counted(t[0], 2) for t in crews10], "2027-10-29", on=False)
    # (a cohort can hold at most ~3 phase-adjacent crews: the crew coming off nights, and the one
    # between two N or E shifts, cannot take a session without breaking the 11 h daily rest)
    mkplan("HP-PM5-HETA", "PM5", "HETA", [counted(t[0], 2) for t in crews10[:3]], "2027-10-15", on=False)
    # Massafabriken: chemical safety (remote, off shift), Lean, hot work
    kem = [p for t in crews5v for p in named(t[0], 3)]
    kem[7]["language"] = "pl"
    mkplan("HP-MASSA-KEMSAK", "MASSA", "KEMSAK", kem, "2027-09-30", on=False)
    mkplan("HP-MASSA-LEAN", "MASSA", "LEAN", [counted(t[0], rng.choice([4, 5])) for t in crews5v],
           "2027-11-26")
    mkplan("HP-MASSA-HETA", "MASSA", "HETA", [counted(t[0], 2) for t in crews5v[2:]], "2027-10-15", on=False)
    mkplan("HP-MASSA-PROCESS", "MASSA", "PROCESS", [counted(t[0], 2) for t in crews5v], "2027-12-03")
    # Underhåll: named people, several take more than one track.  Day workers are on shift at
    # every start time, so their cohorts must mix mek and el (slack 5 and 3).
    mek, el, sk = named("mek-dag", 18, prefix="ALV-UH"), named("el-instr-dag", 10, prefix="ALV-UH"), \
        named("uh-skift", 6, prefix="ALV-UH")
    el[8]["language"] = "ar"
    el[9]["language"] = "ar"
    mkplan("HP-UH-HETA", "UH", "HETA", mek[0:10] + el[0:2] + sk[0:3], "2027-10-15")
    mkplan("HP-UH-ELSAK", "UH", "ELSAK", el[2:8] + mek[10:16], "2027-11-12", off=False)
    mkplan("HP-UH-UNDERHALL", "UH", "UNDERHALL", mek[4:12] + sk[2:6] + el[7:10], "2027-12-03")
    mkplan("HP-UH-TRUCK", "UH", "TRUCK", mek[14:18] + el[0:2], "2027-11-26", off=False)
    # Logistik: truck licences for the two-shift warehouse teams, Lean for everybody
    truck = named("lager-a", 6) + named("lager-b", 5) + named("lager-b", 2, "pl")
    mkplan("HP-LOG-TRUCK", "LOG", "TRUCK", truck, "2027-10-01")
    mkplan("HP-LOG-LEAN", "LOG", "LEAN", [counted("lager-a", 5), counted("lager-b", 4),
                                          counted("utlastning-dag", 3)], "2027-11-26")
    # Kvalitet och laboratorium
    mkplan("HP-KVAL-LEAN", "KVAL", "LEAN", [counted("lab-dag", 3), counted("lab-skift", 3)], "2027-11-26")
    mkplan("HP-KVAL-KEMSAK", "KVAL", "KEMSAK", [counted("lab-dag", 3), counted("lab-skift", 3)], "2027-09-30")

    return {
        "format": "modulplan/scenario-1",
        "id": "alvikens-bruk-2027h",
        "name": "Ålvikens bruk: kompetenslyft för skiftlag och underhåll, hösten 2027",
        "timezone": "Europe/Stockholm",
        "horizon": {"start": "2027-07-01", "end": "2027-12-31"},
        "calendar": {
            "holidays": "SE",
            "closed": [
                {"start": "2027-07-05", "end": "2027-08-06",
                 "reason": "sommarstopp: underhållsstopp och semester, ingen utbildning"},
                {"start": "2027-12-20", "end": "2027-12-31", "reason": "julstopp"},
            ],
            "weekdays": WEEKDAYS,
            "start_times": ["07:00", "08:00", "13:00", "14:30"],
            "daily_rest_hours": 11,
        },
        "shift_types": shift_types,
        "shift_patterns": patterns,
        "sites": sites,
        "travel": {"default_minutes": 20, "pairs": pairs},
        "workplaces": workplaces,
        "rooms": rooms,
        "trainers": trainers,
        "interpreters": interpreters,
        "modules": modules,
        "tracks": tracks,
        "action_plans": plans,
        "weights": {},
    }


# =============================================================================================
# (c) A learning-centre network of four municipalities
# =============================================================================================

def learning_centre_network(seed=2027_03):
    rng = random.Random(seed)
    shift_types = [
        {"id": "KONTOR", "start": "08:00", "end": "16:30"},
        {"id": "KOK", "start": "06:30", "end": "15:00"},
        {"id": "DAG", "start": "07:00", "end": "16:00"},
        {"id": "F", "start": "06:00", "end": "14:30"},
        {"id": "E", "start": "14:30", "end": "23:00"},
        {"id": "K", "start": "13:30", "end": "22:00"},
    ]
    anchor = "2027-08-16"  # a Monday
    patterns = [
        {"id": "kontorstid", "anchor": anchor, "cycle": ["KONTOR"] * 5 + ["-", "-"]},
        {"id": "storkok", "anchor": anchor, "cycle": ["KOK"] * 5 + ["-", "-"]},
        {"id": "dagtid", "anchor": anchor, "cycle": ["DAG"] * 5 + ["-", "-"]},
        {"id": "tvaskift-2v", "anchor": anchor, "cycle": ["F"] * 5 + ["-", "-"] + ["E"] * 5 + ["-", "-"]},
        {"id": "vard-dag-kvall-2v", "anchor": anchor, "cycle":
            ["DAG", "DAG", "K", "K", "K", "-", "-", "-", "DAG", "DAG", "DAG", "-", "K", "K"]},
        {"id": "vard-kvall-3v", "anchor": anchor, "cycle":
            ["K", "K", "-", "-", "K", "K", "K", "-", "-", "K", "K", "K", "-", "-",
             "K", "K", "K", "-", "-", "-", "-"]},
    ]
    LC = {"HED": ("S-LC-HEDBY", "Lärcentrum Hedby (Hedby kommun)"),
          "STO": ("S-LC-STORSJOVIK", "Lärcentrum Storsjövik (Storsjöviks kommun)"),
          "LIL": ("S-LC-LILLAN", "Lärcentrum Lillån (Lilláns kommun)"),
          "BER": ("S-LC-BERGSVIK", "Lärcentrum Bergsvik (Bergsviks kommun)")}
    lc_travel = {("HED", "LIL"): 20, ("HED", "STO"): 35, ("HED", "BER"): 55, ("STO", "LIL"): 45,
                 ("STO", "BER"): 70, ("LIL", "BER"): 40}
    # workplaces: (id, name, municipality, kind, teams[(id, pattern, offset, headcount, min)])
    W = [
        ("HED-KOMMUNHUS", "Hedby kommun, kommunledningskontoret", "HED", "kontor",
         [("kontor", "kontorstid", 0, 14, 11)]),
        ("HED-KONTAKT", "Hedby kommun, kontaktcenter och medborgarservice", "HED", "kontor",
         [("kontor", "kontorstid", 0, 9, 7)]),
        ("HED-CENTRALKOK", "Centralköket Hedby", "HED", "kok", [("kok", "storkok", 0, 10, 8)]),
        ("HED-SKOLKOK", "Skolköket Hedbyskolan", "HED", "kok", [("kok", "storkok", 0, 6, 4)]),
        ("HED-HEMTJANST", "Hemtjänst Hedby Öst", "HED", "vard",
         [("dag", "vard-dag-kvall-2v", 0, 12, 9), ("kvall", "vard-kvall-3v", 7, 8, 6)]),
        ("HED-MEKANISKA", "Hedby Mekaniska AB", "HED", "smf", [("verkstad", "dagtid", 0, 14, 11)]),
        ("HED-NORDPLAST", "Nordplast i Hedby AB", "HED", "smf",
         [("skift-a", "tvaskift-2v", 0, 12, 9), ("skift-b", "tvaskift-2v", 7, 12, 9)]),
        ("STO-KOMMUN", "Storsjöviks kommun, kommunkontoret", "STO", "kontor",
         [("kontor", "kontorstid", 0, 12, 9)]),
        ("STO-SKOLKOK", "Skolköket Storsjöviksskolan", "STO", "kok", [("kok", "storkok", 0, 7, 5)]),
        ("STO-LSS", "LSS-boendet Tallen", "STO", "vard", [("dag", "vard-dag-kvall-2v", 7, 9, 7)]),
        ("STO-TRA", "Storsjövik Trä AB (sågverk)", "STO", "smf",
         [("skift-a", "tvaskift-2v", 0, 14, 11), ("skift-b", "tvaskift-2v", 7, 14, 11)]),
        ("STO-BYGG", "Storsjöviks Bygg & Fastighet AB", "STO", "smf", [("bygg", "dagtid", 0, 9, 7)]),
        ("LIL-KOMMUN", "Lilláns kommun, kommunkontoret", "LIL", "kontor", [("kontor", "kontorstid", 0, 10, 8)]),
        ("LIL-KOK", "Tillagningsköket Lillåskolan", "LIL", "kok", [("kok", "storkok", 0, 6, 4)]),
        ("LIL-HEMTJANST", "Hemtjänst Lillån", "LIL", "vard",
         [("dag", "vard-dag-kvall-2v", 7, 11, 8), ("kvall", "vard-kvall-3v", 0, 7, 5)]),
        ("LIL-SNICKERI", "Lilláns Snickerifabrik AB", "LIL", "smf", [("verkstad", "dagtid", 0, 10, 8)]),
        ("BER-KOMMUN", "Bergsviks kommun, kommunkontoret", "BER", "kontor", [("kontor", "kontorstid", 0, 10, 8)]),
        ("BER-KOK", "Skolköket Bergsviksskolan", "BER", "kok", [("kok", "storkok", 0, 6, 4)]),
        ("BER-BERGSGARDEN", "Bergsgårdens äldreboende", "BER", "vard",
         [("dag", "vard-dag-kvall-2v", 0, 13, 10), ("kvall", "vard-kvall-3v", 14, 9, 7)]),
        ("BER-PLAT", "Bergsviks Plåt & Smide AB", "BER", "smf", [("verkstad", "dagtid", 0, 11, 9)]),
        ("BER-AKERI", "Bergsviks Åkeri och Logistik AB", "BER", "smf", [("terminal", "dagtid", 0, 8, 6)]),
    ]
    sites = [{"id": v[0], "name": v[1]} for v in LC.values()]
    sites.append({"id": "S-LEANKONSULT", "name": "Lean Norr konsult AB, Sundsvik"})
    sites += [{"id": "S-" + w[0], "name": w[1]} for w in W]
    pairs = [{"from": LC[a][0], "to": LC[b][0], "minutes": t} for (a, b), t in lc_travel.items()]
    for k, v in LC.items():
        pairs.append({"from": "S-LEANKONSULT", "to": v[0], "minutes": {"HED": 45, "STO": 60, "LIL": 50,
                                                                      "BER": 70}[k]})
    for w in W:
        own = rng.choice([5, 8, 10, 12, 15])
        pairs.append({"from": "S-" + w[0], "to": LC[w[2]][0], "minutes": own})
        for k, v in LC.items():
            if k != w[2]:
                t = [tt for (a, b), tt in lc_travel.items() if {a, b} == {k, w[2]}][0]
                pairs.append({"from": "S-" + w[0], "to": v[0], "minutes": t + own // 2})
    workplaces = [{"id": w[0], "name": w[1], "site": "S-" + w[0], "teams": [
        {"id": t[0], "pattern": t[1], "offset_days": t[2], "headcount": t[3], "min_staffing": t[4]}
        for t in w[4]]} for w in W]
    rooms = [
        room("R-HED-FORSEN", "Sal Forsen, Lärcentrum Hedby", "S-LC-HEDBY", 16, ["projektor", "hlr-utrustning"],
             [period("2027-09-07T08:00", "2027-09-07T17:00")]),
        room("R-HED-DATA", "Datasalen, Lärcentrum Hedby", "S-LC-HEDBY", 14, ["datorer", "projektor"]),
        room("R-HED-GRUPP", "Grupprum 3, Lärcentrum Hedby", "S-LC-HEDBY", 8, ["projektor"]),
        room("R-HED-KOK", "Restaurangskolans storkök, Hedby gymnasium", "S-LC-HEDBY", 10, ["undervisningskok"],
             [period("2027-10-11T06:00", "2027-10-15T18:00")]),
        room("R-STO-SJON", "Sal Storsjön, Lärcentrum Storsjövik", "S-LC-STORSJOVIK", 18,
             ["projektor", "hlr-utrustning"]),
        room("R-STO-DATA", "Datasalen, Lärcentrum Storsjövik", "S-LC-STORSJOVIK", 12, ["datorer", "projektor"],
             [period("2027-11-22T08:00", "2027-11-26T17:00")]),
        room("R-STO-KOK", "Undervisningsköket, Lärcentrum Storsjövik", "S-LC-STORSJOVIK", 10,
             ["undervisningskok"]),
        room("R-LIL-SAL", "Lärosalen, Lärcentrum Lillån", "S-LC-LILLAN", 14, ["projektor", "hlr-utrustning"]),
        room("R-LIL-STUDIO", "Studion (datorer), Lärcentrum Lillån", "S-LC-LILLAN", 10, ["datorer", "projektor"]),
        room("R-BER-BERGET", "Sal Berget, Lärcentrum Bergsvik", "S-LC-BERGSVIK", 16, ["projektor"]),
        room("R-BER-DATA", "Datorsalen, Lärcentrum Bergsvik", "S-LC-BERGSVIK", 12, ["datorer", "projektor"]),
        room("R-HED-MEK", "Konferensrummet, Hedby Mekaniska", "S-HED-MEKANISKA", 10, ["projektor"]),
        room("R-HED-NORDPLAST", "Personalrummet, Nordplast", "S-HED-NORDPLAST", 10, ["projektor"],
             [period("2027-09-20T06:00", "2027-09-24T18:00")]),
        room("R-STO-TRA", "Personalmatsalen, Storsjövik Trä", "S-STO-TRA", 14, ["projektor"]),
        room("R-LIL-SNICKERI", "Kontoret, Lilláns Snickerifabrik", "S-LIL-SNICKERI", 8, []),
        room("R-BER-PLAT", "Konferensrummet, Bergsviks Plåt & Smide", "S-BER-PLAT", 10, ["projektor"]),
    ]
    modules = [
        module("DIGI-VERKTYG", "Digitala verktyg i arbetet (Office 365, Teams, e-tjänster)", 3, 180, qual="DIGI",
               features=["datorer"], location="any", min_gap=5, max_gap=28),
        module("DIGI-SAKERHET", "Informationssäkerhet och GDPR (distans)", 2, 90, qual="DIGI", location="remote",
               min_gap=3),
        module("SVA-MUNTLIG", "Svenska på jobbet – muntlig kommunikation", 4, 180, qual="SVA",
               features=["projektor"], location="any", min_gap=3, max_gap=14),
        module("SVA-SKRIVA", "Svenska på jobbet – läsa och skriva i yrket", 2, 120, qual="SVA",
               features=["datorer"], location="any", min_gap=3),
        module("BAM", "Bättre arbetsmiljö (BAM) för chefer och skyddsombud", 4, 180, features=["projektor"],
               location="any", min_gap=5, max_gap=21),
        module("LEAN-GRUND", "Lean för små och medelstora företag", 3, 180, qual="LEAN", features=["projektor"],
               location="any", min_gap=5, max_gap=28),
        module("LEAN-PRAKTIK", "Förbättringsarbete på den egna arbetsplatsen", 2, 120, qual="LEAN",
               location="workplace", min_gap=4),
        module("KOK-HYGIEN", "Livsmedelshygien och egenkontroll i storkök", 2, 120, qual="KOST",
               features=["undervisningskok"], location="any", min_gap=3, max_gap=21),
        module("KOK-SPECIAL", "Specialkost och allergier (distans)", 2, 90, qual="KOST", location="remote",
               min_gap=3),
        module("HLR", "Första hjälpen och hjärt-lungräddning", 2, 120, features=["hlr-utrustning"],
               location="any", min_gap=2, max_gap=21),
        module("HANDLEDARE", "Handledarskap för arbetsplatskoordinatorer", 3, 180, features=["projektor"],
               location="any", min_gap=7, max_gap=28),
    ]
    tracks = [
        {"id": "DIGI", "name": "Digital kompetens i arbetslivet", "modules": ["DIGI-VERKTYG", "DIGI-SAKERHET"],
         "min_group": 6, "max_group": 12, "mix_workplaces": True},
        {"id": "SVA", "name": "Svenska på jobbet", "modules": ["SVA-MUNTLIG", "SVA-SKRIVA"],
         "min_group": 5, "max_group": 10, "mix_workplaces": True},
        {"id": "BAM", "name": "Bättre arbetsmiljö", "modules": ["BAM"], "min_group": 6, "max_group": 14,
         "mix_workplaces": True},
        {"id": "LEAN", "name": "Lean och ständiga förbättringar", "modules": ["LEAN-GRUND", "LEAN-PRAKTIK"],
         "min_group": 5, "max_group": 10, "mix_workplaces": True},
        {"id": "KOK", "name": "Storkök: hygien och specialkost", "modules": ["KOK-HYGIEN", "KOK-SPECIAL"],
         "min_group": 5, "max_group": 10, "mix_workplaces": True},
        {"id": "HLR", "name": "Första hjälpen och HLR", "modules": ["HLR"], "min_group": 6, "max_group": 12,
         "mix_workplaces": True},
        {"id": "HANDLEDARE", "name": "Arbetsplatskoordinator och handledare", "modules": ["HANDLEDARE"],
         "min_group": 5, "max_group": 12, "mix_workplaces": True},
        {"id": "HLR-EGEN", "name": "HLR för egen personal (Storsjövik Trä)", "modules": ["HLR"],
         "min_group": 4, "max_group": 12, "mix_workplaces": False},
    ]
    day = weekly(WEEKDAYS, "08:00", "17:00")
    lcday = weekly(WEEKDAYS, "08:00", "16:30")
    # evening courses (kvällskurser) at the learning centres: lets two-shift workers come after F
    kvall = weekly(["mon", "tue", "wed", "thu"], "08:00", "18:30") + weekly(["fri"], "08:00", "16:00")
    trainers = [
        trainer("T-KARIN", "Karin Sjöberg", ["DIGI"], "S-LC-HEDBY", avail=kvall, max_week=1800, cost=620),
        trainer("T-JONAS", "Jonas Eklund", ["DIGI", "HANDLEDARE"], "S-LC-BERGSVIK", avail=day, max_week=1440,
                cost=640),
        trainer("T-EMMA", "Emma Rask", ["DIGI", "HLR"], "S-LC-LILLAN", avail=day, max_week=1440, cost=600,
                unavailable=[period("2027-10-18T00:00", "2027-10-22T23:59")]),
        trainer("T-MARIA", "Maria Nilsson", ["SVA"], "S-LC-STORSJOVIK", langs=["sv", "ar"], avail=lcday,
                max_week=2160, cost=580),
        trainer("T-LEILA", "Leila Ahmadi", ["SVA"], "S-LC-LILLAN", langs=["sv", "fa", "en"], avail=lcday,
                max_week=1800, cost=580),
        trainer("T-BIRGITTA", "Birgitta Söderberg", ["SVA", "HANDLEDARE"], "S-LC-HEDBY", avail=kvall,
                max_week=1800, cost=600),
        trainer("T-LARS", "Lars Edlund", ["BAM"], "S-LC-HEDBY", avail=day, max_week=1440, cost=820),
        trainer("T-GUNILLA", "Gunilla Holmberg", ["BAM", "HLR", "HANDLEDARE"], "S-LC-BERGSVIK", avail=kvall,
                max_week=1440, cost=760),
        trainer("T-ROGER", "Roger Lundmark", ["LEAN"], "S-LEANKONSULT", avail=weekly(["tue", "wed", "thu"],
                "08:00", "17:00"), max_week=1440, cost=900),
        trainer("T-ELIN", "Elin Forsgren", ["LEAN"], "S-LC-BERGSVIK", avail=kvall, max_week=1200, cost=700),
        trainer("T-CARINA", "Carina Persson", ["KOST"], "S-LC-STORSJOVIK", avail=weekly(WEEKDAYS, "07:00", "16:00"),
                max_week=1200, cost=620),
        trainer("T-HENRIK", "Henrik Wallgren", ["HLR"], "S-LC-LILLAN", avail=kvall, max_week=1200, cost=650),
        trainer("T-THOMAS", "Thomas Grönlund", ["HANDLEDARE", "BAM"], "S-LC-STORSJOVIK", avail=day,
                max_week=1200, cost=720, unavailable=["2027-09-30", "2027-10-01"]),
    ]
    interpreters = [
        {"id": "I-OMAR", "name": "Omar Khalid", "languages": ["ar", "sv"], "home_site": "S-LC-HEDBY",
         "available": weekly(WEEKDAYS, "08:00", "17:00"), "unavailable": []},
        {"id": "I-FARDOWSA", "name": "Fardowsa Hassan", "languages": ["so", "sv"], "home_site": "S-LC-STORSJOVIK",
         "available": weekly(["mon", "tue", "wed", "thu"], "08:00", "17:00"),
         "unavailable": [period("2027-11-08T00:00", "2027-11-12T23:59")]},
        {"id": "I-EDIN", "name": "Edin Mehmedović", "languages": ["bs", "hr", "sr", "sv"], "home_site": "S-LC-LILLAN",
         "available": weekly(WEEKDAYS, "08:00", "16:00"), "unavailable": []},
    ]

    # --- participants: per workplace a pool of staff; each plan takes some of them
    used = set()

    def pid():
        while True:
            x = f"LCN-{rng.randint(10000, 99999)}"
            if x not in used:
                used.add(x)
                return x

    mix = {  # kind -> [(track, (min, max) per team, share that needs an interpreter)]
        "kontor": [("DIGI", (3, 6)), ("BAM", (1, 2)), ("HLR", (2, 4)), ("HANDLEDARE", (1, 2))],
        "kok": [("KOK", (2, 4)), ("SVA", (1, 3)), ("HLR", (1, 2)), ("DIGI", (1, 2))],
        "vard": [("SVA", (2, 4)), ("HLR", (2, 3)), ("DIGI", (1, 3)), ("HANDLEDARE", (1, 1))],
        "smf": [("LEAN", (3, 5)), ("SVA", (1, 3)), ("HLR", (2, 3)), ("BAM", (1, 1)), ("DIGI", (1, 2))],
    }
    target = {"DIGI": "2027-11-26", "SVA": "2027-12-10", "BAM": "2027-11-19", "LEAN": "2027-12-03",
              "KOK": "2027-10-29", "HLR": "2027-11-12", "HANDLEDARE": "2027-11-26"}
    plans = []
    lang_pool = ["ar", "ar", "ar", "so", "so", "bs", "ar"]
    for w in W:
        wid, muni, kind, teams = w[0], w[2], w[3], w[4]
        budget = {t[0]: t[3] - 1 for t in teams}
        for track, (lo, hi) in mix[kind]:
            if wid == "STO-TRA" and track == "HLR":
                track = "HLR-EGEN"
            people = []
            for t in teams:
                n = min(rng.randint(lo, hi), budget[t[0]])
                budget[t[0]] -= n
                for _ in range(n):
                    people.append({"id": pid(), "team": t[0]})
            if not people:
                continue
            if track in ("HLR", "BAM", "LEAN", "DIGI") and kind in ("smf", "kok", "vard") and rng.random() < 0.4:
                people[0]["language"] = rng.choice(lang_pool)
            flexible = any(t[1] in ("tvaskift-2v", "vard-dag-kvall-2v", "vard-kvall-3v") for t in teams)
            hp = {"id": f"HP-{wid}-{track}", "workplace": wid, "track": track}
            if not any("language" in p for p in people) and rng.random() < 0.5:
                # counted participants where nobody needs an interpreter (half of those plans)
                cnt = {}
                for p in people:
                    cnt[p["team"]] = cnt.get(p["team"], 0) + 1
                hp["participants"] = [{"team": k, "count": v} for k, v in cnt.items()]
            else:
                hp["participants"] = people
            hp.update({"earliest": "2027-08-23", "deadline": "2027-12-17",
                       "target": target.get(track, "2027-11-12"),
                       "allow_on_shift": True, "allow_off_shift": flexible})
            plans.append(hp)

    return {
        "format": "modulplan/scenario-1",
        "id": "larcentrum-natverket-2027h",
        "name": "Lärcentrumnätverket Hedby–Storsjövik–Lillån–Bergsvik: kompetensutveckling hösten 2027",
        "timezone": "Europe/Stockholm",
        "horizon": {"start": "2027-08-16", "end": "2027-12-17"},
        "calendar": {
            "holidays": "SE",
            "closed": [
                {"start": "2027-11-01", "end": "2027-11-05", "reason": "höstlov, lärcentrumen stängda"},
            ],
            "weekdays": WEEKDAYS,
            "start_times": ["08:30", "09:00", "13:00", "15:00"],
            "daily_rest_hours": 11,
        },
        "shift_types": shift_types,
        "shift_patterns": patterns,
        "sites": sites,
        "travel": {"default_minutes": 45, "pairs": pairs},
        "workplaces": workplaces,
        "rooms": rooms,
        "trainers": trainers,
        "interpreters": interpreters,
        "modules": modules,
        "tracks": tracks,
        "action_plans": plans,
        "weights": {},
    }


SCENARIOS = {
    "elderly_care_municipality.json": elderly_care,
    "industrial_plant_5shift.json": industrial_plant,
    "learning_centre_network.json": learning_centre_network,
}


def dump(scn) -> str:
    return json.dumps(scn, ensure_ascii=False, indent=1) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="only print figures for the files on disk")
    ap.add_argument("--witness", action="store_true", help="also build a greedy schedule (proof of feasibility)")
    ap.add_argument("--witness-out", metavar="DIR", help="write the witness schedules there")
    ap.add_argument("--only", help="only this file name")
    a = ap.parse_args(argv)
    from _witness import check, witness

    bad = 0
    for fname, build in SCENARIOS.items():
        if a.only and a.only != fname:
            continue
        path = HERE / fname
        if a.check:
            scn = json.loads(path.read_text(encoding="utf-8"))
        else:
            scn = build()
            path.write_text(dump(scn), encoding="utf-8")
            print(f"wrote {path.relative_to(HERE.parent)}")
        check(scn)
        if a.witness or a.witness_out:
            u, w = witness(scn)
            bad += u
            if a.witness_out:
                out = Path(a.witness_out) / fname.replace(".json", ".witness-schedule.json")
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_text(json.dumps(w.to_schedule(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
