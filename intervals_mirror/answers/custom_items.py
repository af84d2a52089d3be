"""Custom items as text: one line each in the list, and one item in full with its content."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from .budget import ANSWER_CHARS, clip, within
from .units import count, join, local_time

KINDS = {
    "INPUT_FIELD": "wellness field", "ACTIVITY_FIELD": "activity field",
    "INTERVAL_FIELD": "interval field", "ACTIVITY_STREAM": "custom activity stream",
    "FITNESS_CHART": "fitness chart", "FITNESS_TABLE": "fitness table",
    "TRACE_CHART": "trace chart", "ACTIVITY_CHART": "activity chart",
    "ACTIVITY_HISTOGRAM": "activity histogram", "ACTIVITY_HEATMAP": "activity heatmap",
    "ACTIVITY_MAP": "activity map", "ACTIVITY_PANEL": "activity panel", "ZONES": "custom zones",
}
# Items whose content defines a value (code, value type, aggregate); charts' content.type is
# their chart type instead.
FIELD_KINDS = frozenset({"INPUT_FIELD", "ACTIVITY_FIELD", "INTERVAL_FIELD", "ACTIVITY_STREAM"})
MAX_DESCRIPTION = 120  # in the list; an item in full shows all of it
MAX_CONTENT = 8_000  # characters of content JSON in one item's answer


def kind(item: dict[str, Any]) -> str:
    kind_name = KINDS.get(str(item.get("type")))
    return f"{item.get('type')} ({kind_name})" if kind_name else str(item.get("type") or "?")


def field_spec(item: dict[str, Any]) -> str:
    """'code CaffeineMg, numeric, SUM' for fields and streams; '' for the rest."""
    if item.get("type") not in FIELD_KINDS:
        return ""
    return join([f"code {item['code']}" if item.get("code") else "",
                 str(item.get("field_type") or ""), str(item.get("aggregate") or "")])


def item_line(item: dict[str, Any]) -> str:
    description = str(item.get("description") or "")
    if len(description) > MAX_DESCRIPTION:
        description = description[:MAX_DESCRIPTION - 1].rstrip() + "…"
    details = join([field_spec(item), description], "; ")
    name = f' "{item["name"]}"' if item.get("name") else ""
    return f"{item['id']} {kind(item)}{name}{f': {details}' if details else ''}"


def items_text(items: Sequence[dict[str, Any]], freshness: str) -> str:
    if not items:
        return f"No custom items: the athlete has defined none.\n{freshness}"
    kinds = Counter(str(item.get("type")) for item in items)
    summary = ", ".join(f"{n} {t}" for t, n in sorted(kinds.items(), key=lambda k: -k[1]))
    head = (f"{count(len(items), 'custom item')} ({summary}), in the athlete's order "
            "(get_custom_item_by_id shows one in full):")
    return within([head], [f"- {item_line(item)}" for item in items], [freshness],
                  keep="first", limit=ANSWER_CHARS, left_out=lambda n: (
                      f"- ({count(n, 'more item')} left out to keep this answer short; "
                      "query_sql: SELECT id, type, name, code, description FROM custom_items "
                      "ORDER BY position)"))


def where_values_are(item: dict[str, Any], wellness_days: int | None) -> str:
    """Where a field's values live in the store, so query_sql can reach them."""
    code, kind_code = item.get("code"), item.get("type")
    if not code:
        return ""
    if kind_code == "INPUT_FIELD":
        return (f"Values: table wellness_custom, field = '{code}' "
                f"({count(wellness_days or 0, 'day')} with a value)")
    if kind_code == "ACTIVITY_FIELD":
        return f"Values: each activity's raw JSON, json_extract(raw, '$.{code}')"
    if kind_code == "INTERVAL_FIELD":
        return f"Values: each interval's raw JSON, json_extract(raw, '$.{code}')"
    return ""


def item_details(item: dict[str, Any], wellness_days: int | None, freshness: str) -> str:
    raw = item["raw"]
    name = f' "{item["name"]}"' if item.get("name") else ""
    lines = [f"Custom item {item['id']}: {kind(item)}{name}"]
    if item.get("description"):
        lines.append(f"Description: {item['description']}")
    shared = raw.get("from_athlete") if isinstance(raw.get("from_athlete"), dict) else None
    lines.append(join([
        f"visibility {item['visibility']}" if item.get("visibility") else "",
        f"position {item['position']}" if item.get("position") is not None else "",
        f"used {count(int(item['usage_count']), 'time')}"
        if isinstance(item.get("usage_count"), int) else "",
        f"shared by {shared.get('name') or shared.get('id')}" if shared else "",
        "script hidden" if raw.get("hide_script") else "",
        f"updated {local_time(item['updated'])} UTC" if item.get("updated") else "",
    ]) or "no details")
    if field_spec(item):
        lines.append(f"Field: {field_spec(item)}")
    if where := where_values_are(item, wellness_days):
        lines.append(where)
    lines.append(content_text(item))
    lines.append(freshness)
    return "\n".join(lines)


def content_text(item: dict[str, Any]) -> str:
    content = item["raw"].get("content")
    if content in (None, {}, []):
        return "Content: none"
    text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return "Content: " + clip(text, MAX_CONTENT, (
        f"query_sql SELECT raw FROM custom_items WHERE id = '{item['id']}'"))
