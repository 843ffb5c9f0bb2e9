"""Red-team: a run, `compare --html`, `report` and `init` never delete or overwrite a file
themescope did not write, and a write that fails leaves what was there.

Every test runs the real CLI in a fresh process on real files.
"""

from __future__ import annotations

import hashlib
import json
import resource
import shutil
from pathlib import Path

import pytest

from tests.reliability.helpers import SAMPLE, copy_run, one_line_error, quick_run_args, run_cli, sample_run


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) and a digest of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """One real run of the sample (its cache warm for the re-runs below)."""
    return sample_run(tmp_path_factory.mktemp("workspace"))


# --- item 2: a run replaces only what a run wrote ---------------------------------------------


def test_a_users_files_inside_an_earlier_run_are_not_deleted(workspace, tmp_path):
    """Item 2: NOTES.md and figures/ a user put inside an earlier run's folder survive a
    re-run into it: the run refuses, naming them, before any work."""
    out = copy_run(workspace, tmp_path / "run")
    (out / "NOTES.md").write_text("what I found\n", encoding="utf-8")
    (out / "figures").mkdir()
    (out / "figures" / "mine.png").write_bytes(b"\x89PNG my figure")
    before = _snapshot(out)
    line = one_line_error(run_cli(*quick_run_args(SAMPLE, out, workspace / "cache")))
    assert "NOTES.md" in line and "figures/mine.png" in line
    assert _snapshot(out) == before


def test_a_folder_holding_a_copied_manifest_is_not_replaced(workspace, tmp_path):
    """Item 2: a user's project folder (thesis.txt, src/) that happens to hold a copy of a
    run's manifest.json is not a run folder to replace."""
    out = tmp_path / "project"
    (out / "src").mkdir(parents=True)
    (out / "thesis.txt").write_text("chapter one\n", encoding="utf-8")
    (out / "src" / "analysis.py").write_text("print('hi')\n", encoding="utf-8")
    shutil.copy(workspace / "first" / "manifest.json", out / "manifest.json")
    before = _snapshot(out)
    line = one_line_error(run_cli(*quick_run_args(SAMPLE, out, workspace / "cache")))
    assert "thesis.txt" in line
    assert _snapshot(out) == before


def test_a_re_run_replaces_its_own_run_and_lists_what_it_wrote(workspace, tmp_path):
    """Item 2: the manifest names every file the run wrote; an exported figure and a run
    folder from before that list existed are still replaced without a word."""
    out = copy_run(workspace, tmp_path / "run")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert set(manifest["files"]) == written
    del manifest["files"]  # as an older themescope wrote it
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    proc = run_cli(*quick_run_args(SAMPLE, out, workspace / "cache"))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "files" in json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_a_link_inside_the_run_folder_counts_as_the_users(workspace, tmp_path):
    """Beyond the list: a symbolic link in a run folder is not something a run writes."""
    out = copy_run(workspace, tmp_path / "run")
    elsewhere = tmp_path / "data"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("keep", encoding="utf-8")
    (out / "data").symlink_to(elsewhere)
    line = one_line_error(run_cli(*quick_run_args(SAMPLE, out, workspace / "cache")))
    assert "data" in line
    assert (elsewhere / "keep.txt").read_text(encoding="utf-8") == "keep"


# --- item 3: leftovers are exact names, never globs --------------------------------------------


def test_hidden_neighbours_and_glob_characters_in_the_name(workspace, tmp_path):
    """Item 3: `--out 'runs/r[12]'` used to delete `.r1.mine-4242`, and any
    `.NAME.something-DIGITS` folder beside the run. Only the run's own temp names are
    cleaned, and only when they hold nothing but a run's files."""
    runs = tmp_path / "runs"
    out = runs / "r[12]"
    neighbours = [".r1.mine-4242", ".r[12].backup-20240101", ".r[12].tmp-999999999", ".r[12].old-999999998"]
    for name in neighbours:
        (runs / name).mkdir(parents=True)
        (runs / name / "thesis.txt").write_text(name, encoding="utf-8")
    stale = runs / ".r[12].tmp-999999997"  # a killed run's temp folder: removed
    shutil.copytree(workspace / "first" / "model", stale / "model")
    (stale / ".themescope-partial").touch()
    before = _snapshot(runs)
    proc = run_cli(*quick_run_args(SAMPLE, out, workspace / "cache"))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert not stale.exists()
    for name in neighbours:
        assert (runs / name / "thesis.txt").read_text(encoding="utf-8") == name
    after = _snapshot(runs)
    assert {k: v for k, v in before.items() if not k.startswith(".r[12].tmp-999999997")} == {
        k: v for k, v in after.items() if not k.startswith("r[12]/")
    }


# --- a failed write keeps the previous run -----------------------------------------------------


def _file_size_limit(limit: int):
    def apply() -> None:  # in the child only: a disk that fills at ``limit`` bytes per file
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_run_folder_that_cannot_be_written_leaves_the_previous_run(workspace, tmp_path):
    """Beyond the list: a write that fails (a file-size limit, as a full disk) while the run
    folder is written is one line, exit 2, and the previous run is untouched."""
    out = copy_run(workspace, tmp_path / "run")
    before = _snapshot(out)
    proc = run_cli(
        *quick_run_args(SAMPLE, out, workspace / "cache"),
        preexec_fn=_file_size_limit(300_000),
        env={"NUMBA_CACHE_DIR": str(tmp_path / "numba")},  # numba's own cache files stay whole
    )
    line = one_line_error(proc)
    assert str(out) in line
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "numba") == ["run"]  # no temp left


# --- item 1: compare --html --------------------------------------------------------------------


@pytest.fixture
def two_runs(workspace, tmp_path) -> tuple[Path, Path]:
    return copy_run(workspace, tmp_path / "a"), copy_run(workspace, tmp_path / "b")


def test_compare_html_does_not_overwrite_an_input(two_runs, tmp_path):
    """Item 1: `compare A B --html FILE` wrote over any file, an input corpus included."""
    corpus = tmp_path / "corpus.txt"
    shutil.copy(SAMPLE, corpus)
    line = one_line_error(run_cli("compare", *map(str, two_runs), "--html", str(corpus)))
    assert "--force" in line
    assert corpus.read_bytes() == SAMPLE.read_bytes()


def test_compare_html_does_not_overwrite_a_runs_manifest(two_runs):
    """Item 1: written over a run's manifest.json, the page left that run unusable."""
    a, b = two_runs
    before = (b / "manifest.json").read_bytes()
    one_line_error(run_cli("compare", str(a), str(b), "--html", str(b / "manifest.json")))
    assert (b / "manifest.json").read_bytes() == before
    assert run_cli("report", str(b)).returncode == 0


def test_compare_html_into_a_folder_is_one_line(two_runs, tmp_path):
    """Item 1: given a folder, --html exited 1 with IsADirectoryError."""
    line = one_line_error(run_cli("compare", *map(str, two_runs), "--html", str(tmp_path)))
    assert "folder" in line


def test_compare_html_replaces_its_own_page_and_force_replaces_others(two_runs, tmp_path):
    """Item 1: a compare page is replaced as before; --force lets any regular file go."""
    page = tmp_path / "compare.html"
    for _ in range(2):
        proc = run_cli("compare", *map(str, two_runs), "--html", str(page))
        assert proc.returncode == 0, proc.stderr
    assert "themescope compare" in page.read_text(encoding="utf-8")
    other = tmp_path / "notes.html"
    other.write_text("<p>mine</p>", encoding="utf-8")
    proc = run_cli("compare", *map(str, two_runs), "--html", str(other), "--force")
    assert proc.returncode == 0, proc.stderr
    assert "themescope compare" in other.read_text(encoding="utf-8")


def test_compare_html_onto_a_device_is_refused_even_with_force(two_runs):
    """Beyond the list: --force does not write to (or replace) a device node."""
    line = one_line_error(run_cli("compare", *map(str, two_runs), "--html", "/dev/null", "--force"))
    assert "regular file" in line
    assert Path("/dev/null").is_char_device()


# --- item 10: report on a damaged manifest, init onto a full disk ------------------------------


@pytest.mark.parametrize("missing", ["counts", "topics", "embeddings", "stages", "inputs", "config"])
def test_report_on_a_manifest_with_missing_keys(workspace, tmp_path, missing):
    """Item 10: `report` on a manifest without one of its keys exited 1 (UndefinedError)."""
    out = copy_run(workspace, tmp_path / "run")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    del manifest[missing]
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    proc = run_cli("report", str(out))
    if proc.returncode != 0:
        one_line_error(proc)
    assert proc.returncode in (0, 2)


def test_init_onto_a_full_disk_keeps_the_old_config(tmp_path):
    """Item 10: `init --force` onto a full disk exited 1 and could leave the config cut
    short; now one line, exit 2, and the file is as it was."""
    config = tmp_path / "themescope.toml"
    config.write_text("# my own config\n" * 10, encoding="utf-8")
    before = config.read_bytes()
    proc = run_cli("init", str(config), "--force", preexec_fn=_file_size_limit(100))
    assert "File too large" in one_line_error(proc)
    assert config.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["themescope.toml"]
