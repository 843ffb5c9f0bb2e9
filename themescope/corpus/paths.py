"""Which files the user's input paths name (files, folders, globs), and their bytes.

Folders and ``**`` globs are walked through symlinked folders, each real folder once; FIFOs,
devices and sockets are refused with what they are (a read would block or never end); what
a folder holds but is not read is listed with the reason.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from themescope.corpus.encoding import size_limit, too_large
from themescope.corpus.models import Dropped
from themescope.errors import InputError
from themescope.files import NotRegularFile, open_regular
from themescope.rundir import is_run_dir

EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".tsv": "tsv"}
TEXT_EXTENSIONS = {".txt", ".text", ".md", ""}


def expand_paths(paths: list[str | Path]) -> list[Path]:
    """Files as given, folders recursively (known extensions), globs expanded; sorted, unique."""
    return expand_inputs(paths)[0]


def expand_inputs(paths: list[str | Path]) -> tuple[list[Path], list[Dropped]]:
    """``expand_paths``, and the files a folder held that are not read, each with the reason
    (so nothing the user pointed at is left out without a word)."""
    found: list[Path] = []
    skipped: list[Dropped] = []
    for path in map(Path, paths):
        if any(ch in str(path) for ch in "*?["):
            files, notes = _expand_pattern(path)
        elif path.is_dir():
            files, notes = _expand_folder(path)
        else:
            files, notes = [_regular_file(path)], []
        found += files
        skipped += notes
    return _unique_files(found), skipped


def _regular_file(path: Path) -> Path:
    """``path`` itself, or an InputError that says truly why it cannot be read."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise InputError(f"{path}: no such file or directory") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    kind = _not_regular(mode)
    if kind:
        raise InputError(f"{path}: is {kind}, not a regular file")
    return path


def _not_regular(mode: int) -> str | None:
    """What a file that is neither a regular file nor a folder is (a FIFO would block a read)."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kinds = [
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ]
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _entry_problem(path: Path) -> str | None:
    """Why a file found in a folder or by a pattern cannot be read, if it cannot."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return "a broken link" if path.is_symlink() else f"cannot read ({exc.strerror})"
    kind = _not_regular(mode)
    if kind:
        return f"{kind}, not a regular file"
    return "a folder" if stat.S_ISDIR(mode) else None


def _expand_folder(root: Path) -> tuple[list[Path], list[Dropped]]:
    """The input files under ``root`` (known extensions); what is not read, with the reason:
    hidden files and folders, earlier runs' folders, other file types, FIFOs and devices."""
    found: list[Path] = []
    skipped: list[Dropped] = []
    for folder, subfolders, files in _walk(root):
        if "manifest.json" in files and is_run_dir(folder):
            skipped.append(Dropped("", "skipped folder: a themescope run's output", str(folder)))
            subfolders.clear()
            continue
        for name in [d for d in subfolders if d.startswith(".")]:
            skipped.append(Dropped("", "skipped folder: hidden", str(folder / name)))
            subfolders.remove(name)
        for name in files:
            path = folder / name
            reason = _skip_reason(path)
            if reason:
                skipped.append(Dropped("", f"skipped file: {reason}", str(path)))
            else:
                found.append(path)
    return sorted(found), skipped


def _skip_reason(path: Path) -> str | None:
    if path.name.startswith("."):
        return "hidden"
    problem = _entry_problem(path)
    if problem:
        return problem
    if not _known_suffix(path):
        return f"not an input type themescope reads ({path.suffix or 'no extension'})"
    return None


def _walk(root: Path) -> Iterator[tuple[Path, list[str], list[str]]]:
    """os.walk through symlinked folders, each real folder once: a link back up the tree (a
    loop) ends the walk there instead of recursing forever. Names sorted; the caller may
    remove entries from the folder list to prune them."""
    seen: set[str] = set()
    for folder, subfolders, files in os.walk(root, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:
            subfolders.clear()
            continue
        seen.add(real)
        subfolders.sort()
        yield Path(folder), subfolders, sorted(files)


def _expand_pattern(pattern: Path) -> tuple[list[Path], list[Dropped]]:
    """A glob's files; folders and FIFOs it matches are listed, not read. A ``**`` pattern is
    matched over ``_walk`` (glob.glob follows a symlink loop forever)."""
    parts = pattern.parts
    recursive = "**" in parts
    matches = _recursive_matches(parts) if recursive else sorted(map(Path, glob.glob(str(pattern))))
    if not matches:
        raise InputError(f"{pattern}: no file matches this pattern")
    found: list[Path] = []
    skipped: list[Dropped] = []
    runs = _RunFolders()
    for path in matches:
        run = runs.holding(path)
        if run is not None:  # an earlier run's paragraphs.csv is not an input
            note = Dropped("", "skipped folder: a themescope run's output", str(run))
            if note not in skipped:
                skipped.append(note)
            continue
        problem = _entry_problem(path)
        if problem is None:
            found.append(path)
        elif problem == "a folder":
            skipped.append(Dropped("", "skipped folder: matched by a pattern, which reads files", str(path)))
        else:
            skipped.append(Dropped("", f"skipped file: {problem}", str(path)))
    return found, skipped


class _RunFolders:
    """Which folders are themescope runs' output, each folder's manifest read once."""

    def __init__(self) -> None:
        self._known: dict[Path, bool] = {}

    def holding(self, path: Path) -> Path | None:
        """The run folder ``path`` lies in (itself or a parent), if any."""
        for folder in [path, *path.parents]:
            if folder not in self._known:
                self._known[folder] = folder.is_dir() and is_run_dir(folder)
            if self._known[folder]:
                return folder
        return None


def _recursive_matches(parts: tuple[str, ...]) -> list[Path]:
    """Files under the pattern's fixed leading folders whose path matches the rest of it, as
    glob does (``**`` spans folders, a name starting with a dot only matches a dot)."""
    fixed = next(i for i, part in enumerate(parts) if any(ch in part for ch in "*?["))
    base = Path(*parts[:fixed]) if fixed else Path()
    if not base.is_dir():
        return []
    matches = []
    for folder, _subfolders, files in _walk(base):
        for name in files:
            path = folder / name
            if _matches(path.relative_to(base).parts, parts[fixed:]):
                matches.append(path)
    return sorted(matches)


def _matches(names: tuple[str, ...], pattern: tuple[str, ...]) -> bool:
    if not pattern:
        return not names
    head, rest = pattern[0], pattern[1:]
    if head == "**":
        return any(
            _matches(names[i:], rest)
            for i in range(len(names) + 1)
            if not any(name.startswith(".") for name in names[:i])
        )
    return bool(names) and _name_matches(names[0], head) and _matches(names[1:], rest)


def _name_matches(name: str, pattern: str) -> bool:
    return fnmatch.fnmatchcase(name, pattern) and (not name.startswith(".") or pattern.startswith("."))


def _unique_files(paths: list[Path]) -> list[Path]:
    """One entry per file, however it was named (relative, absolute, through a link)."""
    seen: set[Path] = set()
    unique = []
    for path in paths:
        real = path.resolve()
        if real not in seen:
            seen.add(real)
            unique.append(path)
    return unique


def _known_suffix(path: Path) -> bool:
    suffix = plain_suffix(path)
    return suffix in EXTENSIONS or suffix in TEXT_EXTENSIONS


def plain_suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def read_limited(path: Path, max_mb: int | str = "auto") -> bytes:
    """The file's bytes, refused when it is not a regular file (opened without blocking, so a
    FIFO swapped in after the check cannot hang the read) or larger than the limit."""
    try:
        fh = open_regular(path)
    except NotRegularFile:
        problem = _entry_problem(path) or "not a regular file"
        raise InputError(
            f"{path}: is {problem}" + (", not a regular file" if problem == "a folder" else "")
        ) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    with fh:
        info = os.fstat(fh.fileno())
        limit = size_limit(max_mb)
        if info.st_size > limit:  # refused before a byte is read
            raise too_large(str(path), limit, max_mb)
        try:
            data = fh.read(info.st_size + 1)
            if len(data) > info.st_size:  # it grew since: read on, to the limit
                data += fh.read(limit + 1 - len(data))
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if len(data) > limit:
        raise too_large(str(path), limit, max_mb)
    return data
