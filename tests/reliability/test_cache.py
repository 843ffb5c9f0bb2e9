"""The caches under embeddings.cache_dir: verified on every read, shared by concurrent runs,
and never a reason to fail a run when they cannot be written.

Every process starts in a temporary folder, not the repository, so that with
``PYTHONPATH=OLD_CHECKOUT`` these tests run the old code (``python -m`` puts the working
folder first on sys.path). One cold run fills a cache that the tests copy and damage.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from .helpers import SAMPLE, quick_run_args, run_cli

EDITED = ("步步驚心哪", "步步驚心啊")  # one paragraph of the sample, changed by one character


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> tuple[Path, Path]:
    """(cache, run folder) of one cold run of the sample page."""
    base = tmp_path_factory.mktemp("prepared")
    cache, out = base / "cache", base / "run"
    proc = run_cli(*quick_run_args(SAMPLE, out, cache), cwd=base)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return cache, out


def _copy_cache(prepared, tmp_path: Path) -> Path:
    cache = tmp_path / "cache"
    shutil.copytree(prepared[0], cache)
    return cache


def _run(tmp_path: Path, cache: Path, out: Path, *extra: str, inputs: Path = SAMPLE):
    proc = run_cli(*quick_run_args(inputs, out, cache, *extra), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _stages(manifest: dict) -> dict[str, str]:
    return {stage: entry["cache"] for stage, entry in manifest["stages"].items()}


def _assignments(run_dir: Path) -> dict[str, tuple[str, str]]:
    with (run_dir / "paragraphs.csv").open(encoding="utf-8-sig", newline="") as fh:
        return {r["paragraph_id"]: (r["topic"], r["topic_label"]) for r in csv.DictReader(fh)}


def _model_files(run_dir: Path) -> dict[str, bytes]:
    folder = run_dir / "model"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _entry(cache: Path, stage: str) -> Path:
    entries = [p for p in (cache / "stages" / stage).iterdir() if not p.name.startswith(".")]
    assert len(entries) == 1, entries
    return entries[0]


def _flip(path: Path, offset_from_end: int = 40) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) - offset_from_end] ^= 0xFF
    path.write_bytes(bytes(data))


def _edited_sample(tmp_path: Path) -> Path:
    page = tmp_path / "page.txt"
    text = SAMPLE.read_text(encoding="utf-8")
    assert EDITED[0] in text
    page.write_text(text.replace(*EDITED), encoding="utf-8")
    return page


def test_flipped_bytes_in_cached_entries_are_recomputed_and_rewritten(prepared, tmp_path):
    """Item 4: bytes flipped inside a cached word_vectors.npy and the cached BERTopic model's
    safetensors are found by their checksums: both stages recompute (no "hit"), the run says
    so, its topics and model are the clean ones, and the entries are rewritten (next run hits)."""
    cache = _copy_cache(prepared, tmp_path)
    _flip(_entry(cache, "words") / "word_vectors.npy")
    for tensors in (_entry(cache, "represent") / "model").glob("*.safetensors"):
        _flip(tensors)
    out = tmp_path / "run"
    manifest = _run(tmp_path, cache, out)
    stages = _stages(manifest)
    assert stages["words"] != "hit" and stages["represent"] != "hit", stages
    assert any("corrupt" in w and "words" in w for w in manifest["warnings"]), manifest["warnings"]
    assert any("corrupt" in w and "represent" in w for w in manifest["warnings"]), manifest["warnings"]
    assert _assignments(out) == _assignments(prepared[1])
    assert _model_files(out) == _model_files(prepared[1])

    again = _run(tmp_path, cache, tmp_path / "again")
    assert set(_stages(again).values()) == {"hit", "always rendered"}, _stages(again)
    assert again["warnings"] == []
    assert _model_files(tmp_path / "again") == _model_files(prepared[1])


def test_partial_legacy_and_tampered_entries_are_recomputed_and_rewritten(prepared, tmp_path):
    """Item 4: a truncated entry file, an entry without checksums (the previous version's
    marker) and an embedding shard that is a valid archive with other vectors are all misses;
    each is recomputed and rewritten, so the next run hits every stage (the old code kept
    missing the truncated entry, trusted the old marker and used the wrong vectors)."""
    cache = _copy_cache(prepared, tmp_path)
    reduction = _entry(cache, "reduce") / "reduction.npz"
    reduction.write_bytes(reduction.read_bytes()[: reduction.stat().st_size // 2])
    (_entry(cache, "cluster") / "complete").write_text("1")
    shards = sorted((cache / "embeddings").glob("*/shard-*.npz"), key=lambda p: p.stat().st_size)
    paragraphs_shard = shards[0]  # the paragraphs' (71 texts), smaller than the vocabulary's
    with np.load(paragraphs_shard) as data:
        members = {name: data[name] for name in data.files}
    members["vectors"] = members["vectors"][::-1].copy()  # every vector another paragraph's
    with paragraphs_shard.open("wb") as fh:
        np.savez(fh, **members)

    out = tmp_path / "run"
    manifest = _run(tmp_path, cache, out)
    stages = _stages(manifest)
    assert stages["reduce"] != "hit" and stages["cluster"] != "hit" and stages["embed"] != "hit", stages
    assert manifest["embeddings"]["cache_misses"] == manifest["counts"]["paragraphs"]
    assert _assignments(out) == _assignments(prepared[1])

    again = _run(tmp_path, cache, tmp_path / "again")
    assert set(_stages(again).values()) == {"hit", "always rendered"}, _stages(again)
    assert again["embeddings"]["cache_misses"] == 0
    assert _assignments(tmp_path / "again") == _assignments(prepared[1])


# Six processes store, read and prune one stage folder at once, keeping 2 entries: odd ones
# share keys (they read what the others store and prune), even ones store their own.
_PRUNE_STRESS = """
import sys
from multiprocessing import Process
from pathlib import Path

from themescope.stages import StageCache


class Product:
    def __init__(self, value):
        self.value = value

    def save(self, folder):
        (folder / "value.txt").write_text(str(self.value))


def load(folder):
    return Product(int((folder / "value.txt").read_text()))


def worker(root, seed, rounds):
    cache = StageCache(root, keep=2)
    for i in range(rounds):
        value = i % 7 if seed % 2 else i
        product, _ = cache.cached("stage", [value] if seed % 2 else [seed, i], lambda: Product(value), load)
        assert product.value == value, (product.value, value)


if __name__ == "__main__":
    procs = [Process(target=worker, args=(Path(sys.argv[1]), s, 150)) for s in range(6)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print("exit codes", [p.exitcode for p in procs])
    sys.exit(max(abs(p.exitcode) for p in procs))
"""


def test_pruning_while_other_runs_store_read_and_prune(tmp_path):
    """Item 6: processes that store, read and prune one stage folder at the same time (what
    two runs on the default cache do) never crash: an entry that vanishes while it is pruned,
    stat()ed or loaded is skipped or is a miss (the old code died of FileNotFoundError)."""
    script = tmp_path / "prune_stress.py"
    script.write_text(_PRUNE_STRESS, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "cache")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    leftovers = [
        p.name for p in (tmp_path / "cache" / "stages" / "stage").iterdir() if p.name.startswith(".")
    ]
    assert leftovers == []


_PRUNED_AFTER_LOADING = """
import runpy
import shutil
import sys
from pathlib import Path

from themescope import pipeline

cache = Path(sys.argv[1])
topics_document = pipeline.documents.topics_document


def pruned_meanwhile(*args, **kwargs):  # called once the topics are loaded, before writing
    shutil.rmtree(cache / "stages" / "represent")  # another run prunes the entry just read
    return topics_document(*args, **kwargs)


pipeline.documents.topics_document = pruned_meanwhile
sys.argv = ["themescope", *sys.argv[2:]]
runpy.run_module("themescope", run_name="__main__", alter_sys=True)
"""


def test_entry_pruned_after_loading_still_gives_the_whole_run(prepared, tmp_path):
    """Item 6: a run that loaded the cached topics while another run prunes that entry still
    writes its whole run folder, the saved model included (the old code copied the model
    from the cache entry when writing, and left it out once the entry was gone)."""
    cache = _copy_cache(prepared, tmp_path)
    script = tmp_path / "pruned.py"
    script.write_text(_PRUNED_AFTER_LOADING, encoding="utf-8")
    out = tmp_path / "run"
    proc = subprocess.run(
        [sys.executable, str(script), str(cache), *quick_run_args(SAMPLE, out, cache)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert _stages(manifest)["represent"] == "hit"
    assert not (cache / "stages" / "represent").exists()
    assert _model_files(out) == _model_files(prepared[1])


# Stands for many more runs on the same cache: over and over, stores 20 entries in every
# stage folder (a temp folder renamed into place, as runs store) and prunes the folder
# empty (keep=0, the runs' entries too), going on whatever happens to one attempt.
_CHURNER = """
import os, secrets, sys, tempfile
from pathlib import Path

from themescope.stages import StageCache

cache, stop = Path(sys.argv[1]), Path(sys.argv[2])
pruner = StageCache(cache, keep=0)
while not stop.exists():
    for stage_dir in sorted((cache / "stages").glob("*")):
        try:
            for _ in range(20):
                tmp = Path(tempfile.mkdtemp(dir=stage_dir, prefix=".tmp-"))
                (tmp / "complete").write_text("1")
                os.rename(tmp, stage_dir / secrets.token_hex(20))
            pruner._prune(stage_dir)
        except OSError:
            pass
    os.sched_yield()  # (the other processes first: pacing, no wait for anything)
"""


def test_two_runs_at_once_on_one_cache(prepared, tmp_path):
    """Item 6: pairs of `themescope run` started at the same moment on one cache, while a
    third process stores and prunes entries in every stage folder over and over. Before each pair some
    entries are removed, so both runs compute and store the same entries at once (and prune),
    or one stores what the other reads, or both read. Every run exits 0 with the topics a
    lone run finds and its whole run folder, the saved model included."""
    cache = _copy_cache(prepared, tmp_path)
    stop = tmp_path / "stop"
    churner = subprocess.Popen([sys.executable, "-c", _CHURNER, str(cache), str(stop)], cwd=tmp_path)
    failures, outcomes = [], []
    try:
        for i, removed in enumerate([["reduce", "cluster", "represent"], ["represent"], []]):
            for stage in removed:
                shutil.rmtree(cache / "stages" / stage, ignore_errors=True)
            procs = []
            for side in "ab":
                out = tmp_path / f"pair-{i}-{side}"
                cmd = [sys.executable, "-m", "themescope", *quick_run_args(SAMPLE, out, cache)]
                env = {**os.environ, "HF_HUB_OFFLINE": "1", "COLUMNS": "200"}
                procs.append((out, subprocess.Popen(cmd, cwd=tmp_path, env=env, stderr=subprocess.PIPE)))
            for out, proc in procs:
                _, stderr = proc.communicate(timeout=600)
                if proc.returncode != 0:
                    failures.append((out.name, proc.returncode, stderr.decode(errors="replace")[-1500:]))
                else:
                    outcomes.append(
                        (out.name, _assignments(out), _model_files(out) == _model_files(prepared[1]))
                    )
    finally:
        stop.touch()
        churner.wait(timeout=60)
    assert failures == []
    reference = _assignments(prepared[1])
    assert [(name, found == reference, model) for name, found, model in outcomes] == [
        (name, True, True) for name, _, _ in outcomes
    ]


def _unprivileged(cmd: list[str]) -> list[str]:
    """``cmd`` as a process that file permissions apply to: root ignores them unless it
    gives up CAP_DAC_OVERRIDE (its child inherits the smaller capability set)."""
    if os.geteuid() != 0:
        return cmd
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: permissions cannot be made to apply")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *cmd]


def test_cache_folders_read_only_after_the_first_run(prepared, tmp_path):
    """Item 8: the cache's folders turn read-only after a first run created them (the cache
    folder itself stays writable, so the run starts): the run embeds the changed paragraph,
    cannot store it or any stage, and still exits 0 with the vectors it computed, warning in
    the manifest and on the terminal (the old code exited 1 with PermissionError)."""
    cache = _copy_cache(prepared, tmp_path)
    locked = [p for p in cache.rglob("*") if p.is_dir()]
    for folder in locked:
        folder.chmod(0o555)
    try:
        out = tmp_path / "run"
        args = [a for a in quick_run_args(_edited_sample(tmp_path), out, cache) if a != "--quiet"]
        cmd = _unprivileged([sys.executable, "-m", "themescope", *args])
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "COLUMNS": "200"}
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600)
        assert proc.returncode == 0, proc.stderr[-3000:]
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["embeddings"]["cache_misses"] == 1
        not_written = [w for w in manifest["warnings"] if "not written" in w and "Permission denied" in w]
        assert not_written, manifest["warnings"]
        assert "not written" in proc.stdout + proc.stderr
        assert len(_assignments(out)) == manifest["counts"]["paragraphs"]
    finally:
        for folder in locked:
            folder.chmod(0o755)


# Run in a user and mount namespace of its own (`unshare --user --map-root-user --mount`, which
# needs no privilege): a 16 MiB tmpfs is mounted there, the first run's cache copied in, the
# rest filled to the last byte; then `themescope run` on that cache, its exit status passed on.
# The mount disappears with the namespace, when the processes in it end.
_ON_A_FULL_DISK = """
import os, shutil, subprocess, sys

mount, cache, args = sys.argv[1], sys.argv[2], sys.argv[3:]
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount], check=True)
shutil.copytree(cache, os.path.join(mount, "cache"))
with open(os.path.join(mount, "filler"), "wb", buffering=0) as fh:
    for size in (1 << 16, 1 << 10, 1):  # to the last byte
        try:
            while True:
                fh.write(bytes(size))
        except OSError:
            pass
try:
    with open(os.path.join(mount, "cache", "probe"), "wb", buffering=0) as fh:
        fh.write(bytes(4096))
    sys.exit("the tmpfs is not full")
except OSError:
    pass
sys.exit(subprocess.run([sys.executable, "-m", "themescope", *args]).returncode)
"""


def test_disk_full_under_the_cache(prepared, tmp_path):
    """Item 8: the cache lives on a filesystem with no space left (a 16 MiB tmpfs, filled up
    after the first run's cache was copied in): the run embeds the changed paragraph, every
    write to the cache fails with ENOSPC, and the run still exits 0 with a warning (the old
    code exited 1 with OSError). No root needed: the tmpfs is mounted in a user namespace."""
    unshare = shutil.which("unshare")
    assert unshare, "util-linux's unshare is needed to mount a small tmpfs without root"
    mount = tmp_path / "small"
    mount.mkdir()
    out = tmp_path / "run"
    args = quick_run_args(_edited_sample(tmp_path), out, mount / "cache")
    paths = [str(mount), str(prepared[0])]
    proc = subprocess.run(
        [
            unshare,
            "--user",
            "--map-root-user",
            "--mount",
            sys.executable,
            "-c",
            _ON_A_FULL_DISK,
            *paths,
            *args,
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "COLUMNS": "200"},
        timeout=600,
    )
    if proc.returncode != 0 and "unshare" in proc.stderr and "Operation not permitted" in proc.stderr:
        pytest.skip(f"this kernel refuses user namespaces: {proc.stderr.strip()}")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert not any(mount.iterdir())  # the tmpfs was the namespace's only
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["embeddings"]["cache_misses"] == 1
    full = [w for w in manifest["warnings"] if "not written" in w and "No space left" in w]
    assert full, manifest["warnings"]
    assert len(_assignments(out)) == manifest["counts"]["paragraphs"]


def test_cache_folder_replaced_by_a_file(prepared, tmp_path):
    """Item 8: the folder of the paragraphs' vectors is a file (a stray copy, a broken sync):
    the vectors cannot be found there nor stored; the run computes them and exits 0 with a
    warning (the old code exited 1 with FileExistsError)."""
    cache = _copy_cache(prepared, tmp_path)
    for folder in (cache / "embeddings").iterdir():
        shutil.rmtree(folder)
        folder.write_text("not a folder")
    out = tmp_path / "run"
    manifest = _run(tmp_path, cache, out)
    assert manifest["embeddings"]["cache_misses"] == manifest["counts"]["paragraphs"]
    assert any("not written" in w for w in manifest["warnings"]), manifest["warnings"]
    assert _assignments(out) == _assignments(prepared[1])
