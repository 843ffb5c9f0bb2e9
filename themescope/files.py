"""Single files, read and written safely.

Reading: only regular files are opened, without blocking, so a FIFO or a device put where a
JSON file or a cache entry should be is an error instead of a hang. Writing: the new content
goes to a fresh temp file beside the target (O_EXCL: never through a link or into someone
else's file) and is renamed over it, so a failure leaves what was there and a link at the
target is replaced, never written through.
"""

from __future__ import annotations

import os
import stat
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import BinaryIO


class NotRegularFile(OSError):
    """The path is a folder, FIFO, device or socket, not a file to read."""


def open_regular(path: Path) -> BinaryIO:
    """``path`` opened for reading, or NotRegularFile (or the OSError of opening it)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFile(f"{path}: not a regular file")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: Path) -> bytes:
    with open_regular(path) as fh:
        return fh.read()


def temp_beside(path: Path, suffix: str = ".tmp") -> Path:
    """A new, empty temp file in ``path``'s folder, named after it (``.NAME.XXXX.tmp``)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    os.close(fd)
    return Path(tmp)


def replace_file(path: Path, data: bytes | str) -> None:
    """Write ``data`` (text as UTF-8) to a temp file beside ``path`` and rename it over
    ``path``, keeping the mode of a file it replaces (0644 for a new one)."""
    try:
        mode = stat.S_IMODE(os.lstat(path).st_mode) if path.is_file() and not path.is_symlink() else 0o644
    except OSError:
        mode = 0o644
    tmp = temp_beside(path)
    try:
        with tmp.open("wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise
