"""A page opened in headless Chromium, driven over the DevTools protocol on a pipe (no port, no
extra package): every request the page made, every one that failed or was blocked, every
console error, and a screenshot. For the tests of pages that must open offline."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def browser() -> str | None:
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


@dataclass
class Visit:
    requests: list[str] = field(default_factory=list)  # every URL the page asked for
    failed: list[str] = field(default_factory=list)  # "url: why" of each failed or blocked
    errors: list[str] = field(default_factory=list)  # console errors, exceptions, warnings
    screenshot: bytes = b""  # PNG of the viewport
    found: dict[str, Any] = field(default_factory=dict)  # what each expression asked gave


def visit(url: str, profile: Path, *, width: int = 1000, height: int = 1300,
          ask: dict[str, str] | None = None) -> Visit:
    """Open ``url`` with every host unresolvable and no proxy reachable, wait for its load
    event, and report what it fetched, what failed, what it logged, a screenshot, and the
    value of each JavaScript expression in ``ask`` (by its name)."""
    exe = browser()
    assert exe, "no Chromium"
    ours, theirs = os.pipe(), os.pipe()  # ours: we write, it reads (fd 3); theirs: fd 4
    command = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", f"--user-data-dir={profile}", "--proxy-server=127.0.0.1:9",
               "--host-resolver-rules=MAP * ~NOTFOUND", "--hide-scrollbars",
               "--remote-debugging-pipe", "about:blank"]

    def to_3_and_4() -> None:
        os.dup2(ours[0], 3)
        os.dup2(theirs[1], 4)

    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, pass_fds=(3, 4, ours[0], theirs[1]),
                               preexec_fn=to_3_and_4)
    os.close(ours[0])
    os.close(theirs[1])
    session = _Session(os.fdopen(ours[1], "wb"), os.fdopen(theirs[0], "rb"))
    try:
        return session.run(url, width, height, ask or {})
    finally:
        session.close()
        process.kill()
        process.wait(timeout=30)


class _Session:
    """DevTools messages are JSON, each ended by a NUL byte."""

    def __init__(self, out: Any, inp: Any) -> None:
        self.out, self.inp, self.next_id, self.buffer = out, inp, 0, b""
        self.visit, self.page = Visit(), ""

    def run(self, url: str, width: int, height: int, ask: dict[str, str]) -> Visit:
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.page = self.call("Target.attachToTarget", {"targetId": target,
                                                        "flatten": True})["sessionId"]
        for domain in ("Network", "Log", "Runtime", "Page"):
            self.call(f"{domain}.enable", {}, page=True)
        self.call("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            page=True)
        self.call("Page.navigate", {"url": url}, page=True)
        self.wait_for("Page.loadEventFired")
        shot = self.call("Page.captureScreenshot", {"format": "png", "optimizeForSpeed": True},
                         page=True)
        self.visit.screenshot = base64.b64decode(shot["data"])
        for name, expression in ask.items():
            self.visit.found[name] = self.call("Runtime.evaluate", {
                "expression": expression, "returnByValue": True}, page=True)["result"]["value"]
        return self.visit

    def call(self, method: str, params: dict[str, Any], *, page: bool = False) -> Any:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params}
        if page:
            message["sessionId"] = self.page
        self.out.write(json.dumps(message).encode() + b"\0")
        self.out.flush()
        while True:
            reply = self.read()
            if reply.get("id") == self.next_id:
                assert "error" not in reply, (method, reply["error"])
                return reply.get("result", {})

    def wait_for(self, event: str) -> None:
        while self.read().get("method") != event:
            pass

    def read(self) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            chunk = self.inp.read1(65536)
            assert chunk, "the browser closed the pipe"
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        self.note(message.get("method", ""), message.get("params", {}))
        return message

    def note(self, method: str, params: dict[str, Any]) -> None:
        if method == "Network.requestWillBeSent":
            self.visit.requests.append(params["request"]["url"])
        elif method == "Network.loadingFailed":
            why = params.get("blockedReason") or params.get("errorText")
            self.visit.failed.append(f"{params['requestId']}: {why}")
        elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
            self.visit.errors.append(params["entry"]["text"])
        elif method == "Runtime.exceptionThrown":
            self.visit.errors.append(params["exceptionDetails"]["text"])
        elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "warning"):
            self.visit.errors.append(str(params["args"]))

    def close(self) -> None:
        for stream in (self.out, self.inp):
            with contextlib.suppress(OSError):
                stream.close()
