"""Planted-feasible programmes: a scenario together with a complete schedule (the witness).

``planted(size, seed, family)`` returns ``(scenario, witness)``: a ``modulplan/scenario-1``
programme and a complete ``modulplan/schedule-1`` schedule for it (every participant in a
cohort, every session placed, nothing unscheduled), which the project's validator accepts.

How a programme is made ("planted"):

1. A catalogue of tracks and modules, calendar, shift patterns and regions (learning
   centres, workplaces, teams, sites, travel) is drawn from one ``random.Random``.
2. Action plans are written with generous windows; cohorts are formed by hand-style rules
   (per plan, or pooled over the workplaces of a mixed track's wave).
3. A plain first-fit, written here and independent of the engine, places each cohort's
   sessions at the earliest slot that keeps every hard rule (its own bookkeeping of
   trainers, rooms, interpreters, staffing, shift fit, daily rest, gaps, order). A cohort
   that cannot be placed is left out of the programme altogether.
4. The programme is then tightened around that schedule: staffing slack is set to what the
   schedule uses (1–2 on care teams), some plan windows shrink around their sessions,
   trainers get weekly and daily limits close to what they teach, absences are added on
   days they do not work, rooms get closures where they are free.

The witness is a coordinator's schedule (earliest slot, first room, trainer by rota), not an
optimum: a solver should beat its objective. It is built without the engine; the objective
is computed here and ``check()`` asks the project's validator to agree.

Families weight the region kinds and traits: ``mixed`` (all), ``network`` (learning-centre
network: many small workplaces, mixed-workplace tracks in staggered waves, small rooms,
interpreters, remote modules), ``care`` (elderly care: on-shift-only plans, staffing slack
1–2, validation modules), ``industry`` (5-shift and 3-shift crews, off-shift sessions bound
by daily rest, summer and Christmas closures).

CLI: ``python benchmarks/planted.py --size M --seed 3 --family network --out DIR``.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from bisect import bisect_right
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays as _holidays

FAMILIES = ("mixed", "network", "care", "industry")
SIZES = ("S", "M", "L", "XL")
TZ_NAME = "Europe/Stockholm"
TZ = ZoneInfo(TZ_NAME)
WD = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY = 86400.0
DEFAULT_WEIGHTS = {
    "unscheduled_session": 100000.0, "unassigned_participant": 100000.0, "backfill_per_hour": 450.0,
    "overtime_per_hour": 650.0, "travel_per_minute": 8.0, "late_per_day": 200.0, "trainer_change": 300.0,
}

# region kinds per family (weights), and the traits' rates
FAMILY = {
    "mixed": dict(kinds={"care": 3, "industry": 3, "office": 4}, lang=0.12, named=0.5, two_track=0.15,
                  validation=0.7, remote=0.3, narrow=0.5),
    "network": dict(kinds={"office": 8, "care": 2}, lang=0.3, named=0.6, two_track=0.1, validation=0.4,
                    remote=0.5, narrow=0.6),
    "care": dict(kinds={"care": 8, "office": 1}, lang=0.15, named=0.5, two_track=0.3, validation=1.0,
                 remote=0.2, narrow=0.6),
    "industry": dict(kinds={"industry": 8, "care": 1, "office": 1}, lang=0.1, named=0.3, two_track=0.2,
                     validation=0.3, remote=0.15, narrow=0.4),
}
# size: regions, participants per region, horizon weeks
SIZE = {"S": (1, (16, 26), (11, 15)), "M": (1, (215, 245), (20, 24)), "L": (4, (235, 265), (38, 44)),
        "XL": (32, (235, 265), (62, 68))}
LANGS = ("ar", "so", "ti", "fa", "pl", "bs", "th", "es")
FIRST = ("Anna", "Ali", "Maria", "Mohammed", "Eva", "Lars", "Fatima", "Karin", "Johan", "Sara", "Ahmed",
         "Leila", "Erik", "Ingrid", "Omar", "Lena", "Per", "Amina", "Nils", "Hanna", "Yusuf", "Elin")
LAST = ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Hassan", "Larsson", "Olsson",
        "Warsame", "Persson", "Svensson", "Ali", "Gustafsson", "Pettersson", "Jonsson", "Rahimi", "Lindberg")


def lts(d: date, minutes: int) -> float:
    """Instant of local wall time d + minutes (fold=0, like the contract)."""
    extra, m = divmod(minutes, 1440)
    if extra:
        d = d + timedelta(days=extra)
    return datetime(d.year, d.month, d.day, m // 60, m % 60, tzinfo=TZ).timestamp()


def hm(s: str) -> int:
    h, m = s.split(":")
    return int(h) * 60 + int(m)


def local_date(ts: float) -> date:
    return datetime.fromtimestamp(ts, TZ).date()


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, TZ).isoformat()


def easter(y: int) -> date:
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = ((h + l_ - 7 * m + 114) % 31) + 1
    return date(y, month, day)


def merge(iv):
    out = []
    for a, b in sorted(iv):
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1][1] = b
        else:
            out.append([a, b])
    return out


def longest_free(blocks, w, we):
    cursor, best = w, 0.0
    for a, b in blocks:
        if b <= w:
            continue
        if a >= we:
            break
        if a > cursor:
            best = max(best, a - cursor)
        cursor = max(cursor, b)
        if cursor >= we:
            return best
    return max(best, we - cursor)


# ---------------------------------------------------------------------------
# shift catalogue
# ---------------------------------------------------------------------------

SHIFT_TYPES = {
    "DAG": ("07:30", "16:00"), "DAG8": ("08:00", "17:00"), "BUTIK": ("09:00", "18:00"),
    "VD": ("07:00", "15:30"), "VK": ("13:30", "21:30"), "VN": ("21:15", "07:15"),
    "F": ("06:00", "14:00"), "E": ("14:00", "22:00"), "N": ("22:00", "06:00"),
    "D12": ("06:00", "18:00"), "N12": ("18:00", "06:00"),
}


def patterns_for(anchor: date) -> dict:
    """Shift patterns (id -> cycle); every pattern's cycle day 0 is ``anchor`` (a Monday)."""
    return {
        "kontor": ["DAG"] * 5 + ["-", "-"],
        "kontor8": ["DAG8"] * 5 + ["-", "-"],
        "butik": ["BUTIK"] * 4 + ["-", "BUTIK", "-"],
        "vard-dag": ["VD", "VD", "VD", "VD", "VD", "-", "-", "VD", "VD", "VD", "-", "-", "VD", "VD"],
        "vard-dk": ["VD", "VD", "VK", "VK", "-", "-", "-", "VK", "VD", "VD", "VK", "-", "VD", "VD"],
        "vard-natt": ["VN", "VN", "VN", "-", "-", "-", "-", "-", "-", "-", "VN", "VN", "VN", "VN"],
        "5skift": ["F", "F", "E", "E", "N", "N", "-", "-", "-", "-"],
        "3skift": ["F"] * 5 + ["-", "-"] + ["E"] * 5 + ["-", "-"] + ["N"] * 5 + ["-", "-"],
        "2skift12": ["D12", "D12", "N12", "N12", "-", "-", "-", "-"],
    }


# ---------------------------------------------------------------------------
# the generator
# ---------------------------------------------------------------------------


class _Cohort:
    __slots__ = ("id", "track", "members", "plans", "workplaces", "region", "lo", "hi", "sessions", "lang", "_plan_of")

    def __init__(self, cid, track, members, plans, region):
        self.id, self.track, self.members, self.plans, self.region = cid, track, members, plans, region
        self.workplaces = []
        self.sessions = []
        self.lo = self.hi = None
        self.lang = set()


class Planted:
    def __init__(self, size: str, seed: int, family: str, attempt: int = 0):
        if size not in SIZE:
            raise ValueError(f"size must be one of {SIZES}, not {size!r}")
        if family not in FAMILY:
            raise ValueError(f"family must be one of {FAMILIES}, not {family!r}")
        self.size, self.seed, self.family = size, seed, family
        self.r = random.Random(f"planted/{size}/{seed}/{family}" + (f"/{attempt}" if attempt else ""))
        self.f = FAMILY[family]
        self.small = size == "S"

    # ------------------------------------------------------------ calendar
    def make_calendar(self):
        r = self.r
        n_reg, _, (w0, w1) = SIZE[self.size]
        weeks = r.randint(w0, w1)
        year = r.choice((2026, 2027, 2028))
        if self.small:
            # a short horizon that still holds a DST change and a closure
            start = r.choice((date(year, 9, 21), date(year, 2, 22), date(year, 3, 1), date(year, 10, 5),
                              date(year, 10, 19)))
        elif weeks < 30:
            start = r.choice((date(year, 8, 10), date(year, 8, 24), date(year, 1, 11), date(year, 2, 1)))
        else:
            start = r.choice((date(year, 1, 11), date(year, 2, 1), date(year, 8, 17)))
        start -= timedelta(days=start.weekday())
        end = start + timedelta(days=7 * weeks - 3)
        self.h0, self.h1 = start, end
        closed = []
        fam = self.family
        for y in range(start.year - 1, end.year + 1):
            closed.append((date(y, 12, r.choice((21, 22, 23))), date(y + 1, 1, r.choice((2, 6, 8))),
                           r.choice(("julstopp", "jullov", "jul och nyår"))))
            e = easter(y + 1)
            if fam in ("network", "mixed", "care") and r.random() < 0.7:
                closed.append((e - timedelta(days=6), e + timedelta(days=1), "påsklov"))
            if fam in ("network", "mixed") and r.random() < 0.6:
                mon44 = date.fromisocalendar(y, 44, 1)
                closed.append((mon44, mon44 + timedelta(days=4), "höstlov"))
            if fam in ("industry", "mixed") and r.random() < 0.8:
                s0 = date(y + 1, 7, 1) + timedelta(days=r.randint(0, 10))
                closed.append((s0, s0 + timedelta(days=r.choice((20, 27))), "sommaruppehåll"))
            mid = date(y + 1, 6, 19)
            mid += timedelta(days=(4 - mid.weekday()) % 7)
            closed.append((mid, mid, "midsommarafton"))
        self.closed = sorted({(a, b, why) for a, b, why in closed if b >= start and a <= end})
        weekdays = ["mon", "tue", "wed", "thu", "fri"]
        if fam == "industry" and r.random() < 0.4:
            weekdays.append("sat")
        self.weekdays = weekdays
        st_opts = [["08:00", "13:00"], ["08:00", "12:30", "15:00"], ["07:30", "10:00", "13:00"],
                   ["08:30", "13:00", "17:30"], ["06:30", "09:00", "12:30", "15:00", "18:00"],
                   ["08:15", "12:45"], ["07:00", "09:30", "13:00", "14:30", "18:00"]]
        self.start_times = r.choice(st_opts if fam != "industry" else st_opts[3:])
        self.rest_hours = 11
        hol = _holidays.country_holidays("SE", years=range(start.year, end.year + 1))
        wdset = {WD.index(w) for w in weekdays}
        self.open_days = []
        d = start
        while d <= end:
            if d.weekday() in wdset and not hol.get(d) and not any(a <= d <= b for a, b, _ in self.closed):
                self.open_days.append(d)
            d += timedelta(days=1)
        self.open_idx = {d: i for i, d in enumerate(self.open_days)}
        self.anchor = date(start.year - 1, 1, 1)
        self.anchor -= timedelta(days=self.anchor.weekday())
        self.patterns = patterns_for(self.anchor)
        self.shift_min = {k: (hm(a), hm(b)) for k, (a, b) in SHIFT_TYPES.items()}
        w = {}
        if r.random() < 0.35:
            w = {"travel_per_minute": r.choice((4, 8, 12)), "late_per_day": r.choice((100, 200, 500, 1000))}
            if r.random() < 0.5:
                w["trainer_change"] = r.choice((0, 300, 1000))
        self.weights = w
        self.W = {**DEFAULT_WEIGHTS, **w}

    # ------------------------------------------------------------ catalogue of tracks
    def make_catalogue(self):
        r = self.r
        self.modules: dict[str, dict] = {}
        self.tracks: dict[str, dict] = {}
        self.track_kind: dict[str, str] = {}
        themes = {
            "care": [("VO", "Vård och omsorg"), ("DEM", "Demensvård"), ("HSL", "Läkemedel och HSL"),
                     ("PAL", "Palliativ vård"), ("NUT", "Nutrition")],
            "industry": [("SAK", "Säkerhet och arbetsmiljö"), ("UH", "Förebyggande underhåll"),
                         ("TRU", "Truckkörning"), ("LEAN", "Ständiga förbättringar"), ("EL", "Elsäkerhet")],
            "office": [("DIG", "Digital kompetens"), ("SV", "Svenska i arbetslivet"), ("ETIK", "Etik och bemötande"),
                       ("KUND", "Kundmöten"), ("LED", "Arbetsledning")],
        }
        n_per = {"care": (1, 3), "industry": (1, 3), "office": (2, 3)} if not self.small else \
            {"care": (1, 1), "industry": (1, 1), "office": (1, 1)}
        for kind, lst in themes.items():
            lst = lst[:]
            r.shuffle(lst)
            for code, name in lst[:r.randint(*n_per[kind])]:
                mix = kind == "office" or (kind == "care" and r.random() < 0.25)
                nmod = r.randint(2, 3) if self.small else r.randint(3, 5)
                shared_q = r.random() < 0.5
                mods = []
                for k in range(1, nmod + 1):
                    mid = f"{code}{k}"
                    sess = r.choice((1, 2, 3, 3, 4)) if not self.small else r.choice((1, 2, 2, 3, 3, 4))
                    dur = r.choice((90, 120, 150, 180, 180, 240) if kind != "office" else (90, 120, 120, 150, 180))
                    if kind == "care" and r.random() < 0.5:
                        dur = min(dur, 150)  # must fit inside a shift with its start
                    loc = r.choices(("workplace", "any", "remote"),
                                    (3 if kind != "office" else 1.5, 3, 3 * self.f["remote"]))[0]
                    feats = []
                    if loc != "remote":
                        feats = r.choice(([], [], ["projektor"], ["datorsal"] if code == "DIG" else ["projektor"]))
                    mg = r.choice((1, 1, 2, 2, 3, 7))
                    xg = r.choice((None, mg + 6, mg + 9, 14, 21)) if sess > 1 else None
                    if xg is not None and xg < mg + 4:
                        xg = mg + 4
                    m = {"id": mid, "name": f"{name} {k}", "sessions": sess, "duration_minutes": dur,
                         "qualification": code if shared_q else mid, "room_features": feats, "location": loc,
                         "min_gap_days": mg}
                    if xg is not None:
                        m["max_gap_days"] = xg
                    self.modules[mid] = m
                    mods.append(mid)
                if kind == "industry":
                    mn = r.randint(2, 4)
                    mx = r.randint(max(mn * 2 - 1, 6), 10)
                elif mix:
                    mn = r.randint(3, 5)
                    mx = r.randint(max(2 * mn - 1, 8), 12)
                else:
                    mn = r.randint(3, 5)
                    mx = r.randint(max(2 * mn - 1, 6), 10)
                tid = f"K-{code}"
                self.tracks[tid] = {"id": tid, "name": f"{name}spåret", "modules": mods, "min_group": mn,
                                    "max_group": mx, "mix_workplaces": mix}
                self.track_kind[tid] = kind
        self.val_track = None
        if r.random() < self.f["validation"]:
            dur = r.choice((180, 210, 240))
            self.modules["VAL"] = {"id": "VAL", "name": "Validering: kunskapsprov", "sessions": 1,
                                   "duration_minutes": dur, "qualification": "PROVLEDARE",
                                   "room_features": ["provstation"], "location": "any", "min_gap_days": 1}
            mn = r.randint(1, 3)
            self.tracks["K-VAL"] = {"id": "K-VAL", "name": "Validering", "modules": ["VAL"], "min_group": mn,
                                    "max_group": r.randint(max(2 * mn, 4), 8), "mix_workplaces": True}
            self.track_kind["K-VAL"] = "validation"
            self.val_track = "K-VAL"

    def track_days(self, tid: str) -> int:
        """Open days a cohort needs at least (gaps between sessions, one day per module)."""
        days = 0
        for mid in self.tracks[tid]["modules"]:
            m = self.modules[mid]
            days += 1 + (m["sessions"] - 1) * m["min_gap_days"]
        return days

    # ------------------------------------------------------------ regions
    def make_regions(self):
        r = self.r
        n_reg, (p0, p1), _ = SIZE[self.size]
        self.sites, self.xy = [], {}
        self.workplaces, self.rooms, self.trainers, self.interpreters = [], [], [], []
        self.plans = []
        self.person_team = {}   # pid -> (wp, team)
        self.person_lang = {}
        self.teams = {}         # (wp, team) -> dict
        self.region_of_wp = {}
        self.regions = []
        kinds_w = self.f["kinds"]
        for ri in range(n_reg):
            target = r.randint(p0, p1)
            if not self.small:
                target = int(target * 1.3)  # some cohorts find no slot and leave the programme
            reg = {"i": ri, "code": f"{ri + 1:02d}" if n_reg > 1 else "", "lcs": [], "wps": [], "test": None,
                   "ox": (ri % 8) * 400.0, "oy": (ri // 8) * 400.0}
            self.regions.append(reg)
            self._region(reg, target, kinds_w)

    def _site(self, reg, sid, name):
        r = self.r
        self.sites.append({"id": sid, "name": name})
        self.xy[sid] = (reg["ox"] + r.uniform(0, 90), reg["oy"] + r.uniform(0, 90), reg["i"])
        return sid

    def _room(self, reg, site, cap, feats, label):
        rid = f"R{site[1:]}-{len([x for x in self.rooms if x['site'] == site]) + 1}"
        self.rooms.append({"id": rid, "name": label, "site": site, "capacity": cap, "features": feats,
                           "unavailable": []})
        reg.setdefault("rooms", []).append(rid)

    def _region(self, reg, target, kinds_w):
        r = self.r
        rc = reg["code"]
        fam = self.family
        n_lc = r.randint(2, 4) if fam == "network" else r.randint(1, 2)
        if self.small:
            n_lc = 1
        towns = ["Kramfors", "Sollefteå", "Härnösand", "Timrå", "Ånge", "Sundsvall", "Örnsköldsvik", "Bollnäs",
                 "Hudiksvall", "Ljusdal", "Söderhamn", "Nordanstig"]
        r.shuffle(towns)
        for k in range(n_lc):
            sid = self._site(reg, f"S-LC{rc}{chr(97 + k)}", f"Lärcentrum {towns[k]}")
            reg["lcs"].append(sid)
            for j in range(r.randint(1, 3) if not self.small else 2):
                feats = r.choice((["projektor"], ["projektor", "datorsal"], [], ["projektor"]))
                cap = r.choice((8, 10, 12, 12, 16, 20)) if fam != "network" else r.choice((8, 10, 10, 12, 14))
                self._room(reg, sid, cap, feats, f"Sal {j + 1}, Lärcentrum {towns[k]}")
        if self.val_track:
            sid = self._site(reg, f"S-TEST{rc}", f"Testcenter {towns[n_lc]}")
            reg["test"] = sid
            self._room(reg, sid, r.choice((6, 8, 10)), ["provstation", "projektor"], f"Provsal {towns[n_lc]}")
            if r.random() < 0.5:  # a second room at the test centre without the station
                self._room(reg, sid, 12, ["projektor"], f"Sal, Testcenter {towns[n_lc]}")
        # waves of the mixed-workplace tracks: each workplace's plan sits in one, moved a little
        reg["waves"] = {}
        for tid, tr in self.tracks.items():
            if tr["mix_workplaces"] and tid != self.val_track:
                nw = 2 if self.small else r.randint(2, 4)
                reg["waves"][tid] = [self._window(tid, True) for _ in range(nw)]
        # workplaces until the participant target is met
        tracks_by_kind = defaultdict(list)
        for tid, k in self.track_kind.items():
            tracks_by_kind[k].append(tid)
        kinds = [k for k in kinds_w if tracks_by_kind.get(k)]
        weights = [kinds_w[k] for k in kinds]
        n = 0
        if self.small:
            # one workplace of the family's main kind with a plan of its own track (a care home on
            # shift, a mill's crews), then small workplaces that share a mixed-workplace track
            own_kinds = [k for k in kinds if any(not self.tracks[t]["mix_workplaces"] for t in tracks_by_kind[k])]
            if own_kinds:
                main = r.choices(own_kinds, [kinds_w[k] for k in own_kinds])[0]
                n += self._workplace(reg, main, tracks_by_kind, r.randint(6, 11), mixed_only=False)
            k = 0
            while n < target and k < 12:
                k += 1
                kind = r.choices(kinds, weights)[0]
                n += self._workplace(reg, kind, tracks_by_kind, min(3, target - n), mixed_only=True)
        while n < target and not self.small:
            kind = r.choices(kinds, weights)[0]
            n += self._workplace(reg, kind, tracks_by_kind, target - n)
        self._plans_val(reg)

    def _workplace(self, reg, kind, tracks_by_kind, left, mixed_only=None) -> int:
        r = self.r
        rc = reg["code"]
        k = len(self.workplaces) + 1
        names = {"care": ("Äldreboende", "Hemtjänst", "Vård- och omsorgsboende"),
                 "industry": ("Pappersbruk", "Sågverk", "Verkstad", "Gjuteri"),
                 "office": ("Kommunkontor", "Butik", "Bibliotek", "Kundtjänst", "Förskola", "Lokalvård")}
        wid = f"W{rc}-{k:03d}"
        site_share = self.regions and kind == "office" and reg["wps"] and r.random() < 0.15
        if site_share:
            site = r.choice([self.region_of_wp[w]["site"] for w in reg["wps"]])
        else:
            site = self._site(reg, f"S{wid[1:]}", f"{r.choice(names[kind])} {k}")
        wp = {"id": wid, "name": f"{r.choice(names[kind])} {k}", "site": site, "teams": []}
        self.workplaces.append(wp)
        self.region_of_wp[wid] = wp
        wp["_kind"] = kind
        wp["_region"] = reg["i"]
        reg["wps"].append(wid)
        if not site_share and (kind != "office" or r.random() < 0.7):
            cap = r.choice((6, 8, 10, 12, 14)) if kind != "industry" else r.choice((8, 10, 12, 16))
            self._room(reg, site, cap, r.choice(([], ["projektor"])), f"Personalrum {wp['name']}")
        # teams
        if kind == "care":
            pat = r.choice(("vard-dag", "vard-dk", "vard-dk", "kontor"))
            nt = r.randint(4, 8) if not self.small else r.randint(3, 5)
            offs = r.choice(((0,), (0,), (0, 0, 7), (0, 0, 3), (0, 7)))
            for t in range(nt):
                p = pat if t < nt - 1 or r.random() < 0.7 else "vard-natt"
                wp["teams"].append({"id": f"avd-{t + 1}", "pattern": p, "offset_days": r.choice(offs),
                                    "_n": r.randint(6, 18)})
        elif kind == "industry":
            pat = r.choice(("5skift", "5skift", "3skift", "2skift12"))
            crews = {"5skift": 5, "3skift": 3, "2skift12": 4}[pat]
            cyc = len(self.patterns[pat])
            for t in range(crews):
                wp["teams"].append({"id": f"skiftlag-{'ABCDE'[t]}", "pattern": pat,
                                    "offset_days": t * cyc // crews, "_n": r.randint(10, 25)})
            if r.random() < 0.5:
                wp["teams"].append({"id": "dagtid", "pattern": "kontor", "offset_days": 0, "_n": r.randint(6, 15)})
        else:
            pat = r.choice(("kontor", "kontor", "kontor8", "butik"))
            for t in range(r.randint(1, 3)):
                wp["teams"].append({"id": f"grupp-{t + 1}", "pattern": pat, "offset_days": 0,
                                    "_n": r.randint(4, 14)})
        for t in wp["teams"]:
            self.teams[(wid, t["id"])] = t
            t["_used"] = 0
        # plans of non-mixed tracks of this kind, and of the mixed tracks
        n = 0
        own = [t for t in tracks_by_kind.get(kind, []) if not self.tracks[t]["mix_workplaces"]]
        r.shuffle(own)
        if mixed_only:
            own = []
        for tid in own[:r.randint(1, len(own))] if own else []:
            if left - n <= 0 and n:
                break
            n += self._plan(wp, tid, kind, left - n)
        for tid in reg["waves"]:
            tk = self.track_kind[tid]
            p = 0.9 if tk == kind else (0.5 if kind == "care" and tk == "office" else 0.25)
            if self.small:
                p = 0.0 if mixed_only is False else 1.0
            if r.random() < p and left - n > 0:
                n += self._mixed_plan(reg, wp, tid)
        return n

    def _window(self, tid, narrow):
        """A plan window (open-day indexes) with room for the track, narrow or roomy."""
        r = self.r
        need = self.track_days(tid)
        nd = len(self.open_days)
        if narrow:
            length = min(nd, int(need * 1.5) + r.randint(5, 15))
        else:
            length = min(nd, max(need + 10, int(nd * r.uniform(0.3, 0.7))))
        s = r.randint(0, nd - length)
        return s, s + length - 1

    def _people(self, wp, plan_id, kind, count_total, allow_named=True, on_shift_only=False):
        """Participants of a plan from the workplace's teams: (json entries, [(pid, team)])."""
        r = self.r
        teams = [t for t in wp["teams"] if not (on_shift_only and t["pattern"] == "vard-natt")]
        if on_shift_only and teams:
            groups = defaultdict(list)
            for t in teams:
                groups[(t["pattern"], t["offset_days"])].append(t)
            teams = max(groups.values(), key=len)
        r.shuffle(teams)
        named = allow_named and r.random() < self.f["named"]
        entries, people = [], []
        left = count_total
        ti = 0
        while left > 0 and ti < 3 * len(teams):
            t = teams[ti % len(teams)]
            ti += 1
            room = t["_n"] - t["_used"]
            if room <= 0:
                continue
            c = min(left, room, r.randint(1, 3) if kind == "care" else r.randint(2, 7))
            t["_used"] += c
            left -= c
            if named or c and r.random() < self.f["lang"] * 2:
                for _ in range(c):
                    pid = f"p{self.r.getrandbits(40):010x}"
                    e = {"id": pid, "team": t["id"]}
                    if r.random() < self.f["lang"]:
                        e["language"] = r.choice(self.langs)
                        self.person_lang[pid] = e["language"]
                    entries.append(e)
                    people.append((pid, t["id"]))
                    self.person_team[pid] = (wp["id"], t["id"])
            else:
                # counted: ids <plan>-<team>-<n>; one entry per team keeps the numbering plain
                prev = [e for e in entries if e.get("team") == t["id"] and "count" in e]
                if prev:
                    start = prev[0]["count"]
                    prev[0]["count"] += c
                else:
                    start = 0
                    entries.append({"team": t["id"], "count": c})
                for j in range(start + 1, start + c + 1):
                    pid = f"{plan_id}-{t['id']}-{j}"
                    people.append((pid, t["id"]))
                    self.person_team[pid] = (wp["id"], t["id"])
        return entries, people

    def _plan(self, wp, tid, kind, left) -> int:
        r = self.r
        tr = self.tracks[tid]
        pid = f"HP{wp['id'][1:]}-{tid[2:]}"
        if kind == "care":
            n = r.randint(tr["min_group"], 2 * tr["max_group"] + 2)
            on, off = True, r.random() < 0.3
        elif kind == "industry":
            n = r.randint(tr["min_group"] + 2, 3 * tr["max_group"])
            on, off = r.random() < 0.5, True
        else:
            n = r.randint(tr["min_group"], tr["max_group"] + 4)
            on, off = True, r.random() < 0.4
        if self.small:
            n = min(n, max(left, tr["min_group"]), tr["max_group"] + 2)
        n = max(1, min(n, left + 3))
        entries, people = self._people(wp, pid, kind, n, on_shift_only=not off)
        # people in two tracks: some named people of the workplace's earlier plan take this one too
        earlier = [(p, t) for p, t in wp.get("_named", []) if p not in {x for x, _ in people}]
        if earlier and off and r.random() < self.f["two_track"] * 2:
            r.shuffle(earlier)
            for p, t in earlier[:r.randint(1, min(4, len(earlier)))]:
                people.append((p, t))
                entries.append({"id": p, "team": t, **({"language": self.person_lang[p]}
                                                      if p in self.person_lang else {})})
        wp.setdefault("_named", []).extend((p, t) for p, t in people if not p.startswith(pid + "-"))
        if not people:
            return 0
        s, e = self._window(tid, r.random() < self.f["narrow"])
        plan = {"id": pid, "workplace": wp["id"], "track": tid, "participants": entries,
                "_people": people, "_win": (s, e), "allow_on_shift": on, "allow_off_shift": off,
                "_kind": kind, "_region": wp["_region"]}
        self.plans.append(plan)
        # a second track for some (validation for care workers, or another non-mixed track)
        if self.val_track and kind == "care" and r.random() < self.f["two_track"] * 2:
            named = [(p, t) for p, t in people if not p.startswith(pid)]
            if named:
                pick = named[:r.randint(1, min(4, len(named)))]
                self._pending_val.append((wp, pick))
        return len(people)

    def _mixed_plan(self, reg, wp, tid) -> int:
        """A workplace's plan in a mixed-workplace track: the window of one wave, moved a little."""
        r = self.r
        s, e = r.choice(reg["waves"][tid])
        s2 = max(0, s - r.randint(-2, 6))
        e2 = min(len(self.open_days) - 1, e + r.randint(-2, 6))
        if e2 - s2 + 1 < self.track_days(tid) + 2:
            s2, e2 = s, e
        pid = f"HP{wp['id'][1:]}-{tid[2:]}"
        n = r.randint(1, 3 if self.family == "network" else 4) if not self.small else r.randint(1, 3)
        entries, people = self._people(wp, pid, "office", n)
        if not people:
            return 0
        off = True if wp["_kind"] != "office" else r.random() < 0.75
        self.plans.append({"id": pid, "workplace": wp["id"], "track": tid, "participants": entries,
                           "_people": people, "_win": (s2, e2), "_wave": (tid, s, e),
                           "allow_on_shift": True, "allow_off_shift": off, "_kind": self.track_kind[tid],
                           "_region": reg["i"]})
        return len(people)

    def _plans_val(self, reg):
        r = self.r
        # validation plans: care workers (also in a care track) and a few more
        if self.val_track:
            tid = self.val_track
            s, e = self._window(tid, False)
            per_wp = {}
            for wp, pick in self._pending_val:
                if wp["_region"] == reg["i"]:
                    have = per_wp.setdefault(wp["id"], (wp, []))[1]
                    have += [x for x in pick if x not in have]
            for wp, pick in per_wp.values():
                pid = f"HP{wp['id'][1:]}-VAL"
                entries = [{"id": p, "team": t, **({"language": self.person_lang[p]} if p in self.person_lang
                                                  else {})} for p, t in pick]
                s2 = max(0, s + r.randint(-3, 3))
                e2 = min(len(self.open_days) - 1, e + r.randint(-3, 3))
                self.plans.append({"id": pid, "workplace": wp["id"], "track": tid, "participants": entries,
                                   "_people": list(pick), "_win": (s2, e2), "_wave": (tid, s, e),
                                   "allow_on_shift": True, "allow_off_shift": True, "_kind": "validation",
                                   "_region": reg["i"]})

    # ------------------------------------------------------------ cohorts
    def make_cohorts(self):
        r = self.r
        self.cohorts: list[_Cohort] = []
        pools = defaultdict(list)
        for pl in self.plans:
            key = pl.get("_wave") or (pl["id"],)
            pools[(pl["_region"], pl["track"]) + tuple(key)].append(pl)
        for plans in pools.values():
            tid = plans[0]["track"]
            tr = self.tracks[tid]
            members = [(p, t, pl) for pl in plans for p, t in pl["_people"]]
            on_only = not plans[0]["allow_off_shift"] and len(plans) == 1
            if len(plans) == 1:
                # team by team: dealt round the cohorts (on-shift only: few of one team per cohort),
                # else crews kept together
                members.sort(key=lambda x: (self.teams[(x[2]["workplace"], x[1])]["pattern"],
                                            self.teams[(x[2]["workplace"], x[1])]["offset_days"], x[1]))
            else:
                r.shuffle(members)
            n = len(members)
            mn, mx = tr["min_group"], tr["max_group"]
            if n < mn:
                if len(plans) > 1 or tr["mix_workplaces"]:
                    continue  # a mixed pool below min_group: leave it out (the rule allows one per track)
                groups = [members]
            else:
                k = math.ceil(n / mx)
                if n < k * mn:
                    k = n // mn
                groups = [[] for _ in range(k)]
                if on_only:
                    for i, m in enumerate(members):
                        groups[i % k].append(m)
                else:
                    base, extra = divmod(n, k)
                    i = 0
                    for g in range(k):
                        sz = base + (1 if g < extra else 0)
                        groups[g] = members[i:i + sz]
                        i += sz
                    if any(len(g) > mx for g in groups):
                        groups = [g[:mx] for g in groups]  # the rest is dropped below
                        kept = {id(x) for g in groups for x in g}
                        for x in members:
                            if id(x) not in kept:
                                x[2]["_people"].remove((x[0], x[1]))
            for g in groups:
                cid = f"C{len(self.cohorts) + 1:05d}"
                c = _Cohort(cid, tid, [x[0] for x in g], sorted({x[2]["id"] for x in g}), plans[0]["_region"])
                c.workplaces = sorted({x[2]["workplace"] for x in g})
                plan_of = {x[0]: x[2] for x in g}
                c.lo = max(plan_of[m]["_win"][0] for m in c.members)
                c.hi = min(plan_of[m]["_win"][1] for m in c.members)
                c.lang = {self.person_lang[m] for m in c.members if m in self.person_lang}
                c._plan_of = plan_of  # noqa
                self.cohorts.append(c)

    def ensure_rooms(self):
        """Written around the cohorts: a workplace-located module finds a big enough room at one
        of its cohort's workplaces (the first workplace's room grows, or it gets one)."""
        for c in self.cohorts:
            for mid in self.tracks[c.track]["modules"]:
                m = self.modules[mid]
                if m["location"] != "workplace":
                    continue
                sites = [self.region_of_wp[w]["site"] for w in c.workplaces]
                feats = set(m["room_features"])
                rooms = [rm for rm in self.rooms if rm["site"] in sites]
                if any(rm["capacity"] >= len(c.members) and feats <= set(rm["features"]) for rm in rooms):
                    continue
                fit = [rm for rm in rooms if feats <= set(rm["features"])]
                if fit:
                    fit[0]["capacity"] = max(fit[0]["capacity"], len(c.members))
                elif rooms:
                    rooms[0]["features"] = sorted(set(rooms[0]["features"]) | feats)
                    rooms[0]["capacity"] = max(rooms[0]["capacity"], len(c.members))
                else:
                    reg = self.regions[c.region]
                    wp = self.region_of_wp[c.workplaces[0]]
                    self._room(reg, wp["site"], max(8, len(c.members)), sorted(feats), f"Personalrum {wp['name']}")

    # ------------------------------------------------------------ trainers, interpreters
    def make_staff(self):
        r = self.r
        by_reg_q = defaultdict(float)
        for c in self.cohorts:
            for mid in self.tracks[c.track]["modules"]:
                m = self.modules[mid]
                by_reg_q[(c.region, m["qualification"])] += m["sessions"] * m["duration_minutes"]
        weeks = max(1.0, len(self.open_days) / 5)
        windows = [
            [(d, "07:00", "17:00") for d in WD[:5]],
            [(d, "08:00", "16:30") for d in WD[:4]],
            [(d, "12:00", "21:00") for d in WD[1:5]],
            [(d, "06:00", "15:00") for d in WD[:5]],
            [(d, "07:30", "20:00") for d in WD[:3]] + [("thu", "07:30", "12:00")],
            [(d, "08:00", "17:00") for d in ("mon", "wed", "fri")],
        ]
        self.staff_of = defaultdict(list)   # (region, qual) -> trainer ids
        self._industry_q = {m["qualification"][:2] for t, k in self.track_kind.items() if k == "industry"
                            for m in (self.modules[x] for x in self.tracks[t]["modules"])}
        tcount = 0
        for reg in self.regions:
            ri = reg["i"]
            quals = sorted(q for (rr, q) in by_reg_q if rr == ri)
            home_sites = reg["lcs"] + [self.region_of_wp[w]["site"] for w in reg["wps"][:4]]
            made = []
            for q in quals:
                if q == "PROVLEDARE":
                    continue
                load = by_reg_q[(ri, q)] / weeks
                # few trainers: a trainer gives some 300-600 minutes a week to one qualification
                n = max(1, min(5, round(load / r.uniform(400, 800) + 0.3 * r.random())))
                have = [t for t in made if q in t["qualifications"]]
                for _ in range(max(0, n - len(have))):
                    tcount += 1
                    t = {"id": f"T-{tcount:03d}", "name": f"{r.choice(FIRST)} {r.choice(LAST)}",
                         "qualifications": [q], "languages": ["sv"], "home_site": r.choice(home_sites),
                         "available": [{"weekday": d, "start": a, "end": b} for d, a, b in r.choice(windows)],
                         "unavailable": [], "cost_per_hour": r.choice((450, 550, 650, 750, 850, 950, 1100))}
                    if q[:2] in self._industry_q or r.random() < 0.2:
                        # evening availability for off-shift crews
                        t["available"] += [{"weekday": d, "start": "15:00", "end": "21:30"}
                                           for d in WD[:4] if r.random() < 0.7 and not any(
                                               w["weekday"] == d and hm(w["end"]) > 17 * 60 for w in t["available"])]
                    if r.random() < 0.25:
                        t["languages"].append(r.choice(self.langs))
                    made.append(t)
                # second qualifications: some trainers can take over another trainer's module
                for t in made:
                    if q not in t["qualifications"] and r.random() < 0.3:
                        t["qualifications"].append(q)
            if self.val_track and any(c.region == ri and c.track == self.val_track for c in self.cohorts):
                tcount += 1
                made.append({"id": f"T-{tcount:03d}", "name": f"{r.choice(FIRST)} {r.choice(LAST)} (provledare)",
                             "qualifications": ["PROVLEDARE"], "languages": ["sv"], "home_site": reg["test"],
                             "available": [{"weekday": d, "start": "08:00", "end": "16:00"}
                                           for d in r.sample(WD[:5], r.randint(2, 3))],
                             "unavailable": [], "cost_per_hour": r.choice((800, 950))})
            for t in made:
                t["qualifications"].sort()
                for q in t["qualifications"]:
                    self.staff_of[(ri, q)].append(t["id"])
            self.trainers += made
            # interpreters: few per language
            used = sorted({self.person_lang[p] for pl in self.plans if pl["_region"] == ri
                           for p, _ in pl["_people"] if p in self.person_lang})
            ints = []
            for lang in used:
                have = [i for i in ints if lang in i["languages"]]
                if have and r.random() < 0.6:
                    continue
                if ints and r.random() < 0.4:
                    i = r.choice(ints)
                    i["languages"].append(lang)
                    continue
                i = {"id": f"I-{len(self.interpreters) + len(ints) + 1:03d}",
                     "name": f"{r.choice(FIRST)} {r.choice(LAST)}", "languages": ["sv", lang],
                     "home_site": r.choice(reg["lcs"]),
                     "available": [{"weekday": d, "start": a, "end": b} for d, a, b in
                                   r.choice(windows[:1] + windows[2:4] + [[(d, "08:00", "20:00") for d in WD[:5]]])],
                     "unavailable": []}
                ints.append(i)
            for i in ints:
                i["languages"] = sorted(set(i["languages"]))
            self.interpreters += ints
        self.trainer_by_id = {t["id"]: t for t in self.trainers}
        self.interp_of = defaultdict(list)
        for i in self.interpreters:
            reg = self.xy[i["home_site"]][2]
            for lang in i["languages"]:
                self.interp_of[(reg, lang)].append(i["id"])
        self.interp_by_id = {i["id"]: i for i in self.interpreters}

    # ------------------------------------------------------------ travel
    def make_travel(self):
        self.travel_default = 150
        pairs = []
        by_reg = defaultdict(list)
        for s in self.sites:
            by_reg[self.xy[s["id"]][2]].append(s["id"])
        self.tmin = {}
        for sids in by_reg.values():
            for i, a in enumerate(sids):
                for b in sids[i + 1:]:
                    (x1, y1, _), (x2, y2, _) = self.xy[a], self.xy[b]
                    mins = int(8 + 1.15 * math.hypot(x1 - x2, y1 - y2))
                    pairs.append({"from": a, "to": b, "minutes": mins})
                    self.tmin[(a, b)] = self.tmin[(b, a)] = mins
        self.travel_pairs = pairs

    def travel(self, a, b):
        if a == b:
            return 0
        return self.tmin.get((a, b), self.travel_default)

    # ------------------------------------------------------------ shifts and availability
    def shift_on(self, key, d):
        k = (key, d)
        v = self._shc.get(k)
        if v is None and k not in self._shc:
            t = self.teams[key]
            cyc = self.patterns[t["pattern"]]
            st = cyc[(d - timedelta(days=t["offset_days"]) - self.anchor).days % len(cyc)]
            if st != "-":
                s0, s1 = self.shift_min[st]
                v = (lts(d, s0), lts(d + timedelta(days=1) if s1 <= s0 else d, s1))
            self._shc[k] = v
        return v

    def shifts_near(self, key, a, b):
        out = []
        d = local_date(a) - timedelta(days=1)
        d1 = local_date(b)
        while d <= d1:
            sh = self.shift_on(key, d)
            if sh and sh[0] < b and sh[1] > a:
                out.append(sh)
            d += timedelta(days=1)
        return out

    def avail_ok(self, person, d, a, b):
        key = (person["id"], d)
        iv = self._avc.get(key)
        if iv is None:
            iv = []
            for dd in (d - timedelta(days=1), d):
                for w in person["available"]:
                    if WD.index(w["weekday"]) == dd.weekday():
                        s0, s1 = hm(w["start"]), hm(w["end"])
                        iv.append((lts(dd, s0), lts(dd + timedelta(days=1) if s1 <= s0 else dd, s1)))
            iv = merge(iv)
            self._avc[key] = iv
        if not any(x <= a and b <= y for x, y in iv):
            return False
        return d not in person.get("_off", ())

    # ------------------------------------------------------------ first-fit
    def schedule(self):
        self._shc, self._avc = {}, {}
        self.busy = defaultdict(list)        # (kind, id, date) -> [(a, b, site)]
        self.pbusy = defaultdict(list)       # pid -> [(a, b)]
        self.tday = defaultdict(int)         # (trainer, date) -> sessions
        self.tweek = defaultdict(int)        # (trainer, isoweek) -> minutes
        self.team_away = defaultdict(list)   # (team key, date) -> [(a, b, count)]
        self.room_busy = defaultdict(list)   # (room, date) -> [(a, b)]
        self.rooms_by_site = defaultdict(list)
        for rm in self.rooms:
            self.rooms_by_site[rm["site"]].append(rm)
        self.room_by_id = {rm["id"]: rm for rm in self.rooms}
        self.region_rooms = defaultdict(list)
        for rm in self.rooms:
            self.region_rooms[self.xy[rm["site"]][2]].append(rm)
        self.slack = {}
        for c in self.cohorts:
            cnt = defaultdict(int)
            for m in c.members:
                cnt[self.person_team[m]] += 1
            for key, k in cnt.items():
                self.slack[key] = max(self.slack.get(key, 0), k)
        for key in self.teams:
            self.slack.setdefault(key, 1)
        # care teams: slack 1-2 where the cohorts allow; others get what their cohorts need, or more
        for key, _t in self.teams.items():
            kind = self.region_of_wp[key[0]]["_kind"]
            if kind != "care":
                self.slack[key] = max(self.slack[key], self.r.choice((1, 2, 3, 4)))
        self.sessions = []
        self.why = defaultdict(lambda: defaultdict(int))
        dropped = []
        order = sorted(self.cohorts, key=lambda c: (c.lo, c.hi, c.id))
        repairs = defaultdict(int)
        order.reverse()
        while order:
            c = order.pop()
            if self._place_cohort(c):
                continue
            # written around the schedule: one more trainer for the track where trainers ran short
            why = self.why[c.id]
            if why["trainer/interpreter"] >= max(5, sum(why.values()) // 4) and \
                    repairs[c.region] < 3 + len(self.trainers) // (3 * len(self.regions)):
                repairs[c.region] += 1
                self._extra_trainer(c)
                if self._place_cohort(c):
                    continue
            # a coordinator splits a cohort that finds no common time (crews apart), if both halves may
            mn = self.tracks[c.track]["min_group"]
            if len(c.members) >= 2 * mn and len(c.members) >= 2:
                half = len(c.members) // 2
                parts = []
                for k, mem in enumerate((c.members[:half], c.members[half:])):
                    x = _Cohort(f"{c.id}{'ab'[k]}" if len(c.id) == 6 else f"{c.id}{k + 1}", c.track, mem, sorted({c._plan_of[m]["id"] for m in mem}),
                                c.region)
                    x.workplaces = sorted({c._plan_of[m]["workplace"] for m in mem})
                    x.lo, x.hi, x._plan_of = c.lo, c.hi, c._plan_of
                    x.lang = {self.person_lang[m] for m in mem if m in self.person_lang}
                    parts.append(x)
                self.cohorts.remove(c)
                for x in parts:
                    self.cohorts.append(x)
                order += parts[::-1]  # tried next, and split again if need be
            else:
                dropped.append(c)
        for c in dropped:
            self.cohorts.remove(c)
            for m in c.members:
                pl = c._plan_of[m]
                pl["_people"] = [x for x in pl["_people"] if x[0] != m]
        self.dropped = dropped

    def _place_cohort(self, c) -> bool:
        r = self.r
        tr = self.tracks[c.track]
        if c.hi - c.lo + 1 < self.track_days(c.track):
            return False
        pref = self.start_times[:]
        r.shuffle(pref)  # each coordinator has a favourite time
        times = [hm(x) for x in pref]
        # a coordinator rarely starts on the very first day
        cur = min(c.hi, c.lo + r.choice((0, 0, 1, 2, 3, 5, 8)))
        prev_end = None
        placed = []
        for mid in tr["modules"]:
            m = self.modules[mid]
            got = None
            start_i = cur
            tries = 0
            while start_i <= c.hi and tries < 40:
                tries += 1
                got = self._place_module(c, m, start_i, prev_end, times)
                if got is not None and got[0] == "ok":
                    break
                if got is None:
                    break
                start_i = got[1]  # retry the module from a later first day
                got = None
            if not got or got[0] != "ok":
                for s in placed:
                    self._unbook(c, s)
                return False
            sess = got[2]
            placed += sess
            prev_end = sess[-1]["_b"]
            cur = self.open_idx[sess[-1]["_d"]]
        c.sessions = placed
        self.sessions += placed
        return True

    def _place_module(self, c, m, start_i, prev_end, times):
        """All sessions of a module from open day start_i on: ("ok", _, sessions), ("retry", i, _) or None."""
        placed = []
        last_d = None
        trainer_pref = []
        for idx in range(1, m["sessions"] + 1):
            s = None
            if idx == 1:
                lo_i, hi_i = start_i, c.hi
            else:
                lo_d = last_d + timedelta(days=m["min_gap_days"])
                hi_d = last_d + timedelta(days=m["max_gap_days"]) if m.get("max_gap_days") else self.open_days[c.hi]
                lo_i = bisect_right(self.open_days, lo_d - timedelta(days=1))
                hi_i = min(c.hi, bisect_right(self.open_days, hi_d) - 1)
            for i in range(lo_i, hi_i + 1):
                d = self.open_days[i]
                for t0 in times:
                    s = self._try(c, m, idx, d, t0, prev_end, trainer_pref)
                    if s:
                        break
                if s:
                    break
            if not s:
                for x in placed:
                    self._unbook(c, x)
                if idx == 1:
                    return None
                nxt = self.open_idx[placed[0]["_d"]] + 1 if placed else start_i + 1
                return ("retry", nxt, None)
            placed.append(s)
            last_d = s["_d"]
            prev_end = s["_b"]
            trainer_pref = [s["trainer"]]
        return ("ok", None, placed)

    def _try(self, c, m, idx, d, t0, prev_end, trainer_pref):
        a = lts(d, t0)
        b = a + m["duration_minutes"] * 60.0
        why = self.why[c.id]
        if prev_end is not None and a < prev_end:
            return None
        if b > lts(d + timedelta(days=1), 0) + 0.0:
            return None
        # participants
        teams_in = defaultdict(int)
        for p in c.members:
            for x, y in self.pbusy[p]:
                if x < b and a < y:
                    why["person busy"] += 1
                    return None
            key = self.person_team[p]
            pl = c._plan_of[p]
            shs = self.shifts_near(key, a, b)
            if not pl["allow_on_shift"] and shs:
                why["on shift"] += 1
                return None
            inside = any(x <= a and b <= y for x, y in shs)
            if not pl["allow_off_shift"] and not inside:
                why["off shift"] += 1
                return None
            if shs:
                teams_in[key] += 1
            if not inside and not self._rest_ok(p, key, a, b):
                why["rest"] += 1
                return None
        for key, k in teams_in.items():
            lim = self.slack[key]
            if k > lim:
                why["slack"] += 1
                return None
            tot = k
            for dd in (d - timedelta(days=1), d, d + timedelta(days=1)):
                for x, y, n in self.team_away[(key, dd)]:
                    if x < b and a < y:
                        tot += n
            if tot > lim:
                why["staffing"] += 1
                return None
        # trainer, room, interpreters
        reg = c.region
        tlist = self.staff_of.get((reg, m["qualification"]), [])
        if not tlist:
            why["no trainer"] += 1
            return None
        ordered = [t for t in trainer_pref if t in tlist] + [t for t in self._rota(c, m, tlist) if t not in trainer_pref]
        size = len(c.members)
        if m["location"] == "remote":
            rooms = [None]
        else:
            if m["location"] == "workplace":
                sites = sorted({self.region_of_wp[w]["site"] for w in c.workplaces})
                cand = [rm for s in sites for rm in self.rooms_by_site[s]]
            else:
                cand = self.region_rooms[reg]
            feats = set(m["room_features"])
            rooms = [rm for rm in cand if rm["capacity"] >= size and feats <= set(rm["features"])
                     and self._room_free(rm["id"], d, a, b)]
            if not rooms:
                why["room"] += 1
                return None
        wk = d.isocalendar()[:2]
        for tid in ordered:
            t = self.trainer_by_id[tid]
            if self.tday[(tid, d)] >= 3 or self.tweek[(tid, wk)] + m["duration_minutes"] > 960:
                continue
            if not self.avail_ok(t, d, a, b):
                continue
            for rm in rooms:
                site_t = rm["site"] if rm else t["home_site"]
                if not self._free(("T", tid, d), a, b, site_t):
                    continue
                need = sorted(lang for lang in c.lang if lang not in t["languages"])
                ints = []
                ok = True
                for lang in need:
                    got = None
                    for iid in self.interp_of.get((reg, lang), []):
                        if iid in ints:
                            got = iid
                            break
                    if got is None:
                        for iid in self.interp_of.get((reg, lang), []):
                            ip = self.interp_by_id[iid]
                            site_i = rm["site"] if rm else ip["home_site"]
                            if self.avail_ok(ip, d, a, b) and self._free(("I", iid, d), a, b, site_i):
                                got = iid
                                break
                    if got is None:
                        ok = False
                        break
                    if got not in ints:
                        ints.append(got)
                if not ok:
                    continue
                why["ok"] += 1
                s = {"cohort": c.id, "module": m["id"], "index": idx, "trainer": tid,
                     "room": rm["id"] if rm else None, "interpreters": ints, "_a": a, "_b": b, "_d": d,
                     "_teams": dict(teams_in)}
                self._book(c, s)
                return s
        why["trainer/interpreter"] += 1
        return None

    def _extra_trainer(self, c):
        r = self.r
        reg = self.regions[c.region]
        quals = sorted({self.modules[m]["qualification"] for m in self.tracks[c.track]["modules"]})
        langs = ["sv"] + ([sorted(c.lang)[0]] if c.lang and r.random() < 0.5 else [])
        t = {"id": f"T-{len(self.trainers) + 1:03d}", "name": f"{r.choice(FIRST)} {r.choice(LAST)}",
             "qualifications": quals, "languages": langs,
             "home_site": r.choice(reg["lcs"] + [self.region_of_wp[w]["site"] for w in c.workplaces]),
             "available": [{"weekday": d, "start": "07:00", "end": r.choice(("17:00", "21:30"))} for d in WD[:5]],
             "unavailable": [], "cost_per_hour": r.choice((650, 850, 1100, 1300))}
        self.trainers.append(t)
        self.trainer_by_id[t["id"]] = t
        for q in quals:
            self.staff_of[(c.region, q)].append(t["id"])

    def _rota(self, c, m, tlist):
        """The coordinator's trainer order: by a rota that turns with the cohort (not the cheapest)."""
        k = (sum(map(ord, c.id)) + len(m["id"])) % len(tlist)
        return tlist[k:] + tlist[:k]

    def _room_free(self, rid, d, a, b):
        for x, y in self.room_busy[(rid, d)]:
            if x < b and a < y:
                return False
        return True

    def _free(self, key, a, b, site):
        for x, y, s in self.busy[key]:
            if x < b and a < y:
                return False
            if y <= a and (a - y) / 60.0 < self.travel(s, site):
                return False
            if b <= x and (x - b) / 60.0 < self.travel(site, s):
                return False
        return True

    def _rest_ok(self, p, key, a, b):
        R = self.rest_hours * 3600.0
        lo, hi = a - 2 * DAY, b + 2 * DAY
        shifts = self.shifts_near(key, lo, hi)
        sess = [(x, y) for x, y in self.pbusy[p] if y > lo and x < hi]
        tb = merge(shifts)
        blocks = merge(shifts + sess + [(a, b)])
        for w, _ in blocks:
            if w >= b or w + DAY <= a:
                continue
            if longest_free(blocks, w, w + DAY) >= R - 1e-6:
                continue
            if longest_free(tb, w, w + DAY) < R - 1e-6:
                continue
            return False
        return True

    def _site_of(self, s, person):
        return self.room_by_id[s["room"]]["site"] if s["room"] else person["home_site"]

    def _book(self, c, s, sign: int = 1):
        """Record session s of cohort c in the witness's own bookkeeping (sign -1: take it out)."""
        a, b, d = s["_a"], s["_b"], s["_d"]
        t = self.trainer_by_id[s["trainer"]]

        def put(lst, item):
            lst.append(item) if sign > 0 else lst.remove(item)

        put(self.busy[("T", t["id"], d)], (a, b, self._site_of(s, t)))
        self.tday[(t["id"], d)] += sign
        self.tweek[(t["id"], d.isocalendar()[:2])] += sign * int((b - a) / 60)
        for iid in s["interpreters"]:
            put(self.busy[("I", iid, d)], (a, b, self._site_of(s, self.interp_by_id[iid])))
        if s["room"]:
            put(self.room_busy[(s["room"], d)], (a, b))
        for p in c.members:
            put(self.pbusy[p], (a, b))
        for key, k in s["_teams"].items():
            put(self.team_away[(key, d)], (a, b, k))

    def _unbook(self, c, s):
        self._book(c, s, -1)

    # ------------------------------------------------------------ tightening around the schedule
    def tighten(self):
        r = self.r
        od = self.open_days
        # plans: windows (some shrink around their sessions), targets
        span = {}
        for c in self.cohorts:
            for pid in c.plans:
                lo = min(s["_d"] for s in c.sessions)
                hi = max(s["_d"] for s in c.sessions)
                x = span.get(pid)
                span[pid] = (min(lo, x[0]), max(hi, x[1])) if x else (lo, hi)
        for pl in self.plans:
            if pl["id"] not in span:
                continue
            e, dl = od[pl["_win"][0]], od[pl["_win"][1]]
            lo, hi = span[pl["id"]]
            if r.random() < self.f["narrow"] * 0.6:
                e = max(e, lo - timedelta(days=r.randint(0, 10)))
                dl = min(dl, hi + timedelta(days=r.randint(0, 10)))
            pl["earliest"], pl["deadline"] = e.isoformat(), dl.isoformat()
            # the target: often the deadline, sometimes earlier (then the witness may be late)
            tgt = dl - timedelta(days=r.choice((0, 0, 0, 7, 14, 21)))
            pl["target"] = max(e, tgt).isoformat()
        # staffing: slack = what the schedule needs on care teams, some spare elsewhere
        for key, t in self.teams.items():
            n = t["_n"]
            head = max(n + 1, n + self.r.randint(0, 8))
            slack = self.slack[key]
            t["headcount"] = head
            t["min_staffing"] = head - slack
        # trainers: limits close to what they teach, absences on free days
        per_day = defaultdict(int)
        per_week = defaultdict(int)
        days_of = defaultdict(set)
        for s in self.sessions:
            per_day[(s["trainer"], s["_d"])] += 1
            per_week[(s["trainer"], s["_d"].isocalendar()[:2])] += int((s["_b"] - s["_a"]) / 60)
            days_of[s["trainer"]].add(s["_d"])
        for t in self.trainers:
            tid = t["id"]
            md = max([v for (x, _), v in per_day.items() if x == tid] or [1])
            mw = max([v for (x, _), v in per_week.items() if x == tid] or [240])
            if r.random() < 0.8:
                t["max_sessions_per_day"] = max(md, 2) if r.random() < 0.6 else md + 1
            if r.random() < 0.8:
                t["max_minutes_per_week"] = int(math.ceil((mw + r.choice((0, 0, 60, 120, 240))) / 30.0) * 30)
            t["unavailable"] = self._absences(days_of[tid], r.randint(0, 3))
        idays = defaultdict(set)
        for s in self.sessions:
            for iid in s["interpreters"]:
                idays[iid].add(s["_d"])
        for i in self.interpreters:
            i["unavailable"] = self._absences(idays[i["id"]], r.randint(0, 2))
        rdays = defaultdict(set)
        for s in self.sessions:
            if s["room"]:
                rdays[s["room"]].add(s["_d"])
        for rm in self.rooms:
            rm["unavailable"] = [{"start": f"{u['start']}T00:00", "end": f"{u['end']}T23:59"}
                                 for u in self._absences(rdays[rm["id"]], r.choice((0, 0, 1, 2)))]

    def _absences(self, busy_days, n):
        r = self.r
        out = []
        for _ in range(n):
            d0 = self.h0 + timedelta(days=r.randint(0, (self.h1 - self.h0).days))
            length = r.choice((1, 1, 2, 5))
            days = [d0 + timedelta(days=k) for k in range(length)]
            if any(d in busy_days for d in days):
                continue
            out.append({"start": days[0].isoformat(), "end": days[-1].isoformat()})
        return out

    # ------------------------------------------------------------ objective (the spec's count)
    def objective(self):
        W = self.W
        backfill = overtime = tcost = 0.0
        for s in self.sessions:
            hours = (s["_b"] - s["_a"]) / 3600.0
            c = self.cohort_by_id[s["cohort"]]
            for p in c.members:
                iv = [(max(s["_a"], x), min(s["_b"], y)) for x, y in self.shifts_near(self.person_team[p], s["_a"], s["_b"])]
                inside = sum(y - x for x, y in merge(iv) if y > x) / 3600.0
                backfill += inside
                overtime += hours - inside
            tcost += self.trainer_by_id[s["trainer"]]["cost_per_hour"] * hours
        travel = 0.0
        days = defaultdict(list)
        for s in self.sessions:
            days[("T", s["trainer"], s["_d"])].append(s)
            for iid in s["interpreters"]:
                days[("I", iid, s["_d"])].append(s)
        for (kind, pid, _), lst in days.items():
            person = self.trainer_by_id[pid] if kind == "T" else self.interp_by_id[pid]
            home = person["home_site"]
            path = [home] + [self._site_of(s, person) for s in sorted(lst, key=lambda s: s["_a"])] + [home]
            travel += sum(self.travel(x, y) for x, y in zip(path, path[1:]))
        late = changes = 0
        plan_by_id = {p["id"]: p for p in self.plans}
        for c in self.cohorts:
            target = min(date.fromisoformat(plan_by_id[p]["target"]) for p in c.plans)
            last = max(c.sessions, key=lambda s: s["_a"])
            late += max(0, (last["_d"] - target).days)
            per = defaultdict(set)
            for s in c.sessions:
                per[s["module"]].add(s["trainer"])
            changes += sum(len(v) - 1 for v in per.values())
        bd = {
            "unscheduled_session": 0.0, "unassigned_participant": 0.0,
            "backfill_per_hour": backfill * W["backfill_per_hour"],
            "overtime_per_hour": overtime * W["overtime_per_hour"],
            "trainer_cost": tcost, "travel_per_minute": travel * W["travel_per_minute"],
            "late_per_day": late * W["late_per_day"], "trainer_change": changes * W["trainer_change"],
        }
        return {"backfill_hours": backfill, "overtime_hours": overtime, "travel_minutes": travel,
                "late_days": late, "trainer_changes": changes, "objective_breakdown": bd,
                "objective": sum(bd.values())}

    # ------------------------------------------------------------ output
    def build(self):
        r = self.r
        self._pending_val = []
        self.langs = list(LANGS)
        r.shuffle(self.langs)
        self.langs = self.langs[:r.randint(2, 5)]
        self.make_calendar()
        self.make_catalogue()
        self.make_regions()
        self.make_travel()
        self.make_cohorts()
        self.ensure_rooms()
        self.make_staff()
        self.schedule()
        # plans that lost everybody go; the rest keep only those in a cohort
        kept = {m for c in self.cohorts for m in c.members}
        plans = []
        for pl in self.plans:
            people = [x for x in pl["_people"] if x[0] in kept and any(
                x[0] in c.members and c.track == pl["track"] for c in self._cohorts_of(x[0]))]
            if not people:
                continue
            pl["_people"] = people
            pl["participants"] = self._entries(pl, people)
            plans.append(pl)
        self.plans = plans
        assert len({p["id"] for p in plans}) == len(plans), "plan ids are unique"
        self.tighten()
        self.cohort_by_id = {c.id: c for c in self.cohorts}
        scenario = self.scenario_json()
        witness = self.witness_json()
        return scenario, witness

    def _cohorts_of(self, pid):
        if not hasattr(self, "_cof"):
            self._cof = defaultdict(list)
            for c in self.cohorts:
                for m in c.members:
                    self._cof[m].append(c)
        return self._cof[pid]

    def _entries(self, pl, people):
        """The plan's participant entries for the people kept (counted entries stay counted when whole)."""
        keep = {p for p, _ in people}
        out = []
        for e in pl["participants"]:
            if "count" in e:
                ids = [f"{pl['id']}-{e['team']}-{j}" for j in range(1, e["count"] + 1)]
                if all(i in keep for i in ids):
                    out.append(e)
                else:  # some left out: name the rest (counted ids are fine as names)
                    out += [{"id": i, "team": e["team"], **({"language": e["language"]} if "language" in e else {})}
                            for i in ids if i in keep]
            elif e["id"] in keep:
                out.append(e)
        return out

    def scenario_json(self):
        used_types = sorted({st for t in self.teams.values() for st in self.patterns[t["pattern"]] if st != "-"})
        used_pats = sorted({t["pattern"] for t in self.teams.values()})
        used_tracks = [t for t in self.tracks if any(p["track"] == t for p in self.plans)]
        used_mods = [m for t in used_tracks for m in self.tracks[t]["modules"]]
        sc = {
            "format": "modulplan/scenario-1",
            "id": f"planted-{self.family}-{self.size}-s{self.seed}",
            "name": f"Planterat program: {self.family}, storlek {self.size}, frö {self.seed}",
            "timezone": TZ_NAME,
            "horizon": {"start": self.h0.isoformat(), "end": self.h1.isoformat()},
            "calendar": {"holidays": "SE",
                         "closed": [{"start": a.isoformat(), "end": b.isoformat(), "reason": why}
                                    for a, b, why in self.closed],
                         "weekdays": self.weekdays, "start_times": self.start_times,
                         "daily_rest_hours": self.rest_hours},
            "shift_types": [{"id": k, "start": SHIFT_TYPES[k][0], "end": SHIFT_TYPES[k][1]} for k in used_types],
            "shift_patterns": [{"id": p, "anchor": self.anchor.isoformat(), "cycle": self.patterns[p]}
                               for p in used_pats],
            "sites": self.sites,
            "travel": {"default_minutes": self.travel_default, "pairs": self.travel_pairs},
            "workplaces": [{"id": w["id"], "name": w["name"], "site": w["site"],
                            "teams": [{k: t[k] for k in ("id", "pattern", "offset_days", "headcount",
                                                         "min_staffing")} for t in w["teams"]]}
                           for w in self.workplaces],
            "rooms": self.rooms,
            "trainers": self.trainers,
            "interpreters": self.interpreters,
            "modules": [self.modules[m] for m in used_mods],
            "tracks": [self.tracks[t] for t in used_tracks],
            "action_plans": [{k: pl[k] for k in ("id", "workplace", "track", "participants", "earliest", "deadline",
                                                 "target", "allow_on_shift", "allow_off_shift")}
                             for pl in self.plans],
            "weights": self.weights,
        }
        return json.loads(json.dumps(sc))  # plain JSON (no tuples, no private keys shared)

    def witness_json(self):
        obj = self.objective()
        sessions = []
        for s in sorted(self.sessions, key=lambda s: (s["_a"], s["cohort"], s["module"], s["index"])):
            sessions.append({"id": f"S{len(sessions) + 1:05d}", "cohort": s["cohort"], "module": s["module"],
                             "index": s["index"], "start": iso(s["_a"]), "end": iso(s["_b"]),
                             "trainer": s["trainer"], "room": s["room"], "interpreters": s["interpreters"]})
        plan_track = {p["id"]: p["track"] for p in self.plans}
        cohorts = []
        for c in self.cohorts:
            c.plans = sorted({p for p in c.plans if p in plan_track})
            cohorts.append({"id": c.id, "track": c.track, "workplaces": c.workplaces, "participants": c.members})
        kpis = {"sessions_total": len(sessions), "sessions_scheduled": len(sessions),
                "backfill_hours": round(obj["backfill_hours"], 4), "overtime_hours": round(obj["overtime_hours"], 4),
                "travel_minutes": obj["travel_minutes"], "late_days": obj["late_days"],
                "trainer_changes": obj["trainer_changes"],
                "objective_breakdown": {k: round(v, 4) for k, v in obj["objective_breakdown"].items()}}
        return {"format": "modulplan/schedule-1", "scenario": f"planted-{self.family}-{self.size}-s{self.seed}",
                "status": "feasible", "objective": round(obj["objective"], 4), "bound": None, "solve_seconds": 0,
                "cohorts": cohorts, "sessions": sessions, "unscheduled": [], "unassigned_participants": [],
                "kpis": kpis}


# what each size should come to: persons and sessions (a draw outside is drawn again, a few times)
BOUNDS = {"S": ((15, 30), (20, 40)), "M": ((200, 270), (300, 560)), "L": ((900, 1150), (1300, 2100)),
          "XL": ((6500, 9500), (9000, 15000))}


def planted(size: str, seed: int, family: str = "mixed") -> tuple[dict, dict]:
    """(scenario, witness): a planted-feasible programme and a complete schedule for it.

    Deterministic: the same (size, seed, family) gives the same JSON. A draw whose persons or
    sessions fall outside the size's bounds is drawn again from the next stream (at most 12
    draws; the closest one is kept)."""
    (p0, p1), (s0, s1) = BOUNDS[size]
    best = None
    for attempt in range(12 if size != "XL" else 1):
        g = Planted(size, seed, family, attempt)
        sc, w = g.build()
        f = figures(sc, w)
        miss = (max(0, p0 - f["persons"], f["persons"] - p1) / max(1, p0)
                + max(0, s0 - f["sessions"], f["sessions"] - s1) / max(1, s0))
        if best is None or miss < best[0]:
            best = (miss, sc, w)
        if miss == 0:
            break
    return best[1], best[2]


def check(scenario: dict, witness: dict):
    """The project's validator on the witness: (report, our objective - its objective)."""
    from scheduler.validate import validate
    rep = validate(scenario, witness)
    return rep, witness["objective"] - rep.kpis["objective"]


def figures(scenario: dict, witness: dict) -> dict:
    return {
        "workplaces": len(scenario["workplaces"]),
        "teams": sum(len(w["teams"]) for w in scenario["workplaces"]),
        "plans": len(scenario["action_plans"]),
        "persons": len({e["id"] for p in scenario["action_plans"] for e in p["participants"] if "id" in e})
        + sum(e["count"] for p in scenario["action_plans"] for e in p["participants"] if "count" in e),
        "trainers": len(scenario["trainers"]), "rooms": len(scenario["rooms"]),
        "interpreters": len(scenario["interpreters"]), "sites": len(scenario["sites"]),
        "tracks": len(scenario["tracks"]), "modules": len(scenario["modules"]),
        "cohorts": len(witness["cohorts"]), "sessions": len(witness["sessions"]),
        "horizon": f"{scenario['horizon']['start']}..{scenario['horizon']['end']}",
        "objective": witness["objective"],
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="S", choices=SIZES)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--family", default="mixed", choices=FAMILIES)
    ap.add_argument("--out", help="directory for scenario.json and planted.json")
    ap.add_argument("--no-validate", action="store_true")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    sc, wit = planted(a.size, a.seed, a.family)
    gen = time.perf_counter() - t0
    if a.out:
        out = Path(a.out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "scenario.json").write_text(json.dumps(sc, ensure_ascii=False, indent=1))
        (out / "planted.json").write_text(json.dumps(wit, ensure_ascii=False, indent=1))
    f = figures(sc, wit)
    print(f"{sc['id']}: generated in {gen:.1f} s")
    print("  " + ", ".join(f"{k} {v}" for k, v in f.items()))
    if a.no_validate:
        return 0
    root = Path(__file__).resolve().parent.parent
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from scheduler.validate import format_report
    t0 = time.perf_counter()
    rep, diff = check(sc, wit)
    print(f"validator ({time.perf_counter() - t0:.1f} s): " + ("OK" if rep.ok else f"{len(rep.violations)} violations")
          + f", objective {rep.kpis['objective']:.1f} (ours differs by {diff:.3f})")
    if not rep.ok:
        print("\n".join(format_report(rep).splitlines()[:30]))
    return 0 if rep.ok and abs(diff) < 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
