"""The run folder on disk: what a run folder holds, which folders a run may replace, and
replacing one atomically.

The folder's rules: ``is_run_dir`` (a folder a run wrote), ``foreign_files`` (what in it no
run wrote), ``PARTIAL_MARKER`` (a run under construction), ``read_json`` (its JSON files) and
``formula_escape`` (how its paragraphs.csv marks formula cells). A run replaces its whole
output folder, so the folder is checked before any work; the new run is built beside it and
swapped in with one rename, so a failed or killed run never destroys the previous one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from themescope import interrupt, renamed
from themescope.errors import InputError, UserError
from themescope.files import open_regular, read_regular
from themescope.reports.figures import FIGURES
from themescope.schema import CsvFormat

# --- what a run folder holds ----------------------------------------------------------------

# What runs write besides manifest.json's file list: `report` re-renders through a temp file
# and exports figures; folders written before the list existed hold the fixed names and a
# saved model; a run under construction holds the marker of rundir.atomic_dir.
PARTIAL_MARKER = ".themescope-partial"
_ALWAYS_OURS = {"manifest.json", PARTIAL_MARKER}
_FIXED_NAMES = {"paragraphs.csv", "topics.json", "report.html"}
# The names `report --export` writes figures at (old names, renamed.FIGURES, too): a file
# there is a run's only when the export's list (reports/export.py: figures/EXPORTED_LIST, each
# file with its sha256) holds it as it is; by its name alone it may be a user's own figure.
_FIGURE_FILE = re.compile(r"figures/(" + "|".join((*FIGURES, *renamed.FIGURES)) + r")\.(png|svg)")
EXPORTED_LIST = "figures/.themescope-exported.json"
# The temp files a killed `report` (files.temp_beside: `.NAME.XXXXXXXX.SUFFIX`) leaves.
_LEFTOVER_TEMP = re.compile(
    r"figures/\.("
    + "|".join((*FIGURES, *renamed.FIGURES))
    + r")\.(png|svg)\.[A-Za-z0-9_]+\.(png|svg)|\.report\.html\.[A-Za-z0-9_]+\.tmp"
)


def foreign_files(folder: Path) -> list[str]:
    """What in a run folder no run wrote (a user's notes, a copied-in project): the paths,
    relative and sorted; a link or a folder with nothing of ours in it counts as one entry."""
    path = folder / "manifest.json"
    try:
        manifest = read_json(path) if path.is_file() else {}
    except InputError:
        manifest = {}
    listed = manifest.get("files")
    ours = set(listed) if isinstance(listed, list) and all(isinstance(f, str) for f in listed) else None
    exported = _exported(folder)
    foreign: list[str] = []
    for root, dirs, files in os.walk(folder):  # not following links: a link is itself foreign
        base = Path(root).relative_to(folder)
        for name in [*files, *(d for d in dirs if (Path(root) / d).is_symlink())]:
            relative = (base / name).as_posix()
            if (Path(root) / name).is_symlink():
                foreign.append(relative)
            elif _FIGURE_FILE.fullmatch(relative):  # by the export's list alone, never by name
                digest = _digest(Path(root) / name)
                if digest is None or exported.get(name) != digest:
                    foreign.append(relative)
            elif not _written_by_run(relative, ours):
                foreign.append(relative)
        dirs[:] = [d for d in dirs if not (Path(root) / d).is_symlink()]
        if not files and not dirs and base != Path(".") and not _written_by_run(f"{base.as_posix()}/", ours):
            foreign.append(base.as_posix() + "/")  # an empty folder of the user's
    return sorted(foreign)


def _exported(folder: Path) -> dict[str, str]:
    """The figures `report --export` wrote in ``folder``'s figures/, by file name, with their
    sha256; {} when there is no list (a folder exported before it, or never) or it is damaged."""
    path = folder / EXPORTED_LIST
    try:
        listed = read_json(path).get("files") if path.is_file() and not path.is_symlink() else None
    except InputError:
        return {}
    return listed if isinstance(listed, dict) else {}


def _digest(path: Path) -> str | None:
    """sha256 of a regular file, as the export lists it (stages.file_digest, which pulls numpy)."""
    digest = hashlib.sha256()
    try:
        with open_regular(path) as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError:  # not a regular file (a FIFO), or unreadable: not one the export wrote
        return None
    return digest.hexdigest()


def _written_by_run(relative: str, ours: set[str] | None) -> bool:
    if relative in _ALWAYS_OURS or _LEFTOVER_TEMP.fullmatch(relative) or relative in ("model/", "figures/"):
        return True
    if relative == EXPORTED_LIST:  # reports/export.py's list of what it wrote
        return True
    if ours is not None:
        return relative in ours
    return relative in _FIXED_NAMES or relative.startswith("model/")


def is_run_dir(folder: Path) -> bool:
    """A folder a themescope run wrote: its manifest names the tool's version."""
    try:
        return "themescope_version" in read_json(folder / "manifest.json")
    except InputError:
        return False


def read_json(path: Path) -> dict:
    """A run's JSON file, or InputError naming the file (and line) when it is not one (a FIFO
    in its place is refused, not waited on)."""
    try:
        data = json.loads(read_regular(path).decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise InputError(f"{path}: not valid JSON (nested too deeply)") from None
    except ValueError as exc:  # an integer of thousands of digits
        raise InputError(f"{path}: not valid JSON ({_one_line(exc)})") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a JSON object")
    return data


def formula_escape(manifest: dict, where: Path) -> str:
    """The mark paragraphs.csv's cells carry (manifest.json's ``csv``); "" when the folder was
    written before it (no ``csv``), so its cells are read as they are."""
    written = manifest.get("csv")
    if written is None:
        return ""
    mark = written.get("formula_escape", "") if isinstance(written, dict) else None
    if not isinstance(mark, str):
        raise InputError(f"{where}: csv.formula_escape {mark!r} is not text, as a run writes it")
    return mark


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


# --- replacing a run folder -------------------------------------------------------------------


def check_output_dir(target: Path, keep: list[Path]) -> None:
    """Refuse, before any work, an output folder whose replacement would lose something: a run
    replaces its whole folder, so that folder must be a previous run (or new, or empty) holding
    only files a run wrote, and none of ``keep`` (the inputs, the cache)."""
    where = f"output folder {target}"
    if target.is_symlink():  # the swap would replace the link, not the run it points at
        raise UserError(f"{where}: is a symbolic link; name the folder itself")
    if len(os.fsencode(target.name)) > _LONGEST_NAME:  # its temp sibling's name must fit too
        raise UserError(f"{where}: the name is longer than {_LONGEST_NAME} bytes")
    try:
        resolved = target.resolve()
    except (OSError, RuntimeError):  # a loop of symbolic links on the way
        raise UserError(f"{where}: its path runs through a loop of symbolic links") from None
    if resolved == Path.cwd().resolve() or resolved in Path.cwd().resolve().parents:
        raise UserError(f"{where}: is the folder you run from (or holds it); name a subfolder")
    if target.exists() and not target.is_dir():
        raise UserError(f"{where}: is a file, not a folder")
    parent = next((p for p in resolved.parents if p.exists()), None)
    if parent is not None and not parent.is_dir():
        raise UserError(f"{where}: {parent} is a file, not a folder")
    check_replaceable(target)
    for path in keep:
        try:
            kept = path.resolve()
        except (OSError, RuntimeError):
            raise UserError(f"{path}: its path runs through a loop of symbolic links") from None
        if kept == resolved or resolved in kept.parents:
            raise UserError(f"{where}: holds {path}, which the run would replace")


def check_replaceable(target: Path) -> None:
    """``target`` is missing, an empty folder, or a run folder holding nothing but what runs
    wrote; anything else (a file, a link, a user's folder) is a UserError."""
    where = f"output folder {target}"
    if not os.path.lexists(target):
        return
    if target.is_symlink() or not target.is_dir():  # put there while the run was working
        raise UserError(f"{where}: is now a file or a link, not the folder; it was left as it is")
    if not any(target.iterdir()):
        return
    if not is_run_dir(target):
        raise UserError(
            f"{where}: exists and is not a themescope run (no manifest.json); a run replaces its "
            "whole output folder, so name a new or empty one"
        )
    foreign = foreign_files(target)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        figures = any(_FIGURE_FILE.fullmatch(f) for f in foreign)
        why = f" (a figure counts as a run's only when {EXPORTED_LIST} lists it unchanged)" if figures else ""
        raise UserError(
            f"{where}: holds files no themescope run wrote ({shown}){why}; a run replaces its whole "
            "folder, so move them out or name another folder"
        )


def check_cache_dir(folder: Path) -> None:
    """The embedding cache must be writable: say so now, not after reading the corpus."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PermissionError(13, "not writable")
    except OSError as exc:
        raise UserError(f"embeddings.cache_dir: {folder} cannot be used ({exc.strerror or exc})") from None


@contextmanager
def atomic_dir(target: Path, on_written: Callable[[Path], None] | None = None) -> Iterator[Path]:
    """Build the run in a sibling temp dir; swap it in only when everything is written.

    The swap is one atomic rename (renameat2 RENAME_EXCHANGE on Linux), so even SIGKILL at
    any moment leaves either the previous run or the new one under ``target``, never
    neither. ``on_written(target)`` is called as soon as the new run is in place. Leftovers
    of killed runs are removed by the next run, and only when they hold nothing but what a
    run writes.
    """
    target = Path(target)
    tmp = _leftover_path(target, "tmp", os.getpid())
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(target)
        if os.path.lexists(tmp) and not _ours(tmp):
            raise UserError(f"output folder {target}: {tmp} is in the way and was not written by themescope")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        (tmp / PARTIAL_MARKER).touch()
    except OSError as exc:
        raise UserError(f"output folder {target}: cannot be written ({exc.strerror or exc})") from None
    try:
        yield tmp
        interrupt.check()  # never swap in a run the user asked to stop
        check_replaceable(target)  # a file the user put there during the run
        (tmp / PARTIAL_MARKER).unlink()
        swapped = _swap_in(tmp, target)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        why = exc.strerror or exc
        raise UserError(
            f"output folder {target}: cannot be written ({why}); the previous run is unchanged"
        ) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if on_written is not None:
        on_written(target)
    _remove_previous(swapped)


def _remove_previous(previous: Path) -> None:
    """The previous run, now swapped out; kept as it is if a file no run wrote appeared in it
    between the last check and the swap."""
    if os.path.lexists(previous) and not foreign_files(previous):
        shutil.rmtree(previous, ignore_errors=True)


def _swap_in(tmp: Path, target: Path) -> Path:
    """Put ``tmp`` in place of ``target``; return where the previous run now lies."""
    if target.exists() and _exchange(tmp, target):
        return tmp
    old = _leftover_path(target, "old", os.getpid())
    if target.exists():
        target.rename(old)
    tmp.rename(target)
    return old


# A file name's limit on Linux and macOS, less the temp sibling's ``.NAME.tmp-PID`` additions.
_LONGEST_NAME = 255 - 20


def _leftover_path(target: Path, kind: str, pid: int) -> Path:
    return target.parent / f".{target.name}.{kind}-{pid}"


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
    """Temp dirs of killed runs; a previous run caught between two renames is put back.

    Only the exact names this module creates are considered (never a glob: a name can hold
    glob characters), and only folders holding nothing but what a run writes are touched.
    """
    pattern = re.compile(re.escape(f".{target.name}.") + r"(tmp|old)-(\d+)")
    for leftover in sorted(target.parent.iterdir()):
        match = pattern.fullmatch(leftover.name)
        if match is None or _alive(int(match[2])) or not _ours(leftover):
            continue
        if match[1] == "old" and not target.exists():
            leftover.rename(target)
        else:
            shutil.rmtree(leftover, ignore_errors=True)


def _ours(folder: Path) -> bool:
    """A folder this module made: a partial run (its marker) or a whole one, with no file in
    it that a run did not write."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    if not ((folder / PARTIAL_MARKER).is_file() or is_run_dir(folder)):
        return False
    return not foreign_files(folder)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# How this version writes its CSV files (manifest.json's ``csv``): UTF-8 with a byte-order
# mark, so that Excel opens Chinese intact, and no cell a spreadsheet would run as a formula
# (OWASP: CSV injection).
CSV_FORMAT = CsvFormat(encoding="utf-8-sig", formula_escape="'")
# What a spreadsheet reads as the start of a formula (a tab or a carriage return: a formula
# after them), and the mark itself, so that a reader takes exactly one mark off.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", CSV_FORMAT.formula_escape)


def csv_cell(value):
    """A cell as this version's CSV files hold it: text that begins like a formula (or with
    the mark) with ``CSV_FORMAT.formula_escape`` in front; anything else as it is. The
    report's selection export applies the same rule (reports.rules.SELECTION_CSV)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return CSV_FORMAT.formula_escape + value
    return value
