"""ITC-2007 Track 3 adapter: parser, independent evaluator, solver, command line.

The instances are the official ones, kept in ``benchmarks/itc2007_adapter/instances/`` (copied byte
for byte from the shared benchmark folder); see the README there for the format and the cost definitions.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.itc2007_adapter.cli import run
from benchmarks.itc2007_adapter.evaluate import best_known, evaluate, format_evaluation
from benchmarks.itc2007_adapter.instance import (
    InstanceError,
    Lecture,
    format_solution,
    load_instance,
    parse_instance,
    parse_solution,
)
from benchmarks.itc2007_adapter.solve import SolveParams, solve

ROOT = Path(__file__).resolve().parents[1]
_CANDIDATES = [ROOT / "benchmarks" / "itc2007_adapter" / "instances"]
BENCH = next((p for p in _CANDIDATES if (p / "toy.ctt").exists()), _CANDIDATES[0])


@pytest.fixture(scope="module")
def toy():
    if not (BENCH / "toy.ctt").exists():
        pytest.fail("the ITC-2007 instances are missing: looked in " + ", ".join(map(str, _CANDIDATES)))
    return load_instance(BENCH / "toy.ctt")


# -- parser ------------------------------------------------------------------------------


def test_parser_reads_the_toy_instance(toy):
    assert toy.name == "ToyExample"
    assert (toy.days, toy.periods_per_day, toy.periods) == (5, 4, 20)
    assert [c.id for c in toy.courses] == ["SceCosC", "ArcTec", "TecCos", "Geotec"]
    tec = toy.course_by_id["TecCos"]
    assert (tec.teacher, tec.lectures, tec.min_working_days, tec.students) == ("Rosa", 5, 4, 40)
    assert [(r.id, r.capacity) for r in toy.rooms] == [("A", 32), ("B", 50)]
    assert [(q.id, q.courses) for q in toy.curricula] == [("Cur1", ("SceCosC", "ArcTec", "TecCos")),
                                                          ("Cur2", ("TecCos", "Geotec"))]
    # "TecCos 2 0" is period 2 * 4 + 0 = 8; ArcTec is unavailable all of day 4 (16..19).
    assert toy.unavailable == {("TecCos", 8), ("TecCos", 9), ("TecCos", 14), ("TecCos", 15),
                               ("ArcTec", 16), ("ArcTec", 17), ("ArcTec", 18), ("ArcTec", 19)}
    assert toy.total_lectures == 16


def test_parser_reads_every_competition_instance():
    for k in range(1, 22):
        inst = load_instance(BENCH / f"comp{k:02d}.ctt")
        assert inst.courses and inst.rooms and inst.curricula
    assert load_instance(BENCH / "comp07.ctt").total_lectures == 434


def _toy_text() -> str:
    return (BENCH / "toy.ctt").read_text()


@pytest.mark.parametrize("change, line, words", [
    (lambda t: t.replace("TecCos Rosa 5 4 40", "TecCos Rosa 5 4"), 12, "malformed COURSES"),
    (lambda t: t.replace("TecCos Rosa 5 4 40", "TecCos Rosa five 4 40"), 12, "#Lectures must be a whole number"),
    (lambda t: t.replace("Cur2 2 TecCos Geotec", "Cur2 2 TecCos Geotek"), 21, "unknown course 'Geotek'"),
    (lambda t: t.replace("Cur2 2 TecCos Geotec", "Cur2 3 TecCos Geotec"), 21, "says 3 courses but lists 2"),
    (lambda t: t.replace("ArcTec   4  3", "ArcTec   5  3"), 31, "outside 5 days"),
    (lambda t: t.replace("Rooms: 2", "Rooms: 3"), 19, "fewer lines than the header's 3"),
    (lambda t: t.replace("Constraints: 8", "Constraints: 7"), 31, "expected 'END.'"),
    (lambda t: t.replace("Days: 5", "Days 5"), 4, "expected 'Days: <value>'"),
    (lambda t: t.replace("B 50", "A 50"), 17, "room id 'A' appears twice (first on line 16)"),
])
def test_parser_errors_name_the_line(change, line, words):
    with pytest.raises(InstanceError) as err:
        parse_instance(change(_toy_text()), "toy.ctt")
    assert err.value.line == line
    assert words in str(err.value)
    assert str(err.value).startswith(f"toy.ctt:{line}: ")


def test_solution_round_trip():
    lectures = [Lecture("B", "r1", 1, 2), Lecture("A", "r2", 0, 3)]
    text = format_solution(lectures)
    assert text == "A r2 0 3\nB r1 1 2\n"
    assert sorted(parse_solution(text), key=lambda lc: lc.course) == sorted(lectures, key=lambda lc: lc.course)
    with pytest.raises(InstanceError, match=":2: expected"):
        parse_solution("A r2 0 3\nB r1 1\n")


# -- evaluator ---------------------------------------------------------------------------

REPORT_EXAMPLE = """\
SceCosC B 3 0
SceCosC A 3 1
SceCosC A 4 0
ArcTec B 0 1
ArcTec B 1 1
ArcTec B 1 2
TecCos B 0 0
TecCos A 0 1
TecCos B 2 2
TecCos B 4 2
TecCos B 4 3
Geotec A 2 2
Geotec A 2 3
Geotec B 3 0
Geotec A 3 1
Geotec A 4 2
"""


def test_evaluator_reproduces_the_technical_report(toy):
    """The report's deliberately infeasible example and the official validator's output."""
    ev = evaluate(toy, REPORT_EXAMPLE)
    assert ev.hard_violations() == {"Lectures": 0, "Conflicts": 3, "Availability": 0, "RoomOccupation": 2}
    assert ev.soft_costs() == {"RoomCapacity": 8, "MinWorkingDays": 15, "CurriculumCompactness": 4,
                               "RoomStability": 3}
    assert (ev.violations, ev.cost) == (5, 30)
    assert format_evaluation(ev).endswith("Summary: Violations = 5, Total Cost = 30")


# A feasible timetable of the toy instance, checked by hand (day, period):
#   SceCosC (30 students) in A (32):  (0,0) (1,0) (2,0)
#   ArcTec  (42 students) in B (50):  (0,1) (1,1);  in A (32): (2,1)
#   TecCos  (40 students) in B:       (0,2) (1,2) (2,2) (3,0) (3,1)   (avoids its (2,0),(2,1),(3,2),(3,3))
#   Geotec  (18 students) in A:       (0,3) (1,3) (4,0) (4,1) (4,2)
# Hard: every course has its lectures; Cur1 = {SceCosC, ArcTec, TecCos} and Cur2 = {TecCos,
#   Geotec} never share a period; teachers are all different; no room holds two lectures.
# RoomCapacity: ArcTec in A at (2,1): 42 - 32 = 10                                 -> 10
# MinWorkingDays: SceCosC 3 days >= 3, ArcTec 3 >= 2, TecCos 4 >= 4,
#   Geotec days {0, 1, 4} = 3 < 4: 1 missing day x 5                              ->  5
# CurriculumCompactness: Cur1 has periods 0-1-2 on days 0, 1, 2 and 0-1 on day 3: none
#   isolated. Cur2: day 0 p2+p3, day 1 p2+p3, day 3 p0+p1, day 4 p0-p1-p2 are adjacent;
#   day 2 p2 (TecCos) has nothing at p1 or p3: 1 isolated lecture x 2               ->  2
# RoomStability: ArcTec uses B and A: 2 - 1                                         ->  1
# Total: 10 + 5 + 2 + 1 = 18.
HAND_CHECKED = """\
SceCosC A 0 0
SceCosC A 1 0
SceCosC A 2 0
ArcTec B 0 1
ArcTec B 1 1
ArcTec A 2 1
TecCos B 0 2
TecCos B 1 2
TecCos B 2 2
TecCos B 3 0
TecCos B 3 1
Geotec A 0 3
Geotec A 1 3
Geotec A 4 0
Geotec A 4 1
Geotec A 4 2
"""


def test_evaluator_on_a_hand_checked_solution(toy, tmp_path):
    path = tmp_path / "toy.sol"
    path.write_text(HAND_CHECKED)
    ev = evaluate(toy, path)
    assert ev.violations == 0
    assert ev.soft_costs() == {"RoomCapacity": 10, "MinWorkingDays": 5, "CurriculumCompactness": 2,
                               "RoomStability": 1}
    assert ev.cost == 18


def test_evaluator_counts_each_hard_violation(toy):
    lines = HAND_CHECKED.splitlines()
    # A missing lecture of Geotec; TecCos moved into its unavailable (2, 0), where SceCosC
    # (same curriculum) and its room A already are.
    broken = [ln for ln in lines if ln != "Geotec A 4 2"]
    broken = [("TecCos A 2 0" if ln == "TecCos B 3 1" else ln) for ln in broken]
    ev = evaluate(toy, "\n".join(broken))
    assert ev.hard_violations() == {"Lectures": 1, "Conflicts": 1, "Availability": 1, "RoomOccupation": 1}


def test_evaluator_skips_bad_lines_like_the_validator(toy):
    text = HAND_CHECKED + "Nope A 0 0\nGeotec Z 0 0\nGeotec A 9 0\nGeotec B 0 3\n"
    ev = evaluate(toy, text)
    assert ev.violations == 0 and ev.cost == 18
    assert len(ev.warnings) == 4 and any("Repeated entry" in w for w in ev.warnings)


def test_best_known_table():
    assert best_known("Ing0607-2") == ("comp07", 6, True)
    assert best_known("whatever", "x/comp15.ctt") == ("comp15", 64, False)
    assert best_known("ToyExample", "toy.ctt") is None


# -- model and solver ------------------------------------------------------------------


def _placements(inst, problem, lectures):
    """A solution's lectures as the engine's placements (session, candidate start, trainer, room)."""
    from benchmarks.itc2007_adapter.engine_input import _Where
    from scheduler.prepare.problem import Placement

    where = _Where(inst, problem)
    sessions = {}
    for i in range(len(problem.sessions)):
        sessions.setdefault(inst.courses[where.course_of[i]].id, []).append(i)
    placed = {}
    for lc in lectures:
        i = sessions[lc.course].pop(0)
        o = problem.options[i]
        period = inst.period(lc.day, lc.day_period)
        k = next(k for k, _ in enumerate(o.candidates) if where.period(Placement(i, k, "", None, ())) == period)
        placed[i] = Placement(i, k, next(iter(o.trainers)), lc.room, ())
    return placed


def test_the_instance_is_a_scenario_of_the_spec(toy):
    """The adapter writes a programme the format's own schemas accept: one track per lecture,
    a participant per curriculum and per course, the course's unavailable periods as its team's
    blocked periods, every weight but unscheduled sessions at 0."""
    from benchmarks.itc2007_adapter.engine_input import scenario_document
    from scheduler.format.loading import load_scenario_with_warnings

    doc, warnings = load_scenario_with_warnings(scenario_document(toy))
    assert warnings == []
    assert len(doc["tracks"]) == toy.total_lectures
    tec = next(t for t in doc["workplaces"][0]["teams"] if t["id"] == "T-TecCos")
    assert [(b["start"], b["end"]) for b in tec["blocked"]][:2] == [("2025-02-05T08:00", "2025-02-05T09:00"),
                                                                    ("2025-02-05T09:00", "2025-02-05T10:00")]
    assert {k for k, v in doc["weights"].items() if v} == {"unscheduled_session", "unassigned_participant"}


def test_the_engine_counts_the_hand_checked_solution_as_the_evaluator(toy):
    """The hand-checked timetable, as placements of the engine's problem: its ledger (the
    spec's terms, all zero here, and the instance's four) says 18, term by term as the
    evaluator."""
    from benchmarks.itc2007_adapter.engine_input import ItcCosts, planning_problem
    from scheduler.search.construct import Bookings
    from scheduler.search.ledger import Ledger

    problem = planning_problem(toy)
    placed = _placements(toy, problem, parse_solution(HAND_CHECKED))
    assert len(placed) == toy.total_lectures
    book, ledger, costs = Bookings(problem), Ledger(problem), ItcCosts(toy, problem)
    for pl in placed.values():
        assert book.broken_rule(pl) is None
        book.book(pl)
        ledger.add(pl)
        costs.change(pl, +1)
    assert ledger.total == 18
    assert costs.totals() == evaluate(toy, parse_solution(HAND_CHECKED)).soft_costs() == {
        "RoomCapacity": 10, "MinWorkingDays": 5, "CurriculumCompactness": 2, "RoomStability": 1}
    for pl in list(placed.values())[:5]:  # taking lectures out and back gives the same total
        ledger.remove(pl)
    for pl in list(placed.values())[:5]:
        ledger.add(pl)
    assert ledger.total == 18


def test_what_adding_a_lecture_would_cost_is_what_adding_it_costs(toy):
    """`add_delta` (the room's part and the period's apart, the period's remembered until the
    next change) against the change itself, for every placement of the hand-checked
    timetable, in every room, taken out of the rest."""
    from benchmarks.itc2007_adapter.engine_input import ItcCosts, planning_problem
    from scheduler.search.construct import Placement

    problem = planning_problem(toy)
    placed = list(_placements(toy, problem, parse_solution(HAND_CHECKED)).values())
    costs = ItcCosts(toy, problem)
    for pl in placed:
        costs.change(pl, +1)
    for pl in placed:
        costs.change(pl, -1)
        for room in [r.id for r in toy.rooms]:
            moved = Placement(pl.session, pl.candidate, pl.trainer, room, pl.interpreters)
            predicted = costs.add_delta(moved)
            assert costs.change(moved, +1) == predicted
            costs.change(moved, -1)
        costs.change(pl, +1)


def test_the_products_search_finds_the_toy_optimum(toy):
    result = solve(toy, SolveParams(time_limit=4, workers=1))
    ev = evaluate(toy, result.lectures)
    assert ev.violations == 0 and result.unscheduled == 0
    assert ev.cost == result.cost == 0


def test_the_products_search_on_comp01():
    """Every lecture placed, no hard violation by the independent evaluator, the engine's
    cost term by term the evaluator's, and better than the constructive timetable."""
    inst = load_instance(BENCH / "comp01.ctt")
    result = solve(inst, SolveParams(time_limit=6, workers=2, marks=(3.0,)))
    ev = evaluate(inst, result.lectures)
    assert ev.violations == 0 and result.unscheduled == 0
    assert ev.cost == result.cost == sum(result.breakdown.values())
    assert ev.soft_costs() == result.breakdown
    assert result.constructive_cost is None or result.cost <= result.constructive_cost
    assert result.at_marks[3.0] is None or result.at_marks[3.0] >= result.cost
    assert result.seconds < 6 + 2


def test_cli_writes_the_solution_and_reports(tmp_path, capsys):
    out = tmp_path / "sol" / "toy.sol"
    code = run([str(BENCH / "toy.ctt"), "--time-limit", "5", "--out", str(out), "--quiet"])
    text = capsys.readouterr().out
    assert code == 0
    assert evaluate(load_instance(BENCH / "toy.ctt"), out).violations == 0
    assert "Summary: Violations = 0, Total Cost = 0" in text


def test_cli_rejects_a_malformed_instance(tmp_path, capsys):
    bad = tmp_path / "bad.ctt"
    bad.write_text(_toy_text().replace("A 32", "A thirty"))
    assert run([str(bad), "--out", str(tmp_path / "x.sol")]) == 2
    assert f"{bad}:16: room capacity must be a whole number" in capsys.readouterr().err
