"""intervals-mirror against the most complete live-API server, `intervals-icu-mcp` (PyPI),
through the official Python MCP client with the 1.x API, on the same generated athlete.

    python benchmarks/bench_clients.py --years 3

Two venvs beside this file, made on the first run (git-ignored): ``.venv-mcp1`` holds
``mcp<2`` and runs ``client_mcp1.py``; ``.venv-icu`` holds ``intervals-icu-mcp``, whose API
address is fixed in the package, so a two-line wrapper points its client at the tests' fake
API (serving the athlete with 100 ms round trips). Our server runs from this project's
install (``intervals-mirror serve``) on a store holding the same athlete. If a venv cannot
be made (no package index), that part is skipped, saying why.

Measured: what each client channel hands the model per activity and per wellness day, the
``initialize`` round trip, lookup p50 end to end, tools/list characters per tool, and the
resident memory of an idle server (raw JSON-RPC over stdio, read from /proc).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from intervals_mirror.demo.build import load_dataset  # noqa: E402
from intervals_mirror.demo.dataset import Dataset  # noqa: E402
from intervals_mirror.store import Store  # noqa: E402

from bench_sync import API_KEY, build_dataset, executable  # noqa: E402
from fake_api import FakeIntervals  # noqa: E402

MCP1 = HERE / ".venv-mcp1"
ICU = HERE / ".venv-icu"
ICU_PACKAGE = "intervals-icu-mcp==5.7.1"
# Its API address is a class attribute with no setting: replace it, then run its entry point.
ICU_WRAPPER = ("import sys; import intervals_icu_mcp.client as c; "
               "c.ICUClient.BASE_URL = sys.argv.pop(1); "
               "from intervals_icu_mcp.server import main; main()")
LATENCY = 0.1


class Skipped(Exception):
    """A part that cannot run here (no package index, no /proc); the reason is shown."""


@dataclass
class Figures:
    ours: dict[str, Any] = field(default_factory=dict)
    icu: dict[str, Any] | None = None
    floors: dict[str, dict[str, Any]] = field(default_factory=dict)  # SDK version: start-up
    skipped: list[str] = field(default_factory=list)
    items: dict[str, int] = field(default_factory=dict)
    raw: dict[str, dict[str, float]] = field(default_factory=dict)  # ours, icu
    client_version: str = "mcp 1.x"


def ensure_venv(folder: Path, requirement: str, module: str) -> Path:
    """The venv's python, made with ``requirement`` on first use."""
    python = folder / "bin" / "python"
    if not python.exists():
        made = subprocess.run([sys.executable, "-m", "venv", str(folder)], capture_output=True,
                              text=True, check=False)
        if made.returncode != 0:
            raise Skipped(f"cannot create {folder.name}: {made.stderr.strip()[:200]}")
        pip = subprocess.run([str(python), "-m", "pip", "install", "-q", requirement],
                             capture_output=True, text=True, check=False)
        if pip.returncode != 0:
            subprocess.run(["rm", "-rf", str(folder)], check=False)
            raise Skipped(f"cannot install {requirement} into {folder.name} (no package "
                          f"index?): {pip.stderr.strip().splitlines()[-1][:200]}")
    check = subprocess.run([str(python), "-c", f"import {module}"], capture_output=True,
                           check=False)
    if check.returncode != 0:
        raise Skipped(f"{folder.name} is broken (remove it to rebuild)")
    return python


def store_for(dataset: Dataset, folder: Path) -> Path:
    db = folder / "mirror.sqlite"
    with Store.open(db) as store:
        load_dataset(store, dataset)
    return db


def questions(dataset: Dataset) -> dict[str, Any]:
    """The same questions for both servers, and how many items each answer holds."""
    today = dt.date.today()
    first = (today - dt.timedelta(days=365 * 3)).isoformat()
    year_ago = (today - dt.timedelta(days=365)).isoformat()
    ride = max((a for a in dataset.activities.values()  # the most intervals in a year
                if a.get("type") == "Ride" and "_note" not in a
                and a["start_date_local"] >= year_ago
                and dataset.intervals.get(a["id"], {}).get("icu_intervals")),
               key=lambda a: (len(dataset.intervals[a["id"]]["icu_intervals"]),
                              a["start_date_local"]))
    days = {n: sum(1 for d in dataset.wellness
                   if (today - dt.timedelta(days=n - 1)).isoformat() <= d <= today.isoformat())
            for n in (31, 120)}
    return {"first": first, "today": today.isoformat(), "ride": ride["id"], "days": days,
            "intervals": len(dataset.intervals[ride["id"]]["icu_intervals"])}


def our_calls(q: dict[str, Any], repeat: int) -> list[dict[str, Any]]:
    span = {"start_date": q["first"], "end_date": q["today"]}
    return [
        {"label": "10 activities", "tool": "get_activities", "args": {**span, "limit": 10},
         "repeat": repeat, "items": 10},
        {"label": "100 activities", "tool": "get_activities", "args": {**span, "limit": 100},
         "repeat": repeat, "items": 100},
        {"label": "wellness, 31 days", "tool": "get_wellness_data", "repeat": repeat,
         "args": {"start_date": _ago(q, 30), "end_date": q["today"]}, "items": q["days"][31]},
        {"label": "wellness, 120 days", "tool": "get_wellness_data", "repeat": repeat,
         "args": {"start_date": _ago(q, 119), "end_date": q["today"]},
         "items": q["days"][120]},
        {"label": "activity details", "tool": "get_activity_details", "repeat": repeat,
         "args": {"activity_id": q["ride"]}},
        {"label": "activity intervals", "tool": "get_activity_intervals", "repeat": repeat,
         "args": {"activity_id": q["ride"]}, "items": q["intervals"]},
        {"label": "sync status", "tool": "get_sync_status", "args": {}, "repeat": repeat},
    ]


def icu_calls(q: dict[str, Any], repeat: int) -> list[dict[str, Any]]:
    span = {"oldest": q["first"], "newest": q["today"]}
    return [
        {"label": "10 activities", "tool": "icu_get_activities_by_date",
         "args": {**span, "limit": 10}, "repeat": repeat, "items": 10},
        {"label": "100 activities", "tool": "icu_get_activities_by_date",
         "args": {**span, "limit": 100}, "repeat": repeat, "items": 100},
        {"label": "wellness, 31 days", "tool": "icu_get_wellness_data",
         "args": {"days_back": 30}, "repeat": repeat, "items": q["days"][31]},
        {"label": "wellness, 120 days", "tool": "icu_get_wellness_data",
         "args": {"days_back": 119}, "repeat": repeat, "items": q["days"][120]},
        {"label": "activity details", "tool": "icu_get_activity_details",
         "args": {"activity_id": q["ride"]}, "repeat": repeat},
        {"label": "activity intervals", "tool": "icu_get_activity_intervals",
         "args": {"activity_id": q["ride"]}, "repeat": repeat, "items": q["intervals"]},
    ]


def _ago(q: dict[str, Any], days: int) -> str:
    return (dt.date.fromisoformat(q["today"]) - dt.timedelta(days=days)).isoformat()


def _clean_env(folder: Path, **values: str) -> dict[str, str]:
    """What a client config passes: PATH and HOME, and the server's own settings."""
    return {"PATH": os.environ.get("PATH", ""), "HOME": str(folder),
            "XDG_CONFIG_HOME": str(folder / "xdg-config"),
            "XDG_DATA_HOME": str(folder / "xdg-data"), **values}


def ours_server(db: Path, fake: FakeIntervals, folder: Path, q: dict[str, Any],
                repeat: int) -> dict[str, Any]:
    env = _clean_env(folder, INTERVALS_MIRROR_DB=str(db), API_KEY=API_KEY,
                     ATHLETE_ID=str(fake.dataset.athlete["id"]),
                     INTERVALS_API_BASE_URL=fake.base_url)
    return {"label": "intervals-mirror", "command": executable(), "args": ["serve"],
            "env": env, "calls": our_calls(q, repeat)}


def icu_server(python: Path, fake: FakeIntervals, folder: Path, q: dict[str, Any],
               repeat: int) -> dict[str, Any]:
    cwd = folder / "icu-cwd"  # empty: no stray .env is read
    cwd.mkdir(exist_ok=True)
    env = _clean_env(folder, INTERVALS_ICU_API_KEY=API_KEY,
                     INTERVALS_ICU_ATHLETE_ID=str(fake.dataset.athlete["id"]))
    return {"label": "intervals-icu-mcp", "command": str(python),
            "args": ["-c", ICU_WRAPPER, fake.base_url], "env": env, "cwd": str(cwd),
            "calls": icu_calls(q, repeat)}


def floor_server(python: Path, folder: Path) -> dict[str, Any]:
    """sdk_floor.py under ``python``: the start-up of a one-tool server on that SDK."""
    version = subprocess.run(
        [str(python), "-c", "import importlib.metadata as m; print(m.version('mcp'))"],
        capture_output=True, text=True, check=True).stdout.strip()
    return {"label": f"mcp {version}", "command": str(python),
            "args": [str(HERE / "sdk_floor.py")], "env": _clean_env(folder), "calls": None}


def run_client(python: Path, job: dict[str, Any]) -> list[dict[str, Any]]:
    done = subprocess.run([str(python), str(HERE / "client_mcp1.py")], input=json.dumps(job),
                          capture_output=True, text=True, check=False, timeout=900)
    if done.returncode != 0:
        raise SystemExit(f"client_mcp1.py failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout)  # type: ignore[no-any-return]


# -- resident memory of an idle server, over raw JSON-RPC -----------------------------------


def _send(proc: subprocess.Popen[bytes], message: dict[str, Any]) -> None:
    assert proc.stdin is not None
    proc.stdin.write((json.dumps(message) + "\n").encode())
    proc.stdin.flush()


def _reply(proc: subprocess.Popen[bytes], request_id: int) -> dict[str, Any]:
    assert proc.stdout is not None
    while True:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit("the server closed its output")
        message = json.loads(line)
        if message.get("id") == request_id:
            return message  # type: ignore[no-any-return]


def _rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        raise Skipped("no /proc on this system: resident memory not measured")
    line = next(x for x in status.read_text().splitlines() if x.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def _cpu_ms(pid: int) -> float:
    """CPU time the process has used (user + system): start-up cost apart from the load."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def raw_session(server: dict[str, Any], questions_asked: list[dict[str, Any]],
                settle: float = 3.0) -> dict[str, float]:
    """CPU time to the initialize answer; RSS after initialize and tools/list, idle for
    ``settle`` s; and RSS after some questions."""
    proc = subprocess.Popen([server["command"], *server["args"]], env=server["env"],
                            cwd=server.get("cwd"), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    figures: dict[str, float] = {}
    try:
        _send(proc, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {},
            "clientInfo": {"name": "bench", "version": "1"}}})
        _reply(proc, 1)
        _rss_mb(proc.pid)  # raises Skipped without /proc
        figures["init_cpu_ms"] = _cpu_ms(proc.pid)
        _send(proc, {"jsonrpc": "2.0", "method": "notifications/initialized"})
        _send(proc, {"jsonrpc": "2.0", "id": 2, "method": "tools/list"})
        _reply(proc, 2)
        time.sleep(settle)
        figures["idle_mb"] = _rss_mb(proc.pid)
        for n, call in enumerate(questions_asked, start=3):
            _send(proc, {"jsonrpc": "2.0", "id": n, "method": "tools/call",
                         "params": {"name": call["tool"], "arguments": call["args"]}})
            _reply(proc, n)
        if questions_asked:
            time.sleep(settle)
            figures["after_mb"] = _rss_mb(proc.pid)
        return figures
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=30)


def run(years: float = 3, *, repeat: int = 100, live_repeat: int = 10,
        init_runs: int = 7) -> Figures:
    figures = Figures()
    dataset = build_dataset(years)
    q = questions(dataset)
    figures.items = {"intervals": q["intervals"], **{f"days{n}": v for n, v in q["days"].items()}}
    try:
        mcp1 = ensure_venv(MCP1, "mcp<2", "mcp.client.stdio")
    except Skipped as why:
        figures.skipped.append(f"the 1.x client: {why}")
        return figures
    figures.client_version = "mcp " + subprocess.run(
        [str(mcp1), "-c", "import importlib.metadata as m; print(m.version('mcp'))"],
        capture_output=True, text=True, check=False).stdout.strip()
    with tempfile.TemporaryDirectory() as temp, \
            FakeIntervals(dataset, api_key=API_KEY, latency=LATENCY) as fake:
        folder = Path(temp)
        db = store_for(dataset, folder)
        ours = ours_server(db, fake, folder, q, repeat)
        servers = [ours]
        icu = None
        try:
            icu = icu_server(ensure_venv(ICU, ICU_PACKAGE, "intervals_icu_mcp"), fake, folder,
                             q, live_repeat)
            servers.append(icu)
        except Skipped as why:
            figures.skipped.append(f"intervals-icu-mcp: {why}")
        floors = [floor_server(python, folder) for python in (Path(sys.executable), mcp1)]
        results = run_client(mcp1, {"servers": servers + floors, "init_runs": init_runs})
        figures.ours = results[0]
        figures.icu = results[1] if len(servers) > 1 else None
        figures.floors = {f["label"]: r for f, r in zip(floors, results[len(servers):],
                                                                strict=True)}
        try:
            asked = [c for c in ours["calls"] if c["tool"] == "get_activities"][:1] + [
                {"tool": "get_training_summary", "args": {}}]
            figures.raw["ours"] = raw_session(ours, asked)
            if icu is not None:
                figures.raw["icu"] = raw_session(icu, [])
        except Skipped as why:
            figures.skipped.append(str(why))
    return figures


# -- the README's tables --------------------------------------------------------------------


def _per_item(call: dict[str, Any] | None, key: str) -> str:
    if call is None or not call.get("items"):
        return ""
    return f"{call[key] / call['items']:,.0f}"


def _calls(result: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    return {c["label"]: c for c in result["calls"]} if result else {}


def report(f: Figures) -> list[str]:
    lines: list[str] = []
    if not f.ours:
        return [f"(client comparison skipped: {'; '.join(f.skipped)})"]
    ours, icu = _calls(f.ours), _calls(f.icu)
    lines += ["| answer | ours: text | ours: structured-reading client | intervals-icu-mcp: text "
              "| intervals-icu-mcp: structured-reading client |",
              "| --- | ---: | ---: | ---: | ---: |"]
    for label, unit in (("10 activities", "activity"), ("100 activities", "activity"),
                        ("wellness, 31 days", "day"), ("wellness, 120 days", "day"),
                        ("activity intervals", "interval")):
        a, b = ours.get(label), icu.get(label)
        lines.append(f"| {label}, characters per {unit} | {_per_item(a, 'text_chars')} | "
                     f"{_per_item(a, 'structured_chars')} | {_per_item(b, 'text_chars')} | "
                     f"{_per_item(b, 'structured_chars')} |")
    for label in ("activity details",):
        a, b = ours.get(label), icu.get(label)
        lines.append(f"| {label}, characters | {a['text_chars']:,} | {a['structured_chars']:,}"
                     f" | {b['text_chars'] if b else '':,} | "
                     f"{b['structured_chars'] if b else '':,} |")
    lines.append("")
    lines += ["| measure | intervals-mirror | intervals-icu-mcp | target |",
              "| --- | ---: | ---: | --- |"]
    runs = len(f.ours["initialize_ms"])
    for key, what, target in (("initialize_ms", "`initialize` round trip", "under 300 ms"),
                              ("tools_listed_ms", "tools/list answered", "")):
        icu_ms = f"{statistics.median(f.icu[key]):,.0f} ms" if f.icu else ""
        lines.append(f"| {what}, p50 of {runs} (process start to result) | "
                     f"{statistics.median(f.ours[key]):,.0f} ms | {icu_ms} | {target} |")
    for sdk, floor in f.floors.items():
        lines.append(f"| the SDK alone ({sdk}, a one-tool server): `initialize` p50 | "
                     f"{statistics.median(floor['initialize_ms']):,.0f} ms | | |")
    ours_raw, icu_raw = f.raw.get("ours", {}), f.raw.get("icu", {})
    if ours_raw:
        icu_cpu = f"{icu_raw['init_cpu_ms']:,.0f} ms" if icu_raw else ""
        lines.append(f"| the server's CPU time up to its initialize answer (apart from other "
                     f"load) | {ours_raw['init_cpu_ms']:,.0f} ms | {icu_cpu} | |")
        icu_rss = f"{icu_raw['idle_mb']:.0f} MB" if icu_raw else ""
        lines.append(f"| resident memory, idle after initialize and tools/list | "
                     f"{ours_raw['idle_mb']:.0f} MB | {icu_rss} | under 90 MB |")
        lines.append(f"| resident memory after a lookup and an aggregate (DuckDB copy made) "
                     f"| {ours_raw['after_mb']:.0f} MB | | |")
    sizes = f.ours["tool_chars"]
    icu_sizes = f.icu["tool_chars"] if f.icu else []
    icu_avg = f"{sum(icu_sizes) / len(icu_sizes):,.0f} ({len(icu_sizes)} tools)" \
        if icu_sizes else ""
    lines.append(f"| tools/list, characters per tool (JSON of each tool) | "
                 f"{sum(sizes) / len(sizes):,.0f} ({len(sizes)} tools) | {icu_avg} | at most "
                 "700 |")
    lines.append("")
    lines += ["| lookup, end to end (mcp 1.x client, stdio) | intervals-mirror p50 | p95 | "
              f"intervals-icu-mcp p50 (API at {LATENCY * 1000:.0f} ms) | faster |",
              "| --- | ---: | ---: | ---: | ---: |"]
    for label, call in ours.items():
        other = icu.get(label)
        ratio = f"{other['p50_ms'] / call['p50_ms']:.0f}x" if other else ""
        theirs = f"{other['p50_ms']:.1f} ms" if other else ""
        lines.append(f"| {label} (`{call['tool']}`) | {call['p50_ms']:.2f} ms | "
                     f"{call['p95_ms']:.2f} ms | {theirs} | {ratio} |")
    if f.skipped:
        lines += ["", "Skipped: " + "; ".join(f.skipped)]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=float, default=3)
    parser.add_argument("--repeat", type=int, default=100, help="calls per lookup (ours)")
    args = parser.parse_args()
    print("\n".join(report(run(args.years, repeat=args.repeat))))


if __name__ == "__main__":
    main()
