"""Remote mode: the HTTP app of ``serve --http`` (``app.py``), its guards (``guard.py``) and
``/health`` (``health.py``).

Imported only when serving over HTTP, so the stdio server and the CLI never load starlette
or uvicorn. Knows nothing of the tools: it receives the built ``MCPServer``.
"""
