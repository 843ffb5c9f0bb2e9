"""The run folder on disk: which folders a run may replace, and replacing one atomically.

A run replaces its whole output folder, so the folder is checked before any work; the new
run is built beside it and swapped in with one rename, so a failed or killed run never
destroys the previous one.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from themescope import interrupt


def check_output_dir(target: Path, keep: list[Path]) -> None:
    """Refuse, before any work, an output folder whose replacement would lose something: a run
    replaces its whole folder, so that folder must be a previous run (or new, or empty) and
    hold none of ``keep`` (the inputs, the cache)."""
    from themescope.errors import UserError

    where = f"output folder {target}"
    if target.is_symlink():  # the swap would replace the link, not the run it points at
        raise UserError(f"{where}: is a symbolic link; name the folder itself")
    resolved = target.resolve()
    if resolved == Path.cwd().resolve() or resolved in Path.cwd().resolve().parents:
        raise UserError(f"{where}: is the folder you run from (or holds it); name a subfolder")
    if target.exists() and not target.is_dir():
        raise UserError(f"{where}: is a file, not a folder")
    parent = next((p for p in resolved.parents if p.exists()), None)
    if parent is not None and not parent.is_dir():
        raise UserError(f"{where}: {parent} is a file, not a folder")
    from themescope.run import is_run_dir

    if target.is_dir() and any(target.iterdir()) and not is_run_dir(target):
        raise UserError(
            f"{where}: exists and is not a themescope run (no manifest.json); a run replaces its "
            "whole output folder, so name a new or empty one"
        )
    for path in keep:
        if path.resolve() == resolved or resolved in path.resolve().parents:
            raise UserError(f"{where}: holds {path}, which the run would replace")


def check_cache_dir(folder: Path) -> None:
    """The embedding cache must be writable: say so now, not after reading the corpus."""
    from themescope.errors import UserError

    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PermissionError(13, "not writable")
    except OSError as exc:
        raise UserError(f"embeddings.cache_dir: {folder} cannot be used ({exc.strerror or exc})") from None


@contextmanager
def atomic_dir(target: Path) -> Iterator[Path]:
    """Build the run in a sibling temp dir; swap it in only when everything is written.

    The swap is one atomic rename (renameat2 RENAME_EXCHANGE on Linux), so even SIGKILL at
    any moment leaves either the previous run or the new one under ``target``, never
    neither; leftovers of killed runs are removed by the next run.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(target)
    tmp = target.parent / f".{target.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        yield tmp
        interrupt.check()  # never swap in a run the user asked to stop
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if target.exists() and _exchange(tmp, target):
        shutil.rmtree(tmp, ignore_errors=True)  # now holds the previous run
        return
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        target.rename(old)
    tmp.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False where the system cannot (then two renames are used).

    Python has no binding for renameat2; ctypes reaches glibc's (Linux 3.15+, glibc 2.28+).
    """
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _remove_leftovers(target: Path) -> None:
    """Temp dirs of killed runs; a previous run caught between two renames is put back."""
    for leftover in target.parent.glob(f".{target.name}.*-*"):
        kind, _, pid = leftover.name.rpartition("-")
        if not pid.isdigit() or _alive(int(pid)):
            continue
        if kind.endswith(".old") and not target.exists():
            leftover.rename(target)
        else:
            shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
