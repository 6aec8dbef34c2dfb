"""(a) Elderly care in a municipality: Sjöbacka kommun, äldreomsorgen, spring 2027
(scenarios/elderly_care_municipality.json; scenarios/README.md describes it)."""

from __future__ import annotations

import random

from scenarios.builders.common import WEEKDAYS, alloc, module, period, room, trainer, weekly


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

        def take(t, n, budget=budget):  # this workplace's budget
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
