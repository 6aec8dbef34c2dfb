#!/usr/bin/env python3
"""Generate the example scenarios of modulplan (format modulplan/scenario-1).

    python scenarios/generate.py                 # (re)write the three JSON files, print figures
    python scenarios/generate.py --check         # figures for the committed files, no writing
    python scenarios/generate.py --check --witness-out /tmp/w   # also keep the witness schedules
    python scenarios/generate.py --no-witness    # figures only (skip the greedy witness)

Figures: participants, cohort and session estimates, trainer minutes per week available vs
needed per qualification, participants vs staffing slack per team.  The witness is a greedy
schedule that keeps every hard rule; "0 unscheduled" proves the scenario feasible.  Exit status
1 when a witness leaves sessions unscheduled or the figures show an illegal cohort split.

Deterministic: each scenario is built from its own ``random.Random(seed)``, so a rerun
writes byte-identical files.  The files are committed; this script is kept so they can be
regenerated or varied.  All names are invented (municipalities, workplaces, people);
participants are pseudonymous ids or counted participants.
"""
from __future__ import annotations

import argparse
import bisect
import json
import math
import random
import sys
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent

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
               qual="SVA", location="workplace", min_gap=3, max_gap=21),
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
        trainer("T-ANNA", "Anna Lindqvist", ["BASHYG", "HLR"], "S-VOC", avail=long_day, max_week=1440, per_day=3,
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
        trainer("T-ERIK", "Erik Lundin", ["DIGI", "DOK"], "S-KOMMUNHUS", avail=day, max_week=1440, per_day=3,
                cost=600),
        trainer("T-LINDA", "Linda Bäckström", ["VALIDERING", "DEMENS"], "S-TESTCENTER", avail=day,
                max_week=1440, cost=850),
        trainer("T-MARIE", "Marie Nyberg", ["VALIDERING", "LAKEM"], "S-TESTCENTER", avail=day,
                max_week=1200, cost=850),
        trainer("T-JONAS", "Jonas Berglund", ["HLR", "BASHYG", "VARDEGR"], "S-VOC", avail=day,
                max_week=1200, per_day=3, cost=600),
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
        wid, teams = w[0], w[3]
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
            # validation for experienced vårdbiträden (towards undersköterska), at the test centre,
            # on working time; cohorts mix workplaces whose day staff share the rota phase
            vv = [p for t in day_teams for p in take(t, rng.choice([1, 2, 2, 3]))]
            mkplan(f"HP-{wid}-VALID", wid, "VALIDERING", vv, "2027-02-15", "2027-06-11", "2027-05-28")
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
               location="any", min_gap=2, max_gap=21),
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
        trainer("T-INGRID", "Ingrid Wallin", ["KEMSAK"], "S-MASSA", avail=late, max_week=1200, per_day=3, cost=650,
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
    # (the three at the loading bay are Polish-speaking: a counted entry with a language)
    mkplan("HP-LOG-LEAN", "LOG", "LEAN", [counted("lager-a", 5), counted("lager-b", 4),
                                          counted("utlastning-dag", 3, "pl")], "2027-11-26")
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
               features=["projektor"], location="any", min_gap=3, max_gap=21),
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
        trainer("T-EMMA", "Emma Rask", ["DIGI", "HLR"], "S-LC-LILLAN", avail=day, max_week=1440, per_day=3, cost=600,
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
        trainer("T-HENRIK", "Henrik Wallgren", ["HLR"], "S-LC-LILLAN", avail=kvall, max_week=1200, per_day=3,
                cost=650),
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

    mix = {  # kind of workplace -> [(track, (min, max) participants per team)]
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
        wid, kind, teams = w[0], w[3], w[4]
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


# =============================================================================================
# Checker (--check) and greedy witness (--witness)
#
# Not part of the optimizer: the scenario authors' own sanity tool.  check() prints load
# figures; witness() builds a schedule greedily that keeps every hard rule of scenario-v1
# (checking each rule itself, conservatively) and reports how many sessions it could not place.
# A witness with zero unscheduled sessions proves the scenario feasible.  Needs the `holidays`
# package (a project dependency) for the Swedish public holidays.
# =============================================================================================

WD = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAY = 1440


def d_(s: str) -> date:
    return date.fromisoformat(s)


def hm(s: str) -> int:
    h, m = s.split(":")
    return int(h) * 60 + int(m)


class Model:
    """The scenario, expanded: participants, shift intervals, calendar."""

    def __init__(self, scn: dict):
        self.scn = scn
        self.tz = ZoneInfo(scn.get("timezone", "Europe/Stockholm"))
        cal = scn.get("calendar", {})
        self.h0 = d_(scn["horizon"]["start"])
        self.h1 = d_(scn["horizon"]["end"])
        self.start_times = cal.get("start_times", ["08:00", "13:00"])
        self.rest = float(cal.get("daily_rest_hours", 11)) * 60
        weekdays = set(cal.get("weekdays", WD[:5]))
        hol = set()
        if cal.get("holidays", "SE"):
            import holidays

            years = range(self.h0.year, self.h1.year + 1)
            hol = set(holidays.country_holidays(cal.get("holidays", "SE"), years=years).keys())
        closed = [(d_(c["start"]), d_(c["end"])) for c in cal.get("closed", [])]
        self.days = []
        d = self.h0
        while d <= self.h1:
            if WD[d.weekday()] in weekdays and d not in hol and not any(a <= d <= b for a, b in closed):
                self.days.append(d)
            d += timedelta(days=1)
        self.day_index = {d: i for i, d in enumerate(self.days)}
        self.shift_types = {s["id"]: (hm(s["start"]), hm(s["end"])) for s in scn["shift_types"]}
        self.patterns = {p["id"]: p for p in scn["shift_patterns"]}
        self.sites = {s["id"]: s for s in scn["sites"]}
        tr = scn.get("travel", {})
        self.travel_default = tr.get("default_minutes", 30)
        self.travel_pairs = {}
        for p in tr.get("pairs", []):
            self.travel_pairs[(p["from"], p["to"])] = p["minutes"]
            self.travel_pairs[(p["to"], p["from"])] = p["minutes"]
        self.workplaces = {w["id"]: w for w in scn["workplaces"]}
        self.teams = {}  # (wp, team) -> team dict
        for w in scn["workplaces"]:
            for t in w["teams"]:
                self.teams[(w["id"], t["id"])] = t
        self.team_shifts = {k: self._shifts(t) for k, t in self.teams.items()}
        self.team_shift_starts = {k: [s for s, _ in v] for k, v in self.team_shifts.items()}
        self.modules = {m["id"]: m for m in scn["modules"]}
        self.tracks = {t["id"]: t for t in scn["tracks"]}
        self.plans = {p["id"]: p for p in scn["action_plans"]}
        self.rooms = scn.get("rooms", [])
        self.trainers = scn.get("trainers", [])
        self.interpreters = scn.get("interpreters", [])
        # participants
        self.person_team = {}
        self.part = []  # (pid, plan_id, team_key, lang)
        for p in scn["action_plans"]:
            for e in p["participants"]:
                tk = self._team_key(p["workplace"], e["team"])
                if "count" in e:
                    for n in range(1, e["count"] + 1):
                        self.part.append((f"{p['id']}-{e['team']}-{n}", p["id"], tk, e.get("language")))
                else:
                    self.part.append((e["id"], p["id"], tk, e.get("language")))
        for pid, _, tk, _ in self.part:
            if pid in self.person_team and self.person_team[pid] != tk:
                raise ValueError(f"participant {pid} in two teams")
            self.person_team[pid] = tk

    def _team_key(self, wp, team):
        if (wp, team) in self.teams:
            return (wp, team)
        for k in self.teams:
            if k[1] == team:
                return k
        raise KeyError(team)

    def t(self, d: date, minutes: int) -> int:
        """Local date + minutes after midnight -> UTC minutes (fold 0 per spec)."""
        d2 = d + timedelta(days=minutes // DAY)
        mm = minutes % DAY
        dt = datetime(d2.year, d2.month, d2.day, mm // 60, mm % 60, tzinfo=self.tz)
        return int(dt.timestamp()) // 60

    def local(self, m: int) -> datetime:
        return datetime.fromtimestamp(m * 60, self.tz)

    def _shifts(self, team):
        pat = self.patterns[team["pattern"]]
        cyc = pat["cycle"]
        anchor = d_(pat["anchor"])
        out = []
        d = self.h0 - timedelta(days=3)
        while d <= self.h1 + timedelta(days=3):
            code = cyc[((d - timedelta(days=team.get("offset_days", 0))) - anchor).days % len(cyc)]
            if code != "-":
                a, b = self.shift_types[code]
                s = self.t(d, a)
                e = self.t(d, b if b > a else b + DAY)
                out.append((s, e))
            d += timedelta(days=1)
        return out

    def travel(self, a, b):
        if a == b:
            return 0
        return self.travel_pairs.get((a, b), self.travel_default)

    def slack(self, tk):
        t = self.teams[tk]
        return t["headcount"] - t["min_staffing"]


def _periods(m: Model, lst):
    out = []
    for u in lst or []:
        if isinstance(u, str):
            out.append((m.t(d_(u), 0), m.t(d_(u) + timedelta(days=1), 0)))
        else:
            a, b = u["start"], u["end"]
            da, db = datetime.fromisoformat(a), datetime.fromisoformat(b)
            out.append((m.t(da.date(), da.hour * 60 + da.minute), m.t(db.date(), db.hour * 60 + db.minute)))
    return out


def _overlap(lst, s, e):
    return any(a < e and s < b for a, b in lst)


def _on_bound(m: Model, tk) -> bool:
    """True when a session at any allowed start time on a usable day nearly always overlaps the
    team's shifts (day workers): such a team is on shift in every session."""
    sh = m.team_shifts[tk]
    hit = tot = 0
    for d in m.days[:40]:
        for st in m.start_times:
            s = m.t(d, hm(st))
            tot += 1
            hit += any(a < s + 90 and s < b for a, b in sh)
    return hit >= 0.95 * tot


def _shift_classes(m: Model, tks):
    """Group teams whose shifts share most (date, start time) slots where a 120-minute session
    fits inside a shift; on-shift-only cohorts are formed within one class."""
    sig = {}
    for tk in tks:
        sh = m.team_shifts[tk]
        s_ = set()
        for i, d in enumerate(m.days[:30]):
            for st in m.start_times:
                s = m.t(d, hm(st))
                if any(a <= s and s + 120 <= b for a, b in sh):
                    s_.add((i, st))
        sig[tk] = s_
    classes = []  # [class signature, [teams]]
    out = {}
    for tk in sorted(tks, key=lambda k: (-len(sig[k]), k)):
        for c in classes:
            common = c[0] & sig[tk]
            if len(common) >= 0.6 * max(1, len(sig[tk])) and len(common) >= 0.5 * max(1, len(c[0])):
                c[0] = common
                c[1].append(tk)
                out[tk] = classes.index(c)
                break
        else:
            classes.append([set(sig[tk]), [tk]])
            out[tk] = len(classes) - 1
    return out


# --------------------------------------------------------------------------------------------
# Cohort formation (the same rule the witness uses; also used by check())
# --------------------------------------------------------------------------------------------

def _groups(m: Model):
    """Participants by cohort pool: per plan, or per track when the track mixes workplaces."""
    groups = defaultdict(list)
    for rec in m.part:
        plan = m.plans[rec[1]]
        tr = m.tracks[plan["track"]]
        key = (tr["id"],) if tr.get("mix_workplaces") else (tr["id"], plan["id"])
        groups[key].append(rec)
    return dict(sorted(groups.items()))


STRATEGIES = ("chunk", "spread", "classes")


def form_group(m: Model, tr, recs, strategy="chunk", bound=None):
    """Split one pool into cohorts.

    Participants whose plan forbids off-shift sessions, and day workers (always on shift at the
    start times), are "on": grouped into classes of compatible shifts and dealt round-robin so
    each cohort holds at most `slack` of a team (rule 7).  The others ("flex": crews, two-shift,
    care rotas) can meet off shift:
      chunk   - flex people sorted by rota phase and team, cut into contiguous chunks;
      spread  - flex rota phases big enough for a cohort are chunked, the rest dealt into "on";
      classes - everybody is treated as "on".
    """
    gmin, gmax = tr["min_group"], tr["max_group"]
    bound = bound if bound is not None else {tk: _on_bound(m, tk) for tk in m.teams}
    onl, flex = [], defaultdict(list)
    for r in recs:
        if strategy == "classes" or not m.plans[r[1]].get("allow_off_shift", False) or bound[r[2]]:
            onl.append(r)
        else:
            t = m.teams[r[2]]
            flex[(t["pattern"], t.get("offset_days", 0))].append(r)
    if strategy == "spread":
        small = [c for c, rs in flex.items() if len(rs) < gmin]
        if onl or len(small) == len(flex):
            for c in small:
                onl += flex.pop(c)
    else:
        flex = {("*",): [r for c in sorted(flex) for r in flex[c]]} if flex else {}
    if onl and len(onl) < gmin and flex:
        # too few "on" people for a cohort of their own: they join the biggest flex chunk
        big = max(flex, key=lambda c: len(flex[c]))
        flex[big] += onl
        onl = []
    out = []
    by_class = defaultdict(list)
    cls_of = _shift_classes(m, sorted({r[2] for r in onl}))
    for r in onl:
        by_class[cls_of[r[2]]].append(r)
    small_on = [c for c, rs in by_class.items() if len(rs) < gmin]
    if small_on and len(by_class) > 1:
        big = max(by_class, key=lambda c: len(by_class[c]))
        for c in small_on:
            if c != big:
                by_class[big] += by_class.pop(c)
    for cls, rs in sorted(by_class.items()):
        rs.sort(key=lambda r: (r[2], r[3] or "", r[0]))
        per_team = defaultdict(int)
        for r in rs:
            per_team[r[2]] += 1
        cap = sum(m.slack(tk) for tk in per_team)
        n = len(rs)
        k = max(math.ceil(n / max(1, min(gmax, cap))),
                max(math.ceil(c / max(1, m.slack(tk))) for tk, c in per_team.items()))
        while k > 1 and n // k < gmin:
            k -= 1
        bins = [[] for _ in range(k)]
        for i, r in enumerate(rs):
            bins[i % k].append(r)
        out += [{"track": tr["id"], "members": b, "bucket": "on"} for b in bins if b]
    for cls, rs in sorted(flex.items()):
        if cls != ("*",):
            rs.sort(key=lambda r: (bound[r[2]], r[2], r[3] or "", r[0]))
        else:
            rs.sort(key=lambda r: (m.teams[r[2]]["pattern"], m.teams[r[2]].get("offset_days", 0),
                                   bound[r[2]], r[2], r[3] or "", r[0]))
        n = len(rs)
        k = math.ceil(n / gmax)
        sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
        j = 0
        bins = [[] for _ in range(k)]
        for r in rs:
            while len(bins[j]) >= sizes[j]:
                j += 1
            bins[j].append(r)
        out += [{"track": tr["id"], "members": b, "bucket": "off"} for b in bins if b]
    for c in out:
        c["plans"] = sorted({r[1] for r in c["members"]})
        c["size"] = len(c["members"])
        pt = defaultdict(int)
        for r in c["members"]:
            pt[r[2]] += 1
        c["per_team"] = dict(pt)
    return out


def form_cohorts(m: Model, strategy="chunk"):
    """All cohorts with one strategy (used by check() for the estimates)."""
    bound = {tk: _on_bound(m, tk) for tk in m.teams}
    cohorts = []
    for key, recs in _groups(m).items():
        tr = m.tracks[key[0]]
        for st in (strategy,) + STRATEGIES:
            got = form_group(m, tr, recs, st, bound)
            if _sizes_legal(m, tr, recs, got):
                break
        cohorts += got
    for i, c in enumerate(cohorts):
        c["id"] = f"C{i + 1:03d}"
    return cohorts


# --------------------------------------------------------------------------------------------
# check(): load figures
# --------------------------------------------------------------------------------------------

def check(scn: dict, out=print):
    m = Model(scn)
    cohorts = form_cohorts(m)
    persons = len(m.person_team)
    entries = len(m.part)
    sessions = 0
    need_q = defaultdict(float)  # qualification -> minutes per week needed
    for c in cohorts:
        tr = m.tracks[c["track"]]
        plans = [m.plans[p] for p in c["plans"]]
        e0 = max(d_(p["earliest"]) for p in plans)
        e1 = min(d_(p["deadline"]) for p in plans)
        usable = sum(1 for d in m.days if e0 <= d <= e1)
        weeks = max(1.0, usable / 5.0)
        for mid in tr["modules"]:
            mod = m.modules[mid]
            sessions += mod["sessions"]
            need_q[mod.get("qualification", mid)] += mod["sessions"] * mod["duration_minutes"] / weeks
    plan_n = defaultdict(int)
    track_n = defaultdict(int)
    for _, plan, _, _ in m.part:
        plan_n[plan] += 1
        track_n[m.plans[plan]["track"]] += 1

    def legal_small(c):
        tr = m.tracks[c["track"]]
        if tr.get("mix_workplaces"):
            return track_n[tr["id"]] < tr["min_group"]
        return all(plan_n[p] < tr["min_group"] for p in c["plans"])

    small = [c for c in cohorts if c["size"] < m.tracks[c["track"]]["min_group"] and not legal_small(c)]
    big = [c for c in cohorts if c["size"] > m.tracks[c["track"]]["max_group"]]
    out(f"== {scn['id']}: {scn['name']}")
    out(f"   horizon {scn['horizon']['start']}..{scn['horizon']['end']}, {len(m.days)} usable weekdays")
    out(f"   participants: {persons} persons, {entries} plan entries; plans {len(m.plans)}; "
        f"workplaces {len(m.workplaces)}; teams {len(m.teams)}; trainers {len(m.trainers)}; "
        f"rooms {len(m.rooms)}; interpreters {len(m.interpreters)}")
    out(f"   cohorts (estimate) {len(cohorts)} (illegal splits: {len(small)} below min_group, "
        f"{len(big)} above max_group); "
        f"sessions (estimate) {sessions}")
    out("   qualification: trainer min/week available vs needed (load)")
    for q in sorted(need_q):
        avail = 0
        for t in m.trainers:
            if q in t.get("qualifications", []):
                win = sum(hm(w["end"]) - hm(w["start"]) for w in t.get("available", []))
                avail += min(t.get("max_minutes_per_week", 10 ** 6), win)
        load = need_q[q] / avail if avail else float("inf")
        flag = "  <-- HIGH" if load > 0.4 else ""
        out(f"     {q:<12} {avail:6.0f} vs {need_q[q]:6.0f}  ({load:4.0%}){flag}")
    tot_avail = sum(min(t.get("max_minutes_per_week", 10 ** 6),
                        sum(hm(w["end"]) - hm(w["start"]) for w in t.get("available", [])))
                    for t in m.trainers)
    out(f"     {'ALL':<12} {tot_avail:6.0f} vs {sum(need_q.values()):6.0f}  "
        f"({sum(need_q.values()) / max(1, tot_avail):4.0%})")
    out("   team: participants / headcount, slack (headcount-min_staffing), participant-sessions per slack-day")
    per_team = defaultdict(set)
    part_sessions = defaultdict(int)
    for pid, plan, tk, _ in m.part:
        per_team[tk].add(pid)
        tr = m.tracks[m.plans[plan]["track"]]
        part_sessions[tk] += sum(m.modules[x]["sessions"] for x in tr["modules"])
    over = [tk for tk in m.teams if len(per_team[tk]) > m.teams[tk]["headcount"]]
    if over:
        out(f"   ILLEGAL: more participants than headcount in {over}")
    for tk in sorted(m.teams):
        t = m.teams[tk]
        sl = m.slack(tk)
        ps = part_sessions[tk]
        per_day = ps / max(1, len(m.days) * sl)
        out(f"     {tk[0] + '/' + tk[1]:<34} {len(per_team[tk]):3d} / {t['headcount']:2d}  slack {sl}  "
            f"{per_day:5.2f}")
    return {"persons": persons, "entries": entries, "cohorts": len(cohorts), "sessions": sessions,
            "problems": len(small) + len(big) + len(over)}


# --------------------------------------------------------------------------------------------
# witness(): greedy schedule that keeps every hard rule
# --------------------------------------------------------------------------------------------

class Witness:
    def __init__(self, scn):
        self.m = m = Model(scn)
        self.busy = defaultdict(list)          # pid -> sorted [(s, e)]
        self.team_away = defaultdict(list)     # tk -> [(s, e, count)]
        self.tr_sched = defaultdict(list)      # trainer -> [(s, e, site, ldate)]
        self.tr_day = defaultdict(int)         # (trainer, ldate) -> sessions
        self.tr_week = defaultdict(int)        # (trainer, isoweek) -> minutes
        self.room_sched = defaultdict(list)
        self.in_sched = defaultdict(list)
        self.trainers = m.trainers
        self.tr_unav = {t["id"]: _periods(m, t.get("unavailable")) for t in m.trainers}
        self.in_unav = {i["id"]: _periods(m, i.get("unavailable")) for i in m.interpreters}
        self.room_unav = {r["id"]: _periods(m, r.get("unavailable")) for r in m.rooms}
        self.sessions = []

    # ---- per-person rules
    def shift_rel(self, tk, s, e):
        """(overlaps_any_shift, inside_one_shift)."""
        sh = self.m.team_shifts[tk]
        i = bisect.bisect_right(self.m.team_shift_starts[tk], e) - 1
        ov = inside = False
        while i >= 0 and sh[i][1] > s - 2 * DAY:
            a, b = sh[i]
            if a < e and s < b:
                ov = True
                if a <= s and e <= b:
                    inside = True
            i -= 1
        return ov, inside

    def person_free(self, pid, s, e):
        lst = self.busy[pid]
        i = bisect.bisect_left(lst, (s, s))
        for j in (i - 1, i):
            if 0 <= j < len(lst) and lst[j][0] < e and s < lst[j][1]:
                return False
        return True

    def rest_ok(self, pid, tk, s, e):
        R = self.m.rest
        if R <= 0:
            return True
        lo, hi = s - 2 * DAY, e + 2 * DAY
        shifts = [x for x in self.m.team_shifts[tk] if x[1] > lo and x[0] < hi]
        sess = [x for x in self.busy[pid] if x[1] > lo and x[0] < hi]

        def merge(bl):
            bl = sorted(bl)
            out = []
            for a, b in bl:
                if out and a <= out[-1][1]:
                    out[-1][1] = max(out[-1][1], b)
                else:
                    out.append([a, b])
            return out

        blocks = merge(shifts + sess + [(s, e)])
        sh_only = merge(shifts)

        def longest_free(bl, w0, w1):
            best = 0
            cur = w0
            for a, b in bl:
                if b <= w0:
                    continue
                if a >= w1:
                    break
                best = max(best, min(a, w1) - cur)
                cur = max(cur, b)
            best = max(best, w1 - cur)
            return best

        for a, _ in blocks:
            if s - DAY <= a <= e:
                if longest_free(blocks, a, a + DAY) < R and longest_free(sh_only, a, a + DAY) >= R:
                    return False
        return True

    def staffing_ok(self, tk, s, e, c):
        sl = self.m.slack(tk)
        if c > sl:
            # only fine if the session does not touch the team's shifts at all
            ov, _ = self.shift_rel(tk, s, e)
            if ov:
                return False
        # exact: at every moment of (s,e) inside a shift, existing + c <= slack
        sh = self.m.team_shifts[tk]
        parts = [(max(a, s), min(b, e)) for a, b in sh if a < e and s < b]
        if not parts:
            return True
        ex = [x for x in self.team_away[tk] if x[0] < e and s < x[1]]
        for a, b in parts:
            pts = sorted({a} | {x[0] for x in ex if a < x[0] < b})
            for p in pts:
                cnt = sum(x[2] for x in ex if x[0] <= p < x[1])
                if cnt + c > sl:
                    return False
        return True

    # ---- resources
    def avail(self, person, unav, s, e):
        ls, le = self.m.local(s), self.m.local(e)
        win = person.get("available")
        if win is not None:
            wd = WD[ls.weekday()]
            a, b = ls.hour * 60 + ls.minute, (le.hour * 60 + le.minute) if le.date() == ls.date() else DAY + 1
            if not any(w["weekday"] == wd and hm(w["start"]) <= a and b <= hm(w["end"]) for w in win):
                return False
        return not _overlap(unav, s, e)

    def free_travel(self, sched, s, e, site):
        ld = self.m.local(s).date()
        for a, b, st, d in sched:
            if d != ld and not (a < e and s < b):
                continue
            tt = self.m.travel(site, st)
            if a < e + tt and s < b + tt:
                return False
        return True

    def pick_trainer(self, mod, s, e, site_of, prefer):
        q = mod.get("qualification", mod["id"])
        ld = self.m.local(s).date()
        wk = ld.isocalendar()[:2]
        dur = e - s
        cands = [t for t in self.trainers if q in t.get("qualifications", [])]
        cands.sort(key=lambda t: (t["id"] not in prefer, self.tr_week[(t["id"], wk)], t.get("cost_per_hour", 0)))
        for t in cands:
            tid = t["id"]
            if self.tr_day[(tid, ld)] >= t.get("max_sessions_per_day", 99):
                continue
            if self.tr_week[(tid, wk)] + dur > t.get("max_minutes_per_week", 10 ** 9):
                continue
            if not self.avail(t, self.tr_unav[tid], s, e):
                continue
            site = site_of(t)
            if site is None:
                continue
            if not self.free_travel(self.tr_sched[tid], s, e, site):
                continue
            yield t, site

    def pick_room(self, mod, cohort, s, e, size):
        loc = mod.get("location", "any")
        if loc == "remote":
            yield None
            return
        feats = set(mod.get("room_features", []))
        wsites = {self.m.workplaces[self.m.plans[p]["workplace"]]["site"] for p in cohort["plans"]}
        rooms = [r for r in self.m.rooms if r["capacity"] >= size and feats <= set(r.get("features", []))]
        if loc == "workplace":
            rooms = [r for r in rooms if r["site"] in wsites]
        rooms.sort(key=lambda r: (r["site"] not in wsites, r["capacity"]))
        for r in rooms:
            if _overlap(self.room_sched[r["id"]], s, e) or _overlap(self.room_unav[r["id"]], s, e):
                continue
            yield r

    def pick_interpreters(self, langs, s, e, site):
        chosen = []
        need = set(langs)
        for i in self.m.interpreters:
            if not need:
                break
            sp = need & set(i.get("languages", []))
            if not sp:
                continue
            isite = site if site is not None else i["home_site"]
            if not self.avail(i, self.in_unav[i["id"]], s, e):
                continue
            if not self.free_travel(self.in_sched[i["id"]], s, e, isite):
                continue
            chosen.append((i, isite))
            need -= sp
        return chosen if not need else None

    # ---- one session
    def try_slot(self, cohort, mod, s, e, prefer):
        m = self.m
        members = cohort["members"]
        for pid, plan, tk, _ in members:
            if not self.person_free(pid, s, e):
                return None
        for pid, plan, tk, _ in members:
            p = m.plans[plan]
            ov, inside = self.shift_rel(tk, s, e)
            if ov and not p.get("allow_on_shift", True):
                return None
            if not inside and not p.get("allow_off_shift", False):
                return None
        for tk, c in cohort["per_team"].items():
            if not self.staffing_ok(tk, s, e, c):
                return None
        for pid, plan, tk, _ in members:
            if not self.rest_ok(pid, tk, s, e):
                return None
        langs = {r[3] for r in members if r[3]}
        remote = mod.get("location", "any") == "remote"
        for room in self.pick_room(mod, cohort, s, e, cohort["size"]):
            site = room["site"] if room else None
            for t, tsite in self.pick_trainer(mod, s, e, (lambda t: t["home_site"]) if remote else
                                              (lambda t, site=site: site), prefer):
                need = langs - set(t.get("languages", []))
                ints = self.pick_interpreters(need, s, e, None if remote else site) if need else []
                if ints is None:
                    continue
                return {"start": s, "end": e, "trainer": t, "tsite": tsite, "room": room,
                        "interpreters": ints}
        return None

    def commit(self, cohort, mod, idx, sl):
        s, e = sl["start"], sl["end"]
        for pid, _, _, _ in cohort["members"]:
            bisect.insort(self.busy[pid], (s, e))
        for tk, c in cohort["per_team"].items():
            self.team_away[tk].append((s, e, c))
        t = sl["trainer"]["id"]
        ld = self.m.local(s).date()
        self.tr_sched[t].append((s, e, sl["tsite"], ld))
        self.tr_day[(t, ld)] += 1
        self.tr_week[(t, ld.isocalendar()[:2])] += e - s
        if sl["room"]:
            self.room_sched[sl["room"]["id"]].append((s, e))
        for i, isite in sl["interpreters"]:
            self.in_sched[i["id"]].append((s, e, isite, ld))
        rec = {"cohort": cohort["id"], "module": mod["id"], "index": idx, **sl}
        self.sessions.append(rec)
        return rec

    def uncommit(self, cohort, rec):
        s, e = rec["start"], rec["end"]
        for pid, _, _, _ in cohort["members"]:
            self.busy[pid].remove((s, e))
        for tk, c in cohort["per_team"].items():
            self.team_away[tk].remove((s, e, c))
        t = rec["trainer"]["id"]
        ld = self.m.local(s).date()
        self.tr_sched[t].remove((s, e, rec["tsite"], ld))
        self.tr_day[(t, ld)] -= 1
        self.tr_week[(t, ld.isocalendar()[:2])] -= e - s
        if rec["room"]:
            self.room_sched[rec["room"]["id"]].remove((s, e))
        for i, isite in rec["interpreters"]:
            self.in_sched[i["id"]].remove((s, e, isite, ld))
        self.sessions.remove(rec)

    def find(self, cohort, mod, lo_min, lo_date, hi_date, e1, prefer):
        m = self.m
        i0 = bisect.bisect_left(m.days, lo_date)
        for d in m.days[i0:]:
            if d > hi_date:
                break
            for st in m.start_times:
                s = m.t(d, hm(st))
                e = s + mod["duration_minutes"]
                if s < lo_min or e > e1:
                    continue
                sl = self.try_slot(cohort, mod, s, e, prefer)
                if sl:
                    return sl
        return None

    def schedule_module(self, cohort, mod, lo_min, lo_date, hi_date, e1, tries=40):
        """Place all sessions of a module; backtrack over the first session's slot."""
        m = self.m
        start_lo = lo_min
        for _ in range(tries):
            first = self.find(cohort, mod, start_lo, lo_date, hi_date, e1, set())
            if not first:
                return None
            placed = [self.commit(cohort, mod, 1, first)]
            ok = True
            for idx in range(2, mod["sessions"] + 1):
                prev = placed[-1]
                pd = m.local(prev["start"]).date()
                lo_d = pd + timedelta(days=mod.get("min_gap_days", 1))
                hi_d = pd + timedelta(days=mod["max_gap_days"]) if mod.get("max_gap_days") else hi_date
                sl = self.find(cohort, mod, prev["end"], lo_d, min(hi_d, hi_date), e1,
                               {prev["trainer"]["id"]})
                if not sl:
                    ok = False
                    break
                placed.append(self.commit(cohort, mod, idx, sl))
            if ok:
                return placed
            for rec in reversed(placed):
                self.uncommit(cohort, rec)
            # retry with a first session at least one slot later
            start_lo = first["start"] + 1
            lo_date = m.local(first["start"]).date()
        return None

    def schedule_cohort(self, cohort, offset_days=0):
        m = self.m
        tr = m.tracks[cohort["track"]]
        plans = [m.plans[p] for p in cohort["plans"]]
        d0 = max(d_(p["earliest"]) for p in plans)
        d1 = min(d_(p["deadline"]) for p in plans)
        e1 = m.t(d1 + timedelta(days=1), 0)
        lo_date = d0 + timedelta(days=offset_days)
        lo_min = m.t(lo_date, 0)
        placed = []
        for k, mid in enumerate(tr["modules"]):
            mod = m.modules[mid]
            got = self.schedule_module(cohort, mod, lo_min, lo_date, d1, e1)
            if got is None:
                return placed, sum(m.modules[x]["sessions"] for x in tr["modules"][k:]), mid
            placed += got
            lo_min = max(r["end"] for r in got)
            lo_date = m.local(lo_min).date()
        return placed, 0, None

    def run(self, verbose=True):
        m = self.m
        bound = {tk: _on_bound(m, tk) for tk in m.teams}
        groups = list(_groups(m).items())
        # tightest first: earliest deadline, then groups holding on-shift-only plans, then biggest
        groups.sort(key=lambda kv: (min(m.plans[r[1]]["deadline"] for r in kv[1]),
                                    all(m.plans[r[1]].get("allow_off_shift", False) for r in kv[1]),
                                    -len(kv[1])))
        self.cohorts = []
        unsched = 0
        fails = []
        nid = 0
        for key, recs in groups:
            tr = m.tracks[key[0]]
            best = None
            for strategy in STRATEGIES:
                cohorts = form_group(m, tr, recs, strategy, bound)
                if any(c["size"] > tr["max_group"] for c in cohorts) or not self._sizes_legal(tr, recs, cohorts):
                    continue
                for i, c in enumerate(cohorts):
                    c["id"] = f"C{nid + i + 1:03d}"
                done, miss, bad = [], 0, []
                for n, c in enumerate(cohorts):
                    span = (min(d_(m.plans[p]["deadline"]) for p in c["plans"]) -
                            max(d_(m.plans[p]["earliest"]) for p in c["plans"])).days
                    off = (n * 5) % max(1, span // 3)
                    placed, mi, mid = self.schedule_cohort(c, off)
                    if mi and off:
                        for rec in reversed(placed):
                            self.uncommit(c, rec)
                        placed, mi, mid = self.schedule_cohort(c, 0)
                    done.append((c, placed))
                    if mi:
                        miss += mi
                        bad.append((c["id"], c["track"], c["plans"], c["size"], mid, strategy))
                if best is None or miss < best[1]:
                    if best is not None:
                        pass
                    best = (cohorts, miss, bad, strategy)
                if miss == 0:
                    break
                # undo and try the next strategy
                for c, placed in done:
                    for rec in reversed(placed):
                        self.uncommit(c, rec)
            if best is None:
                raise RuntimeError(f"no legal cohort split for {key}")
            cohorts, miss, bad, strategy = best
            if miss:
                # redo the best attempt (the loop undid it)
                for n, c in enumerate(cohorts):
                    self.schedule_cohort(c, 0)
                unsched += miss
                fails += bad
            self.cohorts += cohorts
            nid += len(cohorts)
        if verbose:
            print(f"   witness: {len(self.cohorts)} cohorts, {len(self.sessions)} sessions placed, "
                  f"{unsched} unscheduled")
            for f in fails[:15]:
                print("     FAILED", f)
        return unsched

    def _sizes_legal(self, tr, recs, cohorts):
        return _sizes_legal(self.m, tr, recs, cohorts)


    def to_schedule(self):
        m = self.m

        def iso(x):
            return m.local(x).isoformat()

        cohorts = [{"id": c["id"], "track": c["track"],
                    "workplaces": sorted({m.plans[p]["workplace"] for p in c["plans"]}),
                    "participants": [r[0] for r in c["members"]]} for c in self.cohorts]
        ss = sorted(self.sessions, key=lambda r: (r["start"], r["cohort"]))
        sessions = [{"id": f"S{i + 1}", "cohort": r["cohort"], "module": r["module"], "index": r["index"],
                     "start": iso(r["start"]), "end": iso(r["end"]), "trainer": r["trainer"]["id"],
                     "room": r["room"]["id"] if r["room"] else None,
                     "interpreters": [i["id"] for i, _ in r["interpreters"]]} for i, r in enumerate(ss)]
        k = self.kpis()
        return {"format": "modulplan/schedule-1", "scenario": m.scn["id"], "status": "feasible",
                "objective": k["objective"], "bound": None, "solve_seconds": 0, "cohorts": cohorts,
                "sessions": sessions, "unscheduled": [], "unassigned_participants": [],
                "kpis": {"sessions_total": len(sessions), "sessions_scheduled": len(sessions),
                         "backfill_hours": k["backfill_hours"], "overtime_hours": k["overtime_hours"],
                         "travel_minutes": k["travel_minutes"], "objective_breakdown": k["breakdown"]}}

    def kpis(self):
        """The objective of the witness (default weights unless the scenario sets them)."""
        m = self.m
        w = {"unscheduled_session": 100000, "unassigned_participant": 100000, "backfill_per_hour": 450,
             "overtime_per_hour": 650, "travel_per_minute": 8, "late_per_day": 200, "trainer_change": 300}
        w.update(m.scn.get("weights") or {})
        by_cohort = {c["id"]: c for c in self.cohorts}
        back = over = cost = 0.0
        travel = 0
        per_person_day = defaultdict(list)  # (kind, id, home, ldate) -> [(s, e, site)]
        for r in self.sessions:
            s, e = r["start"], r["end"]
            for pid, _, tk, _ in by_cohort[r["cohort"]]["members"]:
                inside = 0
                for a, b in self.m.team_shifts[tk]:
                    if a < e and s < b:
                        inside += min(b, e) - max(a, s)
                back += inside / 60
                over += (e - s - inside) / 60
            t = r["trainer"]
            cost += t.get("cost_per_hour", 0) * (e - s) / 60
            ld = m.local(s).date()
            per_person_day[("t", t["id"], t["home_site"], ld)].append((s, e, r["tsite"]))
            for i, isite in r["interpreters"]:
                per_person_day[("i", i["id"], i["home_site"], ld)].append((s, e, isite))
        for (_, _, home, _), lst in per_person_day.items():
            lst.sort()
            prev = home
            for _, _, site in lst:
                travel += m.travel(prev, site)
                prev = site
            travel += m.travel(prev, home)
        late = 0
        changes = 0
        for c in self.cohorts:
            mine = [r for r in self.sessions if r["cohort"] == c["id"]]
            if not mine:
                continue
            last = max(m.local(r["start"]).date() for r in mine)
            tgt = min(d_(m.plans[p]["target"]) for p in c["plans"] if m.plans[p].get("target"))
            late += max(0, (last - tgt).days)
            per_mod = defaultdict(set)
            for r in mine:
                per_mod[r["module"]].add(r["trainer"]["id"])
            changes += sum(len(v) - 1 for v in per_mod.values())
        br = {"unscheduled_session": 0, "unassigned_participant": 0,
              "backfill_per_hour": w["backfill_per_hour"] * back, "overtime_per_hour": w["overtime_per_hour"] * over,
              "trainer_cost": cost, "travel_per_minute": w["travel_per_minute"] * travel,
              "late_per_day": w["late_per_day"] * late, "trainer_change": w["trainer_change"] * changes}
        return {"objective": sum(br.values()), "breakdown": br, "backfill_hours": back,
                "overtime_hours": over, "travel_minutes": travel}


def _sizes_legal(m, tr, recs, cohorts):
    if any(c["size"] > tr["max_group"] for c in cohorts):
        return False
    small = [c for c in cohorts if c["size"] < tr["min_group"]]
    if not small:
        return True
    if tr.get("mix_workplaces"):
        return len(recs) < tr["min_group"] and len(small) == 1
    per_plan = defaultdict(int)
    for r in recs:
        per_plan[r[1]] += 1
    return all(per_plan[p] < tr["min_group"] for c in small for p in c["plans"]) and len(small) == 1


def witness(scn, verbose=True):
    w = Witness(scn)
    u = w.run(verbose)
    return u, w


SCENARIOS = {
    "elderly_care_municipality.json": elderly_care,
    "industrial_plant_5shift.json": industrial_plant,
    "learning_centre_network.json": learning_centre_network,
}


def dump(obj, width=110) -> str:
    """JSON with small objects and lists on one line (readable, diff-friendly)."""

    def enc(x, ind, used):
        flat = json.dumps(x, ensure_ascii=False)
        if not isinstance(x, (dict, list)) or not x or ind + used + len(flat) <= width:
            return flat
        if isinstance(x, list) and not any(isinstance(v, (dict, list)) for v in x):
            return flat  # a list of plain values (a shift cycle) stays on one line
        pad = " " * (ind + 2)
        if isinstance(x, dict):
            items = []
            for k, v in x.items():
                key = json.dumps(k, ensure_ascii=False) + ": "
                items.append(pad + key + enc(v, ind + 2, len(key)))
            return "{\n" + ",\n".join(items) + "\n" + " " * ind + "}"
        items = [pad + enc(v, ind + 2, 0) for v in x]
        return "[\n" + ",\n".join(items) + "\n" + " " * ind + "]"

    return enc(obj, 0, 0) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="read the files on disk instead of writing them")
    ap.add_argument("--no-witness", action="store_true", help="skip the greedy witness schedule")
    ap.add_argument("--witness-out", metavar="DIR", help="write the witness schedules (schedule-1) there")
    ap.add_argument("--only", metavar="FILE", help="only this scenario file name")
    a = ap.parse_args(argv)
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
        bad += check(scn)["problems"]
        if not a.no_witness:
            u, w = witness(scn)
            bad += u
            if not u:
                k = w.kpis()
                print(f"   witness objective {k['objective']:.0f} (backfill {k['backfill_hours']:.0f} h, overtime "
                      f"{k['overtime_hours']:.0f} h, travel {k['travel_minutes']} min): an upper bound")
            if a.witness_out:
                out = Path(a.witness_out) / fname.replace(".json", ".witness-schedule.json")
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_text(dump(w.to_schedule()), encoding="utf-8")
        print()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
