"""What a newcomer meets first: `serve` started by hand in a terminal, bad or busy ports, and
hints that point at the command that actually helps."""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from intervals_mirror.cli import main

from server_helpers import SyncedStore, executable, server_env

WAITING = ("intervals-mirror: waiting for an MCP client on stdio: this command is meant to be "
           "started by Claude Desktop; Ctrl-C stops it")


def read_until(fd: int, wanted: str, timeout: float = 30) -> str:
    """What a terminal shows until ``wanted`` appears (or the time is up)."""
    seen = b""
    deadline = time.monotonic() + timeout
    while wanted.encode() not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the terminal closed: the process is gone
                break
            if not chunk:
                break
            seen += chunk
    return seen.decode(errors="replace")


def test_serve_in_a_terminal_says_what_it_waits_for_and_stops_on_ctrl_c(tmp_path: Path
                                                                          ) -> None:
    import pty

    controller, terminal = pty.openpty()
    args = [executable(), "--db", str(tmp_path / "mirror.sqlite"), "serve", "--demo"]
    process = subprocess.Popen(args, env=server_env(tmp_path), stdin=terminal,
                               stdout=terminal, stderr=terminal)
    os.close(terminal)
    try:
        shown = read_until(controller, "Ctrl-C stops it")
        assert WAITING in shown
        assert ("there is no demo store at " + str(tmp_path / "demo.sqlite") + " yet: build it "
                "with `intervals-mirror demo`") in shown.replace("\r\n", "")
        process.send_signal(signal.SIGINT)  # what Ctrl-C sends
        assert process.wait(timeout=10) == 130  # at once, not after the next Enter
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(controller)


@pytest.mark.parametrize("port", ["99999", "0", "-1", "http"])
def test_a_port_out_of_range_is_a_flag_error(port: str, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--db", str(tmp_path / "m.sqlite"), "serve", "--http", "--port", port])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"--port: expected a port number from 1 to 65535, got '{port}'" in err


def test_a_port_in_use_is_one_line_naming_it(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(["--db", str(tmp_path / "m.sqlite"), "serve", "--http", "--port", str(port)])
    assert code == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert f"port {port} on 127.0.0.1 is already in use" in err


def test_claude_config_for_the_demo_warns_while_there_is_no_demo_store(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--db", str(tmp_path / "mirror.sqlite"), "claude-config", "--demo"]
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["mcpServers"]["intervals-mirror-demo"]["args"][-2:] == [
        "serve", "--demo"]
    assert "no demo store" in err and "`intervals-mirror demo`" in err
    (tmp_path / "demo.sqlite").touch()
    assert main(args) == 0
    assert capsys.readouterr().err == ""


def test_plain_commands_right_after_demo_point_at_the_demo_store(
        template: SyncedStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template.copy_to(tmp_path).rename(tmp_path / "demo.sqlite")  # as `demo` leaves it
    for command in (["status"], ["sql", "SELECT 1"], ["chart", "fitness", "--out", "f.png"],
                    ["report", "--html", "--out", "r.html"]):
        assert main(["--db", str(tmp_path / "mirror.sqlite"), *command]) == 1
        err = capsys.readouterr().err
        assert f"the demo store is at {tmp_path / 'demo.sqlite'}: add --demo " in err
        assert f"`intervals-mirror {command[0]} --demo`" in err
    assert main(["--db", str(tmp_path / "mirror.sqlite"), "status", "--demo"]) == 0
    (tmp_path / "demo.sqlite").unlink()
    assert main(["--db", str(tmp_path / "mirror.sqlite"), "export", "--demo", "--out",
                 str(tmp_path / "out")]) == 1
    assert "build it with `intervals-mirror demo`" in capsys.readouterr().err


def test_doctor_checks_the_demo_store_like_any_other(
        template: SyncedStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--db", str(tmp_path / "mirror.sqlite"), "doctor", "--demo"]
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "FAIL store" in out and "does not exist yet: run `intervals-mirror demo`" in out
    template.copy_to(tmp_path).rename(tmp_path / "demo.sqlite")
    assert main(args) == 0
    out = capsys.readouterr().out
    assert f"{tmp_path / 'demo.sqlite'}: integrity ok" in out and "mirrored up to" in out
    assert "api key" not in out  # no account to check
