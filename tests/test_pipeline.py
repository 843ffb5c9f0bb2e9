"""The run directory is swapped in whole: a failed run leaves the previous one untouched."""

import json

import pytest

from themescope.rundir import atomic_dir as _atomic_dir


def _write_run(folder, report: str) -> None:
    """The two files of a minimal run: its report and a manifest listing what it wrote."""
    (folder / "report.html").write_text(report, encoding="utf-8")
    manifest = {"themescope_version": "test", "files": ["manifest.json", "report.html"]}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_failed_write_keeps_the_previous_run(tmp_path):
    target = tmp_path / "runs" / "default"
    with _atomic_dir(target) as tmp:
        _write_run(tmp, "first")
    with pytest.raises(RuntimeError), _atomic_dir(target) as tmp:
        _write_run(tmp, "half")
        raise RuntimeError("boom")
    assert (target / "report.html").read_text(encoding="utf-8") == "first"
    assert [p.name for p in target.parent.iterdir()] == ["default"]  # no temp dirs left


def test_successful_write_replaces_the_previous_run(tmp_path):
    target = tmp_path / "default"
    for content in ("first", "second"):
        with _atomic_dir(target) as tmp:
            _write_run(tmp, content)
    assert (target / "report.html").read_text(encoding="utf-8") == "second"
    assert [p.name for p in tmp_path.iterdir()] == ["default"]


def test_sigkill_just_before_the_swap_keeps_the_previous_run(tmp_path):
    """The worst moment to die: the new run is fully written but not yet in place."""
    import subprocess
    import sys

    target = tmp_path / "default"
    with _atomic_dir(target) as tmp:
        _write_run(tmp, "first")
    code = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from themescope.rundir import atomic_dir as _atomic_dir\n"
        "with _atomic_dir(Path(sys.argv[1])) as tmp:\n"
        "    (tmp / 'report.html').write_text('second', encoding='utf-8')\n"
        "    (tmp / 'manifest.json').write_text('{\"themescope_version\": \"x\"}', encoding='utf-8')\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(target)], capture_output=True)
    assert proc.returncode == -9
    assert (target / "report.html").read_text(encoding="utf-8") == "first"
    # The killed run's temp dir is cleaned up by the next run.
    assert len(list(tmp_path.iterdir())) == 2
    with _atomic_dir(target) as tmp:
        _write_run(tmp, "third")
    assert [p.name for p in tmp_path.iterdir()] == ["default"]


def test_previous_run_caught_between_two_renames_is_restored(tmp_path):
    """Where renameat2 is missing the swap is two renames; dying between them is repaired."""
    target = tmp_path / "default"
    stranded = tmp_path / ".default.old-999999999"  # a pid that cannot be alive
    stranded.mkdir()
    _write_run(stranded, "previous")
    with pytest.raises(RuntimeError), _atomic_dir(target):
        raise RuntimeError("this run fails too")
    assert (target / "report.html").read_text(encoding="utf-8") == "previous"


def test_exchange_swaps_two_directories(tmp_path):
    from themescope.rundir import _exchange

    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "f").write_text("a")
    (b / "f").write_text("b")
    if not _exchange(a, b):
        pytest.skip("renameat2 is not available on this system")
    assert (a / "f").read_text() == "b" and (b / "f").read_text() == "a"


def test_a_swallowed_interrupt_still_stops_the_run_before_the_swap(tmp_path):
    """Ctrl-C inside a ctypes callback (numba) is printed and ignored by Python; the flag
    set by themescope's handler stops the run at the next boundary instead."""
    from themescope import interrupt

    target = tmp_path / "default"
    with _atomic_dir(target) as tmp:
        _write_run(tmp, "first")
    interrupt._requested.set()
    try:
        with pytest.raises(KeyboardInterrupt), _atomic_dir(target) as tmp:
            _write_run(tmp, "second")
    finally:
        interrupt._requested.clear()
    assert (target / "report.html").read_text(encoding="utf-8") == "first"
