"""Servers that die with the process that started them, however it ends.

``spawn(cmd, ...)`` starts ``python -m devstack.lifeline`` (the guard) which starts
``cmd`` and watches two things: the server, and the read end of a pipe whose only write
end stays in the starting process. When that process exits, by ``exit()``, an unhandled
signal or SIGKILL, the kernel closes the write end, the guard reads end-of-file and stops
the server (``stop_signal``, then SIGKILL after ``grace`` seconds). ``prctl(PR_SET_PDEATHSIG)``
would not do: it fires when the starting *thread* ends (servers are started from worker
threads too), and pg_ctl's daemon is no child of ours.

Guard and server form a process group of their own, so a Ctrl-C at the terminal reaches
the test run (which stops them in order) rather than the servers; ``Guarded.kill()``
kills the whole group at once, as a crash of the machine would.

When this process is root, ``user`` runs the server (not the guard) as that user.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Guarded:
    """A server started by ``spawn``: ``process`` is its guard."""

    process: subprocess.Popen
    _lifeline: int

    @property
    def pid(self) -> int:
        return self.process.pid

    def poll(self) -> int | None:
        return self.process.poll()

    @property
    def returncode(self) -> int | None:
        return self.process.returncode

    def terminate(self, timeout: float) -> None:
        """Ask the guard to stop the server, wait; kill the group if it takes too long."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        self.release()

    def kill(self) -> None:
        """SIGKILL guard and server together."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.release()

    def release(self) -> None:
        """Close our end of the lifeline (the guard then stops the server if it still runs)."""
        if self._lifeline >= 0:
            os.close(self._lifeline)
            self._lifeline = -1

    def __del__(self) -> None:
        self.release()


def spawn(
    cmd: list[str],
    *,
    log,
    cwd: Path | str | None = None,
    env: dict[str, str] | None = None,
    user: str | None = None,
    stop_signal: int = signal.SIGTERM,
    grace: float = 15.0,
) -> Guarded:
    """Start ``cmd`` under a guard; its output goes to the open file ``log``."""
    read_end, write_end = os.pipe()  # both non-inheritable; the guard gets read_end only
    guard = [sys.executable, "-m", "devstack.lifeline", str(read_end), str(int(stop_signal))]
    guard += [str(grace), user or "", "--", *cmd]
    try:
        process = subprocess.Popen(
            guard,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=cwd,
            env={**(env if env is not None else os.environ), "PYTHONPATH": str(ROOT)},
            pass_fds=(read_end,),
            start_new_session=True,
        )
    except BaseException:
        os.close(write_end)
        raise
    finally:
        os.close(read_end)
    return Guarded(process, write_end)


def _guard(lifeline: int, stop_signal: int, grace: float, user: str, cmd: list[str]) -> int:
    options = {"user": user, "group": user, "extra_groups": []} if user else {}
    child = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, **options)

    def stop(signum: int = stop_signal, _frame=None) -> None:
        if child.poll() is None:
            child.send_signal(signum if signum != signal.SIGTERM else stop_signal)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    watched = os.pidfd_open(child.pid)
    while child.poll() is None:
        try:
            ready, _, _ = select.select([lifeline, watched], [], [])
        except InterruptedError:
            continue
        if lifeline in ready and not os.read(lifeline, 1):  # the starter is gone
            stop()
            try:
                child.wait(grace)
            except subprocess.TimeoutExpired:
                child.kill()
            break
    return child.wait()


if __name__ == "__main__":
    fd, sig, grace_s, as_user, _dashes, *command = sys.argv[1:]
    sys.exit(_guard(int(fd), int(sig), float(grace_s), as_user, command))
