"""themescope compare: every topic of both runs is accounted for."""

import csv
import json

import pytest

from themescope.compare import compare_runs, format_text, render_html
from themescope.errors import InputError

from .conftest import run_cli

TEXTS = [f"第{i}段:美俄關係的第{i}個論點 paragraph {i}" for i in range(12)]


def _write_run(folder, topics, labels, ids=None):
    folder.mkdir()
    ids = ids or [f"q1-a1-p{i}" for i in range(len(topics))]
    with (folder / "paragraphs.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["paragraph_id", "text", "topic"])
        writer.writerows(zip(ids, TEXTS, topics, strict=False))
    doc = {
        "topics": [
            {"id": t, "label": labels[t], "size": topics.count(t)} for t in sorted(set(topics) - {-1})
        ],
        "metrics": {"outlier_share": topics.count(-1) / len(topics), "npmi_coherence": 0.1},
    }
    (folder / "topics.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return folder


LABELS = {0: "制裁 · 圍堵", 1: "盟友 · 北約", 2: "亞太 · 印太", 3: "峰會"}


def test_identical_runs_match_everything(tmp_path):
    topics = [0, 0, 0, 1, 1, 1, 2, 2, 2, -1, 0, 1]
    a = _write_run(tmp_path / "a", topics, LABELS)
    b = _write_run(tmp_path / "b", topics, LABELS)
    c = compare_runs(a, b)
    assert [(x, y) for x, y, _ in c.matched] == [(0, 0), (1, 1), (2, 2)]
    assert (c.split, c.merged, c.removed, c.added, c.moved) == ([], [], [], [], 0)
    assert all(d == 0 for _, _, d in c.metric_deltas.values())


def test_split_merge_add_remove_and_outlier_moves(tmp_path):
    a = _write_run(tmp_path / "a", [0, 0, 0, 0, 1, 1, 2, 2, 2, -1, -1, 3], LABELS)
    # A's 0 splits into B's 0 and 3; A's 1 and 2 merge into B's 1; A's 3 becomes an outlier
    # (removed); B's 2 is new, made of former outliers.
    b = _write_run(tmp_path / "b", [0, 0, 3, 3, 1, 1, 1, 1, 1, 2, 2, -1], LABELS)
    c = compare_runs(a, b)
    assert c.split == [(0, [0, 3])]
    assert c.merged == [([1, 2], 1)]
    assert c.removed == [3]
    assert c.added == [2]
    assert (c.became_outliers, c.left_outliers) == (1, 2)
    assert "split" in format_text(c) and "merged" in format_text(c)


def test_changed_ids_fall_back_to_matching_by_text(tmp_path):
    topics = [0, 0, 0, 1, 1, 1]
    a = _write_run(tmp_path / "a", topics, LABELS)
    b = _write_run(tmp_path / "b", topics, LABELS, ids=[f"q9-a{i}-p1" for i in range(6)])
    c = compare_runs(a, b)
    assert c.shared == 6 and [(x, y) for x, y, _ in c.matched] == [(0, 0), (1, 1)]


def test_html_escapes_labels_and_loads_nothing(tmp_path):
    hostile = {0: "<script>alert(1)</script>", 1: '"><img src=x onerror=alert(1)>'}
    a = _write_run(tmp_path / "a", [0, 0, 0, 1, 1, 1], hostile)
    page = render_html(compare_runs(a, a))
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "default-src 'none'" in page


def test_missing_run_directory(tmp_path):
    with pytest.raises(InputError, match="not a themescope run directory"):
        compare_runs(tmp_path, tmp_path)
    proc = run_cli("compare", str(tmp_path / "nope"), str(tmp_path))
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1


def test_compare_cli_on_two_real_runs(sample_run, tmp_path):
    html = tmp_path / "compare.html"
    proc = run_cli("compare", str(sample_run[0]), str(sample_run[0]), "--html", str(html))
    assert proc.returncode == 0, proc.stderr
    assert "matched" in proc.stdout and "moved to another topic: 0" in proc.stdout
    assert html.read_text(encoding="utf-8").count("matched") >= 1
