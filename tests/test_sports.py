"""Sport families: what an ``activity_type`` stands for, decided in one place for every tool."""

from __future__ import annotations

import pytest

from intervals_mirror.errors import QueryError
from intervals_mirror.sports import resolve

HELD = ["Ride", "Run", "VirtualRide", "Swim", "TrailRun", "Walk"]


def test_a_family_name_covers_its_types_and_names_those_the_store_holds() -> None:
    ride = resolve("ride", HELD)
    assert ride is not None
    assert ride.name == "Ride" and ride.family
    assert {"Ride", "VirtualRide", "GravelRide", "MountainBikeRide", "EBikeRide"} <= set(
        ride.types)
    assert ride.held == ("Ride", "VirtualRide")
    assert ride.label == "Ride family (Ride, VirtualRide)"
    swim = resolve("SWIM", HELD)
    assert swim is not None and set(swim.types) == {"Swim", "OpenWaterSwim"}
    assert swim.label == "Swim"   # no open-water swims in the store: nothing more to name


def test_a_type_of_a_family_and_exact_are_that_type_alone() -> None:
    virtual = resolve("virtualride", HELD)
    assert virtual is not None and virtual.types == ("VirtualRide",) and not virtual.family
    assert virtual.family_name == "Ride" and virtual.label == "VirtualRide"
    alone = resolve("Ride", HELD, exact=True)
    assert alone is not None and alone.types == ("Ride",) and alone.label == "Ride"
    trail = resolve("trailrun", HELD)
    assert trail is not None and trail.family_name == "Run"


def test_a_type_the_store_lacks_but_intervals_icu_knows_is_no_error() -> None:
    gravel = resolve("gravelride", HELD)
    assert gravel is not None and gravel.types == ("GravelRide",) and gravel.held == ()


def test_sport_settings_groups_make_families_too() -> None:
    groups = [["Ride", "VirtualRide", "Velomobile"], ["Other", "WeightTraining", "Walk"],
              ["VirtualRide"]]
    other = resolve("other", HELD, groups)
    assert other is not None and other.types == ("Other", "WeightTraining", "Walk")
    assert other.label == "Other family (Walk)"
    walk = resolve("walk", HELD, groups)
    assert walk is not None and walk.types == ("Walk",) and walk.family_name == "Other"
    virtual = resolve("VirtualRide", HELD, groups)  # its own settings group, still alone
    assert virtual is not None and virtual.types == ("VirtualRide",)


@pytest.mark.parametrize("asked", ["Bike", "Cycling", "x" * 100])
def test_an_unknown_sport_is_refused_with_the_sports_the_store_holds(asked: str) -> None:
    with pytest.raises(QueryError) as caught:
        resolve(asked, HELD, name="activity_type")
    message = str(caught.value)
    assert message.startswith("activity_type: no ")
    assert "it holds Ride, Run, VirtualRide, Swim, TrailRun, Walk" in message
    assert len(message) < 300


def test_nothing_asked_is_every_sport() -> None:
    assert resolve(None, HELD) is None and resolve("  ", HELD) is None
