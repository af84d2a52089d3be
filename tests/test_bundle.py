"""`intervals-mirror bundle`: an MCP Bundle whose manifest lists the tools the server lists,
asks for the key as a secret, and runs the wheel it carries; checked by the mcpb CLI itself
when it is installed (npx, and @anthropic-ai/mcpb in a node_modules folder)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from intervals_mirror.cli import main
from intervals_mirror.config import Settings

from server_helpers import connected

ROOT = Path(__file__).parents[1]
# A folder holding node_modules/@anthropic-ai/mcpb (`npm install @anthropic-ai/mcpb` there);
# the tests never download it.
MCPB_DIR_VARIABLE = "INTERVALS_MIRROR_MCPB_DIR"


def build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, dict[str, Any]]:
    out = tmp_path / "intervals-mirror.mcpb"
    assert main(["bundle", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"Wrote {out} (") and "uvx" in said
    with zipfile.ZipFile(out) as bundle:
        return out, json.loads(bundle.read("manifest.json"))


async def listed_tools(settings: Settings) -> list[Any]:
    async with connected(settings) as client:
        return list((await client.list_tools()).tools)


def test_the_manifest_lists_the_tools_the_server_lists(
        offline: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, manifest = build(tmp_path, capsys)
    listed = asyncio.run(listed_tools(offline))
    assert manifest["tools"] == [
        {"name": t.name, "description": " ".join((t.description or "").split())}
        for t in listed]
    assert {"get_chart", "get_activities", "query_sql"} <= {t["name"] for t in
                                                            manifest["tools"]}


def test_the_manifest_asks_for_the_key_as_a_secret_and_runs_the_bundled_wheel(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, manifest = build(tmp_path, capsys)
    with zipfile.ZipFile(out) as bundle:
        names = bundle.namelist()
    (wheel,) = [n for n in names if n.endswith(".whl")]
    assert sorted(names) == sorted(["manifest.json", wheel])
    assert wheel.startswith("server/intervals_mirror-")
    config = manifest["user_config"]
    assert config["api_key"]["sensitive"] is True and config["api_key"]["required"] is True
    assert config["athlete_id"]["required"] is True
    assert config["store_path"]["required"] is False
    assert config["store_path"]["type"] == "string"  # a store that does not exist yet
    run = manifest["server"]["mcp_config"]
    assert run["command"] == "uvx"
    assert run["args"] == ["--from", f"${{__dirname}}/{wheel}", "intervals-mirror", "serve"]
    for env in (run["env"], run["platform_overrides"]["darwin"]["env"]):
        assert env["INTERVALS_API_KEY"] == "${user_config.api_key}"
        assert env["INTERVALS_ATHLETE_ID"] == "${user_config.athlete_id}"
        assert env["INTERVALS_MIRROR_DB"] == "${user_config.store_path}"
    assert all(set(tool) == {"name", "description"} for tool in manifest["tools"])


def test_the_bundled_wheel_installs_with_its_sql_files_and_command(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = build(tmp_path, capsys)
    with zipfile.ZipFile(out) as bundle:
        (name,) = [n for n in bundle.namelist() if n.endswith(".whl")]
        wheel = tmp_path / Path(name).name
        wheel.write_bytes(bundle.read(name))
    with zipfile.ZipFile(wheel) as archive:
        record = next(n for n in archive.namelist() if n.endswith(".dist-info/RECORD"))
        for line in archive.read(record).decode().splitlines():
            path, digest, size = line.rsplit(",", 2)
            if path != record:
                data = archive.read(path)
                expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
                assert digest == f"sha256={expected.decode()}" and int(size) == len(data), path
        entry_points = next(n for n in archive.namelist() if n.endswith("entry_points.txt"))
        assert "intervals-mirror = intervals_mirror.cli:main" in archive.read(
            entry_points).decode()
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-index", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=120)
    code = ("import intervals_mirror.sqlfiles as s, intervals_mirror.analytics.schema as d; "
            "print(s.sql_dir()); print(len(d.describe_schema().data['tables']))")
    found = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True,
                           check=True, timeout=60, cwd=tmp_path,
                           env={**os.environ, "PYTHONPATH": str(target)})
    sql_dir, tables = found.stdout.split()
    assert Path(sql_dir) == target / "intervals_mirror" / "sql"
    assert int(tables) > 10


def mcpb_folder() -> Path | None:
    """Where `npx --offline @anthropic-ai/mcpb` finds the package: the variable's folder, or
    this checkout."""
    for folder in (os.environ.get(MCPB_DIR_VARIABLE), ROOT):
        if folder and (Path(folder) / "node_modules" / "@anthropic-ai" / "mcpb").is_dir():
            return Path(folder)
    return None


def npx(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["npx", "--offline", "@anthropic-ai/mcpb", *args], cwd=folder,
                          text=True, capture_output=True, timeout=120)


@pytest.mark.skipif(shutil.which("npx") is None, reason="npx (Node.js) is not installed")
@pytest.mark.skipif(mcpb_folder() is None,
                    reason=f"@anthropic-ai/mcpb is not installed locally (npm install "
                           f"@anthropic-ai/mcpb in a folder named by ${MCPB_DIR_VARIABLE}, or "
                           "in this checkout); the tests never download it")
def test_the_mcpb_cli_validates_unpacks_and_packs_the_bundle(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = mcpb_folder()
    assert folder
    out, manifest = build(tmp_path, capsys)
    unpacked = tmp_path / "unpacked"
    done = npx(folder, "unpack", str(out), str(unpacked))
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads((unpacked / "manifest.json").read_text()) == manifest
    checked = npx(folder, "validate", str(unpacked / "manifest.json"))
    assert checked.returncode == 0 and "validation passes" in checked.stdout, checked.stdout
    repacked = npx(folder, "pack", str(unpacked), str(tmp_path / "repacked.mcpb"))
    assert repacked.returncode == 0, repacked.stdout + repacked.stderr
    # the validator does refuse what the schema does not allow
    wrong = tmp_path / "wrong" / "manifest.json"
    wrong.parent.mkdir()
    manifest["tools"][0]["inputSchema"] = {"type": "object"}
    wrong.write_text(json.dumps(manifest))
    refused = npx(folder, "validate", str(wrong))
    assert refused.returncode != 0
