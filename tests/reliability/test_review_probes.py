"""Red-team, beyond the issue's list: what a review of the first fixes still broke through.
Links, temp names, FIFOs, loops, huge numbers and damaged run files, each with the real CLI
(or the public API) on real files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.helpers import (
    ROOT,
    SAMPLE,
    copy_run,
    one_line_error,
    quick_run_args,
    run_cli,
    sample_run,
)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """One real run of the sample (its cache warm for the re-runs below)."""
    return sample_run(tmp_path_factory.mktemp("review"))


# --- files the program did not write ------------------------------------------------------------


def test_run_write_does_not_write_into_a_users_folder(workspace, tmp_path):
    """Run.write (public) wrote into any folder and listed the user's files as its own."""
    mine = tmp_path / "mydocs"
    mine.mkdir()
    (mine / "report.html").write_text("my page", encoding="utf-8")
    (mine / "notes.txt").write_text("my notes", encoding="utf-8")
    code = "import sys, themescope; themescope.load_run(sys.argv[1]).write(sys.argv[2])"
    proc = subprocess.run(
        [sys.executable, "-P", "-c", code, str(workspace / "first"), str(mine)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode != 0 and "not a themescope run" in proc.stderr
    assert (mine / "report.html").read_text(encoding="utf-8") == "my page"
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt", "report.html"]


def test_report_does_not_write_through_a_figures_link(workspace, tmp_path):
    """`report --export` wrote the user's pics/map.svg through a figures/ link."""
    run = copy_run(workspace, tmp_path / "run")
    pics = tmp_path / "pics"
    pics.mkdir()
    (pics / "map.svg").write_text("mine", encoding="utf-8")
    (run / "figures").symlink_to(pics)
    assert "figures" in one_line_error(run_cli("report", str(run), "--export", "svg"))
    assert (pics / "map.svg").read_text(encoding="utf-8") == "mine"


def test_report_does_not_write_through_its_temp_name(workspace, tmp_path):
    """`report` wrote through a link named report.html.tmp into the file it named."""
    run = copy_run(workspace, tmp_path / "run")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    (run / "report.html.tmp").symlink_to(victim)
    one_line_error(run_cli("report", str(run)))
    assert victim.read_text(encoding="utf-8") == "keep"


def test_report_needs_a_run_folder(workspace, tmp_path):
    """`report` rewrote report.html in any folder holding paragraphs.csv and topics.json."""
    folder = tmp_path / "usr"
    folder.mkdir()
    for name in ("paragraphs.csv", "topics.json"):
        shutil.copy(workspace / "first" / name, folder / name)
    (folder / "report.html").write_text("my page", encoding="utf-8")
    one_line_error(run_cli("report", str(folder)))
    assert (folder / "report.html").read_text(encoding="utf-8") == "my page"


def test_a_file_put_at_the_output_path_during_a_run_is_left_alone(tmp_path):
    """A file created at --out while the run worked was renamed away without a word."""
    from themescope.errors import UserError
    from themescope.rundir import atomic_dir

    target = tmp_path / "out"
    with pytest.raises(UserError), atomic_dir(target) as tmp:
        (tmp / "report.html").write_text("new", encoding="utf-8")
        target.write_text("the user's file", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "the user's file"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_pattern_does_not_read_an_earlier_runs_files(workspace, tmp_path):
    """`inspect 'data/**/*.csv'` read data/out/paragraphs.csv as answers."""
    data = tmp_path / "data"
    copy_run(workspace, data / "out")
    (data / "answers.csv").write_text(
        "question,author,text\n美俄關係,甲,美國的戰略重心正在轉向亞太地區。\n", encoding="utf-8"
    )
    proc = run_cli("inspect", "--json", str(data / "**" / "*.csv"))
    assert proc.returncode == 0, proc.stderr
    corpus = json.loads(proc.stdout)
    assert [f["path"] for f in corpus["files"]] == [str(data / "answers.csv")]
    assert any("run's output" in d["reason"] for d in corpus["dropped"])


# --- one line and exit 2, never a traceback or a hang ---------------------------------------------


def test_numbers_of_thousands_of_digits(tmp_path):
    big = "9" * 5000
    jsonl = tmp_path / "big.jsonl"
    jsonl.write_text(f'{{"question": "q", "author": "a", "text": {big}}}\n', encoding="utf-8")
    one_line_error(run_cli("inspect", str(jsonl)))
    toml = tmp_path / "big.toml"
    toml.write_text(f"[topics]\nseed = {big}\n", encoding="utf-8")
    one_line_error(run_cli("validate", str(toml)))
    one_line_error(run_cli("validate", str(ROOT / "configs" / "default.toml"), "--set", f"topics.seed={big}"))


def test_symbolic_link_loops_and_unknown_home_folders(workspace, tmp_path):
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    run = workspace / "first"
    one_line_error(run_cli("compare", str(run), str(run), "--html", str(tmp_path / "loop")))
    one_line_error(run_cli(*quick_run_args(SAMPLE, tmp_path / "loop" / "sub", workspace / "cache")))
    line = one_line_error(
        run_cli(
            *quick_run_args(SAMPLE, tmp_path / "x", workspace / "cache"),
            "--set",
            'input.paths=["~nosuch_user_zz/a.txt"]',
        )
    )
    assert "~nosuch_user_zz" in line


def test_an_output_name_too_long_stops_before_the_work(workspace, tmp_path):
    line = one_line_error(run_cli(*quick_run_args(SAMPLE, tmp_path / ("r" * 250), workspace / "cache")))
    assert "longer than" in line


def test_a_fifo_where_a_manifest_or_cache_file_should_be_does_not_hang(workspace, tmp_path):
    folder = tmp_path / "inputs"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "page.txt")
    os.mkfifo(folder / "manifest.json")
    proc = run_cli("inspect", str(folder), timeout=60)
    assert proc.returncode in (0, 2) and "Traceback" not in proc.stderr

    from themescope.stages import verify_entry

    entry = tmp_path / "entry"
    entry.mkdir()
    os.mkfifo(entry / "complete")
    assert verify_entry(entry)[0] == "corrupt"


@pytest.mark.parametrize(
    "damage",
    [
        lambda t: t["topics"][0].update(size="abc"),
        lambda t: t.update(outlier_share="x"),
        lambda t: t.update(metrics=[1]),
        lambda t: t.update(similarity="x"),
    ],
)
def test_report_on_a_damaged_topics_file(workspace, tmp_path, damage):
    run = copy_run(workspace, tmp_path / "run")
    topics = json.loads((run / "topics.json").read_text(encoding="utf-8"))
    damage(topics)
    (run / "topics.json").write_text(json.dumps(topics), encoding="utf-8")
    proc = run_cli("report", str(run))
    if proc.returncode != 0:
        one_line_error(proc)


# --- the terminal --------------------------------------------------------------------------------


def test_a_label_with_a_newline_prints_no_line_of_its_own(workspace, tmp_path):
    a, b = copy_run(workspace, tmp_path / "a"), copy_run(workspace, tmp_path / "b")
    topics = json.loads((b / "topics.json").read_text(encoding="utf-8"))
    topics["topics"][0]["label"] = "x\nremoved   A99 fake (1)"
    (b / "topics.json").write_text(json.dumps(topics, ensure_ascii=False), encoding="utf-8")
    proc = run_cli("compare", str(a), str(b))
    assert proc.returncode == 0, proc.stderr
    assert not any(line.startswith("removed   A99") for line in proc.stdout.splitlines())


def test_emoji_codes_in_a_title_stay_text(tmp_path):
    page = tmp_path / "page.jsonl"
    record = {
        "question": ":thumbs_up: my question",
        "author": ":pile_of_poo: bob",
        "text": "美國的戰略重心正在轉向亞太地區。",
    }
    page.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    proc = run_cli("inspect", str(page))
    assert proc.returncode == 0, proc.stderr
    assert ":thumbs_up: my question" in proc.stdout and ":pile_of_poo: bob" in proc.stdout


def test_keys_themescope_does_not_read_are_named(tmp_path):
    """`title`, `user`, `Question` in records were ignored without a word."""
    page = tmp_path / "page.jsonl"
    record = {"Question": "q", "user": "bob", "text": "美國的戰略重心正在轉向亞太地區。", "likes": 3}
    page.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    proc = run_cli("inspect", "--json", str(page))
    assert proc.returncode == 0, proc.stderr
    (warning,) = json.loads(proc.stdout)["warnings"]
    assert "'Question' (did you mean 'question'?)" in warning and "'user'" in warning and "'likes'" in warning
