"""Stage cache: a re-run recomputes from the first stage whose inputs changed.

Each stage's product is stored under ``<cache>/stages/<stage>/<key>/``, where the key hashes
exactly what the stage reads: the upstream stage's key, the config values it uses, and the
code that computes it (themescope's own source and the versions of the libraries involved).

The cache is verified, never trusted: an entry is written to a temporary folder whose marker
lists a sha256 per file, then renamed into place; every read checks those sums first. A
flipped byte, a missing or extra file, or an entry without sums (an older themescope) is a
miss that is recomputed and rewritten, and a corrupt one is reported in the run's warnings.

Several runs share one cache: entries are removed by renaming them away first, so a reader
finds an entry whole or not at all (a miss), and pruning skips whatever vanishes under it.
A cache that cannot be written (read-only, disk full) leaves the run going on without it.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import inspect
import json
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol, TypeVar

import numpy as np
from pydantic import BaseModel

from themescope import interrupt
from themescope.files import open_regular, read_regular

# Libraries whose version changes what a stage computes.
_LIBRARIES = ["bertopic", "umap-learn", "hdbscan", "scikit-learn", "numpy", "scipy", "jieba", "opencc"]
_DONE = "complete"
_FORMAT = 2  # the marker's format: {"format": 2, "files": {relative path: sha256}}
_STALE_SECONDS = 3600  # leftovers of killed runs older than this are removed


class Storable(Protocol):
    def save(self, folder: Path) -> None: ...


T = TypeVar("T", bound=Storable)


class CorruptEntry(Exception):
    """Raised by a load function when its entry does not add up: recomputed and reported."""


def code_fingerprint() -> str:
    """Hash of themescope's source and its libraries' versions: new code means new results."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none".encode())
    return digest.hexdigest()


class StageCache:
    """Runs stages through the cache and records, per stage, hit or miss and seconds."""

    def __init__(self, root: Path | None, keep: int = 8) -> None:
        self.root = Path(root) / "stages" if root else None
        self.keep = keep
        self.record: dict[str, dict[str, Any]] = {}
        self.warnings: list[str] = []
        self._code = code_fingerprint()

    def key(self, stage: str, inputs: Any) -> str:
        blob = json.dumps([self._code, stage, inputs], sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:40]

    def cached(
        self,
        stage: str,
        inputs: Any,
        compute: Callable[[], T],
        load: Callable[[Path], T],
    ) -> tuple[T, str]:
        """The stage's product (from the cache when its inputs are unchanged) and its key."""
        interrupt.check()
        key = self.key(stage, inputs)
        start = time.perf_counter()
        folder = self.root / stage / key if self.root else None
        product, state, reason = self._read(folder, load) if folder is not None else (None, "absent", "")
        if state == "ok":
            self.record[stage] = {"cache": "hit", "seconds": round(time.perf_counter() - start, 3)}
            return product, key
        product = compute()
        interrupt.check()  # a Ctrl-C swallowed during compute: store nothing, stop
        stored = folder is not None and self._store(folder, product, replace=state != "absent")
        self.record[stage] = {"cache": "miss", "seconds": round(time.perf_counter() - start, 3)}
        if state != "absent":
            again = "recomputed and rewritten" if stored else "recomputed"
            self.record[stage]["entry"] = f"{state} ({reason}): {again}"
        if state == "corrupt":
            self.warnings.append(f"stage cache: the {stage} entry was corrupt ({reason}); {again}: {folder}")
        return product, key

    def _read(self, folder: Path, load: Callable[[Path], T]) -> tuple[T | None, str, str]:
        """(product, "ok", "") or (None, why not: absent, gone, legacy or corrupt, details)."""
        if not os.path.lexists(folder):
            return None, "absent", ""
        state, reason = verify_entry(folder)
        if state != "ok":
            return None, state, reason
        try:
            product = load(folder)
        except CorruptEntry as exc:
            return None, "corrupt", str(exc)
        except (FileNotFoundError, LookupError) as exc:  # pruned by another run while loading
            return None, "gone", str(exc) or type(exc).__name__
        except Exception as exc:  # the sums matched, yet it does not load: never trust it
            return None, "corrupt", f"does not load: {type(exc).__name__}"
        with contextlib.suppress(OSError):
            os.utime(folder)  # newest first when pruning
        return product, "ok", ""

    def _store(self, folder: Path, product: Storable, replace: bool = False) -> bool:
        """Write the entry with its sums and rename it into place (over a bad one when
        ``replace``); whether it was stored. A write that fails only costs the caching."""
        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".tmp-"))
        except OSError as exc:
            self._not_written(exc)
            return False
        try:
            product.save(tmp)
            sums = {name: file_digest(tmp / name) for name in _files(tmp)}
            (tmp / _DONE).write_text(json.dumps({"format": _FORMAT, "files": sums}), "utf-8")
            if replace:
                _discard(folder)
            os.rename(tmp, folder)
        except OSError as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            if exc.errno in (errno.EEXIST, errno.ENOTEMPTY):  # another run stored it meanwhile
                return True
            self._not_written(exc)
            return False
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        self._prune(folder.parent)
        return True

    def _not_written(self, exc: OSError) -> None:
        message = (
            f"stage cache not written ({exc.strerror or exc}): {self.root}; "
            "this run's stages were computed but not stored"
        )
        if message not in self.warnings:
            self.warnings.append(message)

    def _prune(self, stage_dir: Path) -> None:
        """Keep the newest ``keep`` entries. Other runs store, read and prune the same folder
        at the same time: whatever vanishes meanwhile is skipped, never an error."""
        try:
            listing = list(os.scandir(stage_dir))
        except OSError:
            return
        entries, now = [], time.time()
        for item in listing:
            try:
                mtime = item.stat(follow_symlinks=False).st_mtime
                is_dir = item.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if not item.name.startswith("."):
                if is_dir:
                    entries.append((mtime, item.name))
            elif item.name.startswith((".tmp-", ".del-")) and now - mtime > _STALE_SECONDS:
                _remove(Path(item.path))  # left by a run killed while storing or pruning
        entries.sort(reverse=True)
        for _, name in entries[self.keep :]:
            _discard(stage_dir / name)


def verify_entry(folder: Path) -> tuple[str, str]:
    """("ok", "") when every file matches the sum its marker lists, else why not: "gone"
    (removed meanwhile), "legacy" (written without sums) or "corrupt", with details."""
    try:
        text = read_regular(folder / _DONE).decode("utf-8")
    except FileNotFoundError:
        gone = not os.path.lexists(folder)
        return ("gone", "removed while being read") if gone else ("corrupt", "no marker")
    except (OSError, UnicodeDecodeError) as exc:
        return "corrupt", f"marker unreadable: {getattr(exc, 'strerror', None) or type(exc).__name__}"
    if text.strip() == "1":
        return "legacy", "written without checksums by an older themescope"
    try:
        marker = json.loads(text)
        sums = marker["files"]
        if marker["format"] != _FORMAT or not isinstance(sums, dict):
            raise ValueError
    except (ValueError, TypeError, KeyError):
        return "corrupt", "marker unreadable"
    present = set(_files(folder))
    if present != set(sums):
        if not (folder / _DONE).is_file():
            return "gone", "removed while being read"
        missing, extra = sorted(set(sums) - present), sorted(present - set(sums))
        return "corrupt", f"{missing[0]} is missing" if missing else f"{extra[0]} is not in its checksums"
    for name, expected in sorted(sums.items()):
        try:
            actual = file_digest(folder / name)
        except FileNotFoundError:
            return "gone", "removed while being read"
        except OSError as exc:
            return "corrupt", f"{name} unreadable ({exc.strerror})"
        if actual != expected:
            return "corrupt", f"{name} does not match its checksum"
    return "ok", ""


def _files(folder: Path) -> list[str]:
    """Every file under ``folder`` but the marker, as relative POSIX paths."""
    found = []
    for parent, _, names in os.walk(folder):
        for name in names:
            relative = (Path(parent) / name).relative_to(folder).as_posix()
            if relative != _DONE:
                found.append(relative)
    return found


def _discard(path: Path) -> None:
    """Rename away, then remove: a reader sees the whole entry or none of it."""
    trash = path.parent / f".del-{path.name}-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        os.rename(path, trash)
    except OSError:  # gone already (another run pruned it), or not ours to remove
        return
    _remove(trash)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def file_digest(path: Path) -> str:
    """sha256 of a regular file (a FIFO in its place is an OSError, not a hang)."""
    digest = hashlib.sha256()
    with open_regular(path) as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Stage:
    """One step of a fit, declared once (``pipeline.STAGES``): what it reads, how it computes,
    and how its product loads back from the cache.

    ``compute``, ``load``, ``when`` and ``key_of``'s functions are called with the values
    their parameters name
    (``load`` gets the entry's folder first), so a declaration lists each name once.
    ``inputs`` are the values the product depends on: each one's key goes into the stage's
    key (an earlier stage's key, a key the caller gave, or the value itself, see
    ``value_key``), or what ``key_of`` computes for it where only part of a value matters
    (a few settings). ``uses`` are passed too but keyed by nothing, so they must not change the
    product (progress display, an embedding model already loaded). Without ``load`` the
    stage is derived: recomputed on every run, never stored, and its key derives from its
    inputs' keys all the same. ``when`` false: the stage is skipped and its value is None.
    ``group`` is the part of the run it belongs to, for timings and progress.
    """

    name: str
    compute: Callable[..., Any]
    inputs: tuple[str, ...] = ()
    load: Callable[..., Any] | None = None
    key_of: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)
    uses: tuple[str, ...] = ()
    when: Callable[..., bool] | None = None
    group: str = ""


def run_stages(
    stages: Sequence[Stage],
    values: dict[str, Any],
    cache: StageCache,
    keys: dict[str, Any] | None = None,
    around: Callable[[Stage], contextlib.AbstractContextManager] | None = None,
) -> dict[str, Any]:
    """Run ``stages`` in order over ``values`` (the caller's inputs; ``keys`` stand for the
    ones too large to hash, such as vectors), each through ``cache``; every value by name.

    A stage whose name is already among ``values`` is taken as given (a corpus passed in).
    ``around(stage)`` wraps each stage that runs (timing, progress).
    """
    values, keys = dict(values), dict(keys or {})
    for stage in stages:
        if stage.name in values:
            continue
        if stage.when is not None and not _call(stage.when, values):
            values[stage.name], keys[stage.name] = None, None
            continue
        inputs = [
            [name, _call(stage.key_of[name], values) if name in stage.key_of else _key(name, values, keys)]
            for name in stage.inputs
        ]
        with around(stage) if around else contextlib.nullcontext():
            compute = partial(_call, stage.compute, values)
            if stage.load is None:
                values[stage.name], keys[stage.name] = compute(), cache.key(stage.name, inputs)
            else:
                load = stage.load
                values[stage.name], keys[stage.name] = cache.cached(
                    stage.name, inputs, compute, lambda folder, load=load: _call(load, values, folder)
                )
    return values


def _key(name: str, values: dict[str, Any], keys: dict[str, Any]) -> Any:
    if name not in keys:
        keys[name] = value_key(values[name])
    return keys[name]


def value_key(value: Any) -> Any:
    """What stands for ``value`` in a stage key: settings as JSON, texts and arrays as their
    sha256, anything with a ``cache_key()`` (a corpus) as that; containers and dataclasses
    item by item, so an array inside one is hashed whole, never cut short by its repr."""
    if hasattr(value, "cache_key"):
        return value.cache_key()
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: value_key(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, np.ndarray):
        digest = hashlib.sha256(f"{value.dtype}{value.shape}".encode())
        digest.update(np.ascontiguousarray(value).tobytes())
        return digest.hexdigest()
    if isinstance(value, list | tuple):
        if value and all(isinstance(v, str) for v in value):
            return hashlib.sha256("\x00".join(value).encode("utf-8")).hexdigest()
        return [value_key(v) for v in value]
    if isinstance(value, dict):
        return {str(k): value_key(v) for k, v in value.items()}
    return value


def _call(function: Callable[..., Any], values: dict[str, Any], *first: Any) -> Any:
    """``function`` called with ``first`` and the values its other parameters name."""
    names = list(inspect.signature(function).parameters)[len(first) :]
    return function(*first, **{name: values[name] for name in names})
