"""Which wellness fields a trend covers: columns, custom field codes, or their names."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import QueryError
from .duck import WELLNESS_NUMERIC

DEFAULT_WELLNESS_FIELDS = ("hrv", "resting_hr", "sleep_secs", "sleep_score", "weight",
                           "soreness", "fatigue", "stress", "mood", "motivation", "readiness")
ALIASES = {"sleep": "sleep_secs", "sleep_hours": "sleep_secs", "tsb": "form",
           "fitness": "ctl", "fatigue_atl": "atl", "rhr": "resting_hr"}


def pick_fields(fields: str | Sequence[str] | None, custom: dict[str, str],
                text_fields: dict[str, str] | None = None) -> tuple[str, ...]:
    """Field codes from columns, custom field codes or their names ("Caffeine (mg)");
    ``custom``: the numeric custom fields in the store, code -> name; ``text_fields``: the
    custom fields that hold text, named as such when asked for."""
    known = [*WELLNESS_NUMERIC, *(f"{name} ({code})" if name != code else code
                                  for code, name in custom.items())]
    if fields is None or (isinstance(fields, str) and not fields.strip()):
        return (*DEFAULT_WELLNESS_FIELDS, *custom)
    # A name may hold commas, so a string is split only where no whole name matches.
    by_lower = {name.lower(): code for code, name in custom.items()}
    by_lower.update({k.lower(): k for k in (*WELLNESS_NUMERIC, *custom)})
    by_lower.update(ALIASES)
    items = ([fields] if fields.strip().lower() in by_lower else fields.split(",")
             ) if isinstance(fields, str) else list(fields)
    picked: list[str] = []
    for item in items:
        key = str(item).strip()
        if not key:
            continue
        if key.lower() not in by_lower:
            _refuse_text(key, text_fields or {}, known)
            raise QueryError(
                f"fields: unknown wellness field {key!r}; expected some of "
                f"{', '.join(known)}")
        picked.append(by_lower[key.lower()])
    if not picked:
        raise QueryError(f"fields: expected one or more of {', '.join(known)}")
    return tuple(dict.fromkeys(picked))


def _refuse_text(key: str, text_fields: dict[str, str], known: list[str]) -> None:
    """A custom field that holds text (a select or a note) has no average or trend."""
    for code, name in text_fields.items():
        if key.lower() in (code.lower(), name.lower()):
            raise QueryError(
                f"fields: {key!r} is a custom field holding text, not numbers, so it has "
                f"no average or trend; numeric fields: {', '.join(known)}")
