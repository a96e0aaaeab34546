"""Open a page in headless Chromium and watch it through the DevTools protocol.

The protocol runs over a pipe (``--remote-debugging-pipe``: commands on the browser's fd
3, answers and events on its fd 4, each message JSON ended by a NUL byte), so no port is
opened and no websocket library is needed. ``inspect_page`` loads a ``file://`` page,
records every network request and console or CSP message, evaluates a script in the page
and saves a full-page screenshot.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")


def chromium_binary() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


@dataclass
class PageVisit:
    value: Any  # what the evaluated script returned
    requests: list[str] = field(default_factory=list)  # URLs the page asked for
    failed: list[str] = field(default_factory=list)  # requests that failed or were blocked
    messages: list[str] = field(default_factory=list)  # console and browser log entries
    screenshot: Path | None = None


class DevTools:
    """A headless Chromium driven over its DevTools pipe. Use as a context manager."""

    def __init__(self, binary: str, timeout: float = 30.0):
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="obs-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # Moved above 4 first, so that wiring them to 3 and 4 never overwrites one with
        # the other (dup2 also makes the copies survive exec, which os.pipe's do not).
        child_r = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD_CLOEXEC, 10)
        child_w = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_browser_r)
        os.close(from_browser_w)

        def wire_pipes() -> None:  # in the child: its fd 3 reads, its fd 4 writes
            os.dup2(child_r, 3)
            os.dup2(child_w, 4)

        self.process = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",  # tests may run as root
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",  # the browser's own requests: none
                "--disable-component-update",
                "--remote-debugging-pipe",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire_pipes,  # after fork, before exec: only dup2 calls
            close_fds=False,
        )
        os.close(child_r)
        os.close(child_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []

    def __enter__(self) -> DevTools:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def close(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(OSError, TimeoutError, RuntimeError):
                self.send("Browser.close")
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for fd in (self._to_browser, self._from_browser):
            with contextlib.suppress(OSError):
                os.close(fd)
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("no answer from Chromium")
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed its DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method: str, session: str | None = None, **params: Any) -> dict:
        """Send one command and return its result; events meanwhile go to ``events``."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)

    def wait_for(self, method: str) -> dict:
        deadline = time.monotonic() + self.timeout
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            event = self._read_message(deadline)
            self.events.append(event)
            if event.get("method") == method:
                return event


def inspect_page(path: Path, script: str, screenshot: Path, width: int = 900) -> PageVisit:
    """Load ``path`` (a local file), run ``script`` in it, save a full-page PNG."""
    binary = chromium_binary()
    if binary is None:
        raise FileNotFoundError("no chromium binary")
    with DevTools(binary) as browser:
        target = browser.send("Target.createTarget", url="about:blank")["targetId"]
        session = browser.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Network", "Page", "Runtime", "Log"):
            browser.send(f"{domain}.enable", session)
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            session,
            width=width,
            height=800,
            deviceScaleFactor=1,
            mobile=False,
        )
        browser.events.clear()  # from here on, everything is the page's doing
        browser.send("Page.navigate", session, url=path.resolve().as_uri())
        browser.wait_for("Page.loadEventFired")
        value = browser.send("Runtime.evaluate", session, expression=script, returnByValue=True)[
            "result"
        ].get("value")
        size = browser.send("Page.getLayoutMetrics", session)["cssContentSize"]
        shot = browser.send(
            "Page.captureScreenshot",
            session,
            format="png",
            captureBeyondViewport=True,
            clip={"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
        )
        screenshot.write_bytes(base64.b64decode(shot["data"]))
        visit = PageVisit(value=value, screenshot=screenshot)
        for event in browser.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Network.requestWillBeSent":
                visit.requests.append(params["request"]["url"])
            elif method == "Network.loadingFailed":
                visit.failed.append(f"{params.get('errorText')} {params.get('blockedReason', '')}")
            elif method == "Log.entryAdded":
                visit.messages.append(params["entry"].get("text", ""))
            elif method == "Runtime.consoleAPICalled":
                visit.messages.append(" ".join(str(a.get("value")) for a in params["args"]))
        return visit
