"""The read side on SQLite: lookups that answer from the store, never from the API.

One module per resource group (``activities`` with their intervals, ``wellness``, ``events``),
``status`` for what the mirror holds and how fresh it is, and ``common`` for the helpers they
share. Plain SQLite, bound parameters only; each lookup returns plain dicts (column -> value)
so the front-ends decide how to show them; ``raw`` is parsed only where a caller shows it.
"""
