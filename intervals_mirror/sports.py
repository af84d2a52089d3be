"""Sports and their families, the one mapping every tool that takes ``activity_type`` uses.

A cyclist asking for ``Ride`` expects their Zwift rides too: Intervals.icu groups activity
types into sports (Ride: Ride, VirtualRide, GravelRide, ...), by default and in each athlete's
sport settings (whose first type names the group). A family's name stands for every type in
it; any other type (VirtualRide, TrailRun) for itself alone, and ``exact`` asks for the named
type alone (Ride without VirtualRide). Names match without regard to case and are answered in
the store's spelling. A name that is no sport the store holds, nor one of a family, is refused
the same way by every tool, with the sports the store holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .errors import QueryError, shown

# Sports as Intervals.icu groups them by default; the first type names the family.
DEFAULT_FAMILIES: tuple[tuple[str, ...], ...] = (
    ("Ride", "VirtualRide", "GravelRide", "MountainBikeRide", "EBikeRide",
     "EMountainBikeRide", "TrackRide", "Velomobile", "Handcycle"),
    ("Run", "VirtualRun", "TrailRun"),
    ("Swim", "OpenWaterSwim"),
    ("Rowing", "VirtualRow"),
    ("NordicSki", "VirtualSki", "BackcountrySki", "RollerSki"),
)


@dataclass(frozen=True)
class Sport:
    """What an ``activity_type`` stands for: ``name`` in the store's spelling, every type it
    includes, and those of them the store holds activities of (for the answer to name)."""

    name: str
    types: tuple[str, ...]
    held: tuple[str, ...]
    family: bool  # the name stands for more than its own type
    family_name: str  # the family the type belongs to (VirtualRun: Run), else its own name

    @property
    def label(self) -> str:
        """'Ride family (Ride, VirtualRide, GravelRide)', or the name for one type."""
        if not self.family or set(self.held) <= {self.name}:
            return self.name
        return f"{self.name} family ({', '.join(self.held)})"


def families(groups: Sequence[Sequence[str]] = ()) -> dict[str, tuple[str, ...]]:
    """family name -> its types: the athlete's sport settings groups (first type names the
    group) merged with Intervals.icu's defaults. A group headed by a type that belongs to
    another family (a VirtualRide-only group, for its own FTP) stays that type alone."""
    merged: dict[str, list[str]] = {f[0]: list(f) for f in DEFAULT_FAMILIES}
    members = {t for f in DEFAULT_FAMILIES for t in f[1:]}
    for group in groups:
        types = [t for t in group if t]
        if not types or types[0] in members:
            continue
        found = merged.setdefault(types[0], [types[0]])
        found += [t for t in types[1:] if t not in found]
    return {name: tuple(types) for name, types in merged.items()}


def resolve(asked: str | None, held: Sequence[str], groups: Sequence[Sequence[str]] = (), *,
            exact: bool = False, name: str = "activity_type") -> Sport | None:
    """The sport ``asked`` stands for; None when nothing was asked (every sport).

    ``held``: the activity types the store holds, most activities first; ``groups``: the
    athlete's sport settings groups. Refused (naming ``name``) when ``asked`` is neither a
    type the store holds nor a type of any family."""
    if asked is None or not asked.strip():
        return None
    family_of = families(groups)
    spelled = {t.lower(): t for types in family_of.values() for t in types}
    spelled.update({t.lower(): t for t in held})
    found = spelled.get(asked.strip().lower())
    if found is None:
        holds = ", ".join(held[:20]) or "no activities yet"
        raise QueryError(
            f"{name}: no {shown(asked.strip())} activities in the store; it holds {holds} "
            "(Ride, Run and Swim also cover their virtual, gravel, trail, open-water types)")
    types = (found,) if exact or found not in family_of else family_of[found]
    kin = next((head for head, members in family_of.items() if found in members), found)
    present = set(held)
    return Sport(found, types, tuple(t for t in types if t in present), len(types) > 1, kin)
