"""The built-in example scenario that `modulplan template` writes into the workbook."""

from __future__ import annotations

from scheduler.format import SCENARIO_FORMAT


def example_scenario() -> dict:
    """A small, complete scenario (a paper mill's crews and a care home) for the template."""
    day = [{"weekday": d, "start": "07:00", "end": "17:00"} for d in ("mon", "tue", "wed", "thu", "fri")]
    return {
        "format": SCENARIO_FORMAT, "id": "exempel-1", "name": "Exempel: bruk och vårdboende, vår 2026",
        "timezone": "Europe/Stockholm", "horizon": {"start": "2026-03-02", "end": "2026-05-29"},
        "calendar": {"holidays": "SE", "weekdays": ["mon", "tue", "wed", "thu", "fri"],
                     "closed": [{"start": "2026-04-13", "end": "2026-04-17", "reason": "påsklov"}],
                     "start_times": ["07:00", "08:00", "13:00", "14:30"], "daily_rest_hours": 11},
        "shift_types": [{"id": "F", "start": "06:00", "end": "14:00"}, {"id": "E", "start": "14:00", "end": "22:00"},
                        {"id": "N", "start": "22:00", "end": "06:00"}],
        "shift_patterns": [
            {"id": "tvaskift", "anchor": "2026-03-02", "cycle": ["F"] * 5 + ["-"] * 2 + ["E"] * 5 + ["-"] * 2},
            {"id": "femskift", "anchor": "2026-03-02", "cycle": ["F", "F", "E", "E", "N", "N", "-", "-", "-", "-"]}],
        "sites": [{"id": "S-BRUK", "name": "Bruket"}, {"id": "S-VARD", "name": "Vårdboendet Linden"},
                  {"id": "S-LC", "name": "Lärcentrum"}],
        "travel": {"default_minutes": 30, "pairs": [{"from": "S-BRUK", "to": "S-LC", "minutes": 25},
                                                    {"from": "S-VARD", "to": "S-LC", "minutes": 15}]},
        "workplaces": [
            {"id": "W-BRUK", "name": "Bruket", "site": "S-BRUK", "teams": [
                {"id": "skiftlag-1", "pattern": "femskift", "offset_days": 0, "headcount": 6, "min_staffing": 4},
                {"id": "skiftlag-2", "pattern": "femskift", "offset_days": 2, "headcount": 6, "min_staffing": 4,
                 "blocked": [{"start": "2026-03-16", "end": "2026-03-20", "reason": "inventering"}]}]},
            {"id": "W-VARD", "name": "Vårdboendet Linden", "site": "S-VARD", "teams": [
                {"id": "vard-dag", "pattern": "tvaskift", "offset_days": 0, "headcount": 8, "min_staffing": 5}]}],
        "rooms": [
            {"id": "R-BRUK", "name": "Konferensrummet, Bruket", "site": "S-BRUK", "capacity": 8,
             "features": ["projektor"]},
            {"id": "R-LC", "name": "Sal 1, Lärcentrum", "site": "S-LC", "capacity": 12,
             "features": ["projektor", "datorer"],
             "unavailable": [{"start": "2026-03-24T08:00", "end": "2026-03-24T17:00"}]}],
        "trainers": [
            {"id": "T-ERIK", "name": "Erik", "qualifications": ["SAK1", "SAK2"], "languages": ["sv", "en"],
             "home_site": "S-LC", "max_minutes_per_week": 600, "max_sessions_per_day": 2, "available": day,
             "unavailable": [{"start": "2026-03-16", "end": "2026-03-20"}], "cost_per_hour": 650},
            {"id": "T-SARA", "name": "Sara", "qualifications": ["VARD1", "VARD2", "SAK1"], "languages": ["sv"],
             "home_site": "S-VARD", "max_minutes_per_week": 480, "max_sessions_per_day": 2,
             "available": day[:4], "cost_per_hour": 600}],
        "interpreters": [{"id": "I-AMAL", "name": "Amal", "languages": ["ar", "sv"], "home_site": "S-LC",
                          "available": day}],
        "modules": [
            {"id": "SAK1", "name": "Säkerhet grund", "sessions": 2, "duration_minutes": 120,
             "room_features": ["projektor"], "location": "workplace", "min_gap_days": 2, "max_gap_days": 14},
            {"id": "SAK2", "name": "Säkerhet fördjupning", "sessions": 1, "duration_minutes": 180,
             "room_features": ["datorer"], "location": "any"},
            {"id": "VARD1", "name": "Basal vård", "sessions": 2, "duration_minutes": 90, "location": "any"},
            {"id": "VARD2", "name": "Dokumentation", "sessions": 1, "duration_minutes": 60, "location": "remote"}],
        "tracks": [
            {"id": "K-SAK", "name": "Säkerhetsspåret", "modules": ["SAK1", "SAK2"], "min_group": 3, "max_group": 6},
            {"id": "K-VARD", "name": "Vårdspåret", "modules": ["VARD1", "VARD2"], "min_group": 2, "max_group": 5,
             "mix_workplaces": True}],
        "action_plans": [
            {"id": "HP-BRUK-1", "workplace": "W-BRUK", "track": "K-SAK",
             "participants": [{"team": "skiftlag-1", "count": 2}, {"team": "skiftlag-2", "count": 2}],
             "earliest": "2026-03-02", "deadline": "2026-05-29", "target": "2026-04-30",
             "allow_on_shift": True, "allow_off_shift": True},
            {"id": "HP-VARD-1", "workplace": "W-VARD", "track": "K-VARD",
             "participants": [{"id": "v-101", "team": "vard-dag", "language": "ar"},
                              {"id": "v-102", "team": "vard-dag"}, {"id": "v-103", "team": "vard-dag"}],
             "earliest": "2026-03-02", "deadline": "2026-04-30", "target": "2026-03-20"}],
    }

