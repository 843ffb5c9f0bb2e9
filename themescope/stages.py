"""Stage cache: a re-run recomputes from the first stage whose inputs changed.

Each stage's product is stored under ``<cache>/stages/<stage>/<key>/``, where the key hashes
exactly what the stage reads: the upstream stage's key, the config values it uses, and the
code that computes it (themescope's own source and the versions of the libraries involved).
An entry is written to a temporary folder and renamed into place, so a killed run never
leaves a half-written entry under a real key; an entry that fails to load is recomputed.
Only the newest few entries per stage are kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol, TypeVar

from themescope import interrupt

# Libraries whose version changes what a stage computes.
_LIBRARIES = ["bertopic", "umap-learn", "hdbscan", "scikit-learn", "numpy", "scipy", "jieba", "opencc"]
_DONE = "complete"


class Storable(Protocol):
    def save(self, folder: Path) -> None: ...


T = TypeVar("T", bound=Storable)


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

    def run(
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
        product, status = None, "miss"
        folder = self.root / stage / key if self.root else None
        if folder is not None and (folder / _DONE).is_file():
            try:
                product = load(folder)
                status = "hit"
                os.utime(folder)  # newest first when pruning
            except Exception:  # an unreadable entry only means: compute it again
                product = None
        if product is None:
            product = compute()
            interrupt.check()  # a Ctrl-C swallowed during compute: store nothing, stop
            if folder is not None:
                self._store(folder, product)
        self.record[stage] = {"cache": status, "seconds": round(time.perf_counter() - start, 3)}
        return product, key

    def entry(self, stage: str, key: str) -> Path | None:
        folder = self.root / stage / key if self.root else None
        return folder if folder is not None and (folder / _DONE).is_file() else None

    def note(self, stage: str, status: str, seconds: float) -> None:
        """Record a stage that is not cached (the report is always rendered)."""
        self.record[stage] = {"cache": status, "seconds": round(seconds, 3)}

    def _store(self, folder: Path, product: Storable) -> None:
        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".tmp-"))
        except OSError as exc:
            self.warnings.append(f"stage cache not written ({exc.strerror}): {folder.parent}")
            return
        try:
            product.save(tmp)
            (tmp / _DONE).write_text("1")
            if folder.exists():  # another run stored it meanwhile; theirs is as good
                shutil.rmtree(tmp)
            else:
                os.rename(tmp, folder)
        except OSError as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            self.warnings.append(f"stage cache not written ({exc.strerror}): {folder}")
            return
        self._prune(folder.parent)

    def _prune(self, stage_dir: Path) -> None:
        entries = [p for p in stage_dir.iterdir() if p.is_dir() and not p.name.startswith(".")]
        entries.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[self.keep :]:
            shutil.rmtree(old, ignore_errors=True)
        # Temp folders of runs that were killed while storing.
        for stale in stage_dir.glob(".tmp-*"):
            if time.time() - stale.stat().st_mtime > 3600:
                shutil.rmtree(stale, ignore_errors=True)


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
