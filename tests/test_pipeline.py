"""The run directory is swapped in whole: a failed run leaves the previous one untouched."""

import pytest

from themescope.pipeline import _atomic_dir


def test_failed_write_keeps_the_previous_run(tmp_path):
    target = tmp_path / "runs" / "default"
    with _atomic_dir(target) as tmp:
        (tmp / "report.html").write_text("first", encoding="utf-8")
    with pytest.raises(RuntimeError), _atomic_dir(target) as tmp:
        (tmp / "report.html").write_text("half", encoding="utf-8")
        raise RuntimeError("boom")
    assert (target / "report.html").read_text(encoding="utf-8") == "first"
    assert [p.name for p in target.parent.iterdir()] == ["default"]  # no temp dirs left


def test_successful_write_replaces_the_previous_run(tmp_path):
    target = tmp_path / "default"
    for content in ("first", "second"):
        with _atomic_dir(target) as tmp:
            (tmp / "report.html").write_text(content, encoding="utf-8")
    assert (target / "report.html").read_text(encoding="utf-8") == "second"
    assert [p.name for p in tmp_path.iterdir()] == ["default"]
