"""(c) A learning-centre network of four municipalities, autumn 2027
(scenarios/learning_centre_network.json; scenarios/README.md describes it)."""

from __future__ import annotations

import random

from scenarios.builders.common import WEEKDAYS, module, period, room, trainer, weekly


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
