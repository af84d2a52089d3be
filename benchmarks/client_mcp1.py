"""The client side of bench_clients.py, run with the official Python MCP SDK's 1.x API (the
version the live-API servers pin to) from its own venv: ``benchmarks/.venv-mcp1``.

    .venv-mcp1/bin/python client_mcp1.py < job.json > figures.json

Only the standard library and ``mcp<2``: nothing from intervals-mirror. For each server in
the job: start-up (from starting the process to the initialize result and to the tools/list
result, each a fresh process), then in one session tools/list (characters per tool as JSON)
and each call repeated (p50 and p95 of the round trip, and for the first answer the
characters each kind of client hands its model: the text content, and
JSON.stringify(structuredContent) when there is structured content, else the text).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from typing import Any

import anyio
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def channels(result: Any) -> dict[str, int]:
    text = "".join(block.text for block in result.content if block.type == "text")
    structured = result.structuredContent
    return {"text_chars": len(text),
            "structured_chars": len(json.dumps(structured, ensure_ascii=False,
                                               separators=(",", ":")))
            if structured is not None else len(text),
            "has_structured": structured is not None}


def params(server: dict[str, Any]) -> StdioServerParameters:
    return StdioServerParameters(command=server["command"], args=server["args"],
                                 env=server["env"], cwd=server.get("cwd"))


async def start_ms(server: dict[str, Any]) -> tuple[float, float]:
    """From starting the process to the initialize result, and to the tools/list result."""
    started = time.perf_counter()
    async with stdio_client(params(server)) as (read, write), \
            ClientSession(read, write) as session:
        await session.initialize()
        initialized = (time.perf_counter() - started) * 1000
        await session.list_tools()
        listed = (time.perf_counter() - started) * 1000
    return initialized, listed


async def session_figures(server: dict[str, Any], settle_s: float) -> dict[str, Any]:
    async with stdio_client(params(server)) as (read, write), \
            ClientSession(read, write) as session:
        await session.initialize()
        tools = (await session.list_tools()).tools
        listed = [len(json.dumps(t.model_dump(mode="json", by_alias=True, exclude_none=True),
                                 separators=(",", ":"))) for t in tools]
        calls = []
        for n, call in enumerate(server["calls"]):
            first = await session.call_tool(call["tool"], call["args"])
            if n == 0:  # what a first answer sets off (our DuckDB copy) settles first
                await anyio.sleep(settle_s)
            if first.isError:
                raise SystemExit(f"{server['label']} {call['tool']} failed: {first.content}")
            timings = []
            for _ in range(call.get("repeat", 0)):
                started = time.perf_counter()
                await session.call_tool(call["tool"], call["args"])
                timings.append((time.perf_counter() - started) * 1000)
            calls.append({**call, **channels(first),
                          "p50_ms": statistics.median(timings) if timings else None,
                          "p95_ms": percentile(timings, 0.95) if timings else None,
                          "items": call.get("items")})
        return {"tools": len(tools), "tool_chars": listed, "calls": calls}


async def main() -> None:
    job = json.load(sys.stdin)
    out = []
    for server in job["servers"]:
        starts = [await start_ms(server) for _ in range(job.get("init_runs", 5))]
        figures = {"label": server["label"], "initialize_ms": [s[0] for s in starts],
                   "tools_listed_ms": [s[1] for s in starts]}
        if server.get("calls") is not None:  # None: start-up only (the SDK's own floor)
            figures.update(await session_figures(server, job.get("settle_s", 5.0)))
        out.append(figures)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    anyio.run(main)
