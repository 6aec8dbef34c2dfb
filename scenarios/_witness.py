"""Capacity checker and greedy witness for the example scenarios.

Not part of the optimizer: this is the scenario authors' own sanity tool, used by
``generate.py --check``.  ``check()`` prints load figures; ``witness()`` builds a
schedule greedily that keeps every hard rule of scenario-v1 (it checks each rule
itself, conservatively) and reports how many sessions it could not place.  A
witness with zero unscheduled sessions proves the scenario is feasible.

Standard library only, except the ``holidays`` package (a project dependency)
for the Swedish public holidays.
"""
from __future__ import annotations

import bisect
import math
from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

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
    out(f"   cohorts (estimate) {len(cohorts)} (ILLEGAL: below min_group {len(small)}, above max {len(big)}); "
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
        return {"format": "modulplan/schedule-1", "scenario": m.scn["id"], "status": "feasible",
                "objective": None, "bound": None, "solve_seconds": 0, "cohorts": cohorts,
                "sessions": sessions, "unscheduled": [], "unassigned_participants": [],
                "kpis": {"sessions_total": len(sessions), "sessions_scheduled": len(sessions)}}


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
