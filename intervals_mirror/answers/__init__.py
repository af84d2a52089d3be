"""Compact text for the answers: pure functions from plain dicts to lines a model reads.

``units`` is the one home of number, time and distance formats; the other modules are named
as in ``queries/`` (one per resource group), plus ``aggregates`` and ``schema`` for the
analytic read side. Nothing here touches the store, the API or the MCP SDK.
"""
