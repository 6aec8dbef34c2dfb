"""(b) Industrial plant (paper mill) with 5-shift continuous crews: Ålvikens bruk, autumn 2027
(scenarios/industrial_plant_5shift.json; scenarios/README.md describes it)."""

from __future__ import annotations

import random

from scenarios.builders.common import WEEKDAYS, module, period, room, trainer, weekly


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
