"""workout_doc: every step a coach writes survives the trip through Intervals.icu's workout
text (read back by the fake API's parser, written from the documented syntax), and every bad
step is refused before sending, with an error naming it."""

from __future__ import annotations

from typing import Any

import pytest

from intervals_mirror.errors import QueryError
from intervals_mirror.workout_doc import duration_text, parse, render, sport_from_name

from fake_workout_text import parse_workout_text


def power(units: str, *values: float) -> dict[str, Any]:
    if len(values) == 1:
        return {"value": values[0], "units": units}
    return {"start": values[0], "end": values[1], "units": units}


EVERY_KIND = {
    "description": "Sweet spot with a long Z2 finish",
    "steps": [
        {"duration": 600, "warmup": True, "ramp": True, "power": power("%ftp", 50, 75),
         "cadence": power("rpm", 90)},
        {"duration": 300, "warmup": True, "power": power("w", 180, 200)},
        {"text": "Main set", "reps": 4, "steps": [
            {"duration": 480, "power": power("%ftp", 88, 92), "cadence": power("rpm", 85, 95)},
            {"duration": 120, "power": power("power_zone", 1), "intensity": "recovery"}]},
        {"reps": 6, "steps": [{"duration": 30, "power": power("%mmp", 110)},
                              {"duration": 30, "freeride": True}]},
        {"duration": 3700, "hr": power("hr_zone", 2, 3)},
        {"duration": 1200, "hr": power("%hr", 70, 75)},
        {"duration": 900, "hr": power("%lthr", 95)},
        {"distance": 400, "pace": power("%pace", 102), "text": "fast"},
        {"distance": 2000, "pace": power("pace_zone", 2)},
        {"distance": 1500, "ramp": True, "pace": power("%pace", 80, 90)},
        {"duration": 90, "power": power("power_zone", 3, 4), "maxeffort": True},
        {"until_lap_press": True, "text": "easy", "cooldown": True},
        {"duration": 300, "cooldown": True, "power": power("%ftp", 50)},
    ],
}


def flat(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The fields a coach wrote, as the API's parsed doc holds them."""
    return [{k: v for k, v in s.items() if k != "duration" or "steps" not in s}
            if "steps" not in s else {"reps": s["reps"], "steps": flat(s["steps"])}
            for s in steps]


def test_every_kind_of_step_reads_back_as_it_was_written() -> None:
    text = render(parse(EVERY_KIND))
    read = parse_workout_text(text)
    assert read["description"] == EVERY_KIND["description"]
    sent = [dict(s) for s in EVERY_KIND["steps"]]
    sent[2] = {"reps": 4, "steps": sent[2]["steps"]}  # a block's name is its header's text
    got = flat(read["steps"])
    got[2] = {"reps": got[2]["reps"], "steps": got[2]["steps"]}
    assert got == sent
    assert read["steps"][2]["text"] == "Main set 4x" and read["steps"][3]["text"] == "6x"
    total = (600 + 300 + 4 * 600 + 6 * 60 + 3700 + 1200 + 900 + 90 + 300)
    assert read["duration"] == total
    assert read["distance"] == 400 + 2000 + 1500


@pytest.mark.parametrize(("seconds", "text"), [
    (3700, "1h1m40s"), (90, "1m30s"), (600, "10m"), (3600, "1h"), (45, "45s"),
    (7260, "2h1m"), (3605, "1h5s")])
def test_durations_are_written_as_the_workout_builder_reads_them(seconds: int,
                                                                 text: str) -> None:
    assert duration_text(seconds) == text
    doc = parse({"steps": [{"duration": seconds, "power": power("%ftp", 60)}]})
    assert parse_workout_text(render(doc))["steps"][0]["duration"] == seconds


def test_metres_are_never_written_as_minutes() -> None:
    doc = parse({"steps": [{"distance": 400}, {"distance": 2500}, {"distance": 100.5}]})
    assert render(doc) == "- 400mtr\n- 2.5km\n- 100.5mtr"


def test_a_doc_copied_from_get_event_by_id_is_taken_without_its_computed_fields() -> None:
    copied = {"steps": [{"text": "4x", "reps": 4, "duration": 840, "steps": [
        {"duration": 180, "power": power("w", 300), "_power": {"value": 300}}]}],
        "duration": 840, "distance": 0.0, "zoneTimes": [], "locales": [], "options": {},
        "target": "POWER", "strain_score": 50.1}
    assert render(parse(copied)) == "4x\n- 3m 300w"


def test_a_json_string_is_read_as_the_object_it_holds() -> None:
    assert render(parse('{"steps": [{"duration": 60, "cadence": {"value": 95, '
                        '"units": "cadence"}}]}')) == "- 1m 95rpm"


def test_a_description_alone_is_a_workout_without_steps() -> None:
    assert render(parse({"description": "Strength: squats, lunges"})) == \
        "Strength: squats, lunges"


@pytest.mark.parametrize(("doc", "error"), [
    ({"steps": [{"duration": 60}, {"duration": 60}, {"duration": 60,
                                                     "power": power("rpm", 80)}]},
     "workout_doc.steps[2].power.units: expected one of %ftp, w, %mmp, power_zone, got 'rpm'"),
    ({"steps": [{"duration": 60, "cadence": power("%ftp", 90)}]},
     "workout_doc.steps[0].cadence.units: expected one of rpm, cadence, got '%ftp'"),
    ({"steps": [{"power": power("w", 200)}]},
     "workout_doc.steps[0]: expected a duration (seconds), a distance (metres) or "
     "until_lap_press"),
    ({"steps": [{"reps": 3, "steps": [{"duration": 60}, {"reps": 2, "steps": []}]}]},
     "workout_doc.steps[0].steps[1]: a repeat inside a repeat"),
    ({"steps": [{"duration": 60, "ramp": True, "power": power("w", 200)}]},
     "workout_doc.steps[0].ramp: a ramp needs a range"),
    ({"steps": [{"duration": 60, "power": {"start": 200, "units": "w"}}]},
     "workout_doc.steps[0].power: expected value, or start and end"),
    ({"steps": [{"duration": 60, "power": power("power_zone", 2.5)}]},
     "workout_doc.steps[0].power.value: expected a whole number above 0 and at most 10"),
    ({"steps": [{"duration": -5}]},
     "workout_doc.steps[0].duration: expected a number above 0"),
    ({"steps": [{"duration": 60, "hr": power("%hr", 70), "power": power("w", 200)}]},
     "workout_doc.steps[0]: one target of power, hr or pace per step"),
    ({"steps": [{"duration": 60, "powr": power("w", 200)}]},
     "workout_doc.steps[0].powr: unknown key"),
    ({"steps": [{"reps": 0, "steps": [{"duration": 60}]}]},
     "workout_doc.steps[0].reps: expected a whole number from 1 to 100, got 0"),
    ({"steps": [{"duration": 60, "text": "two\nlines"}]},
     "workout_doc.steps[0].text: expected one line"),
    ({"steps": [{"duration": 60, "warmup": "yes"}]},
     "workout_doc.steps[0].warmup: expected true or false, got 'yes'"),
    ({"steps": [{"duration": 60, "freeride": True, "power": power("w", 150)}]},
     "workout_doc.steps[0].freeride: a free ride has no power target"),
    ({"steps": []}, "workout_doc.steps: expected a list of steps"),
    ({"step": []}, "workout_doc.step: unknown key"),
    ({"description": "- 10m 60%"}, "workout_doc.description: a line starting with '-'"),
    ("- 10m 60%", "workout_doc: expected an object like"),
    ([1, 2], "workout_doc: expected an object with steps, got [1, 2]"),
])
def test_a_bad_step_is_refused_naming_where_it_is(doc: Any, error: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(doc)
    assert str(caught.value).startswith(error)


@pytest.mark.parametrize(("name", "sport"), [
    ("Easy run", "Run"), ("Pool session", "Swim"), ("Sweet spot ride", "Ride"),
    ("Hill hike", "Walk"), ("Tempo", "Ride"), ("Tomorrow's throws", "Ride"),
    ("Rowing intervals", "Row")])
def test_a_blank_workout_type_is_read_from_the_name(name: str, sport: str) -> None:
    assert sport_from_name(name) == sport
