"""How long an answer may be: about 20,000 characters (some 5,000 tokens), whatever the range
and grouping asked for, so one call never fills a model's context. Answers that could grow
choose a coarser grouping first (``analytics.aggregates``); this is the last guard, which
keeps the head and tail of an answer and as many of its lines as fit."""

from __future__ import annotations

from collections.abc import Callable, Sequence

ANSWER_CHARS = 20_000  # the most a tool answers, as the model receives it
TEXT_CHARS = 19_700    # the text before the freshness line the tools append


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
    return "\n".join([*head, *lines, *tail])[:limit]
