"""Shared by the scripts/new.py tests: run the CLI, snapshot folders, check with ruff."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NEW = ROOT / "scripts" / "new.py"
SOURCES = ROOT / "scripts" / "sources.py"
RUFF = Path(sys.executable).with_name("ruff")
# Outside the project, ruff cannot tell that models and sources are the project's own.
FIRST_PARTY = "lint.isort.known-first-party = ['models', 'sources']"


def run_script(script: Path, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(script), *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def new(*args: str, sources_dir: Path | None = None, cwd: Path = ROOT):
    extra = ["--sources-dir", str(sources_dir)] if sources_dir is not None else []
    return run_script(NEW, *extra, *args, cwd=cwd)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file below ``folder`` (caches aside): relative path → (content, mtime_ns)."""
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def ruff(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([str(RUFF), *args], cwd=cwd, capture_output=True, text=True, timeout=120)
