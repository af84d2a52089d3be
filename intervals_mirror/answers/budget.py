"""How long an answer may be: about 20,000 characters (some 5,000 tokens), whatever the range
and grouping asked for and however wide the athlete's data, so one call never fills a model's
context. Nothing is ever cut silently: what is left out is counted and the answer says how to
get it (a narrower range, a filter, query_sql).

Three layers, each shared by every answer:
- the aggregates choose a coarser grouping first (``analytics.aggregates``);
- ``within`` keeps an answer's head and tail and as many of its rows as fit, and ``clip``
  shortens one long free text (a description), each saying what it left out and where the
  rest is;
- ``fit`` is the last guard, applied to every tool's answer by ``tools._common.text_tool``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .units import count

ANSWER_CHARS = 20_000  # the most a tool answers, as the model receives it
TEXT_CHARS = 19_700    # the text before the freshness line the tools append
CLOSING_LINE = 300     # an answer's last line (how fresh it is) is kept whole up to this long
SHORTEST_CUT = 400     # a line is cut rather than dropped when this much room is left for it


def within(head: Sequence[str], body: Sequence[str], tail: Sequence[str] = (), *,
           left_out: Callable[[int], str], keep: str = "last",
           limit: int = TEXT_CHARS) -> str:
    """``head``, ``body`` and ``tail`` joined by newlines; when that is over ``limit``, body
    lines are left out (the earliest when ``keep`` is "last", the latest when "first") and
    ``left_out(n)`` says how many, in their place."""
    text = "\n".join([*head, *body, *tail])
    if len(text) <= limit:
        return text
    fixed = sum(len(line) + 1 for line in (*head, *tail))
    room = limit - fixed - len(left_out(len(body))) - 1
    ordered = list(reversed(body)) if keep == "last" else list(body)
    kept: list[str] = []
    for line in ordered:
        room -= len(line) + 1
        if room < 0:
            break
        kept.append(line)
    if keep == "last":
        kept.reverse()
    note = left_out(len(body) - len(kept))
    lines = [note, *kept] if keep == "last" else [*kept, note]
    return fit("\n".join([*head, *lines, *tail]), limit)  # a head too long for any room


def clip(text: str, most: int, whole: str) -> str:
    """``text`` when at most ``most`` characters; else its start (cut after a word) and how
    many characters follow, with ``whole``: where to read all of it (a query_sql statement)."""
    if len(text) <= most:
        return text
    start = _at_word(text, most)
    return f"{start}… ({len(text) - len(start):,} more characters; all of it: {whole})"


def fit(text: str, limit: int = ANSWER_CHARS) -> str:
    """``text`` when at most ``limit`` characters; else its first lines and its closing line
    (how fresh the answer is), whole, and in between how much was left out and how to get
    it. A line is cut only when it alone would leave the answer nearly empty, and the note
    then says so."""
    if len(text) <= limit:
        return text
    lines = text.split("\n")
    closing = [lines.pop()] if len(lines) > 1 and len(lines[-1]) <= CLOSING_LINE else []
    room = limit - sum(len(line) + 1 for line in closing) - len(_cut_note(
        len(lines), len(text), limit, partly=True)) - 1
    kept: list[str] = []
    for line in lines:
        if len(line) + 1 > room:
            break
        kept.append(line)
        room -= len(line) + 1
    shown = sum(len(line) + 1 for line in (*kept, *closing))
    partly = len(kept) < len(lines) and room >= SHORTEST_CUT
    if partly:
        start = _at_word(lines[len(kept)], room - 2)
        shown += len(start)
        kept.append(f"{start}…")
    more = len(lines) - len(kept)
    note = _cut_note(more, len(text) - shown, limit, partly=partly)
    return "\n".join([*kept, note, *closing])


def _at_word(text: str, most: int) -> str:
    """The start of ``text``, at most ``most`` characters, cut after a word if one ends in its
    last quarter."""
    cut = text[:most]
    at = cut.rfind(" ")
    return (cut[:at] if at > most * 3 // 4 else cut).rstrip()


def _cut_note(lines: int, chars: int, limit: int, *, partly: bool) -> str:
    what = count(lines, "more line")
    if partly:
        what = f"the rest of the line above and {what}" if lines else "the rest of the line above"
    return (f"[{what} ({chars:,} characters) left out to keep this answer within about "
            f"{limit:,} characters: ask for less (a shorter range, a filter, fewer fields), "
            "or read it with query_sql]")
