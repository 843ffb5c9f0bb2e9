"""Static figure export through kaleido, which draws with the system's Chromium."""

import shutil

from ..conftest import run_cli


def test_report_exports_every_figure_as_svg(sample_run, tmp_path):
    run_dir, _ = sample_run
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy)
    proc = run_cli("report", str(copy), "--export", "svg")
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in (copy / "figures").iterdir())
    assert names == [
        ".themescope-exported.json",  # what it wrote, so a second export replaces only those
        "answers.svg",
        "authors.svg",
        "broad_themes.svg",
        "flow.svg",
        "keywords.svg",
        "map.svg",
        "similarity.svg",
    ]
    keywords = (copy / "figures" / "keywords.svg").read_text(encoding="utf-8")
    assert keywords.startswith("<svg") and "亞太" in keywords
    # A second export replaces its own files; a file of the user's at a figure's name stops it.
    assert run_cli("report", str(copy), "--export", "svg").returncode == 0
    (copy / "figures" / "map.png").write_text("mine", encoding="utf-8")
    refused = run_cli("report", str(copy), "--export", "png")
    # (the run folder now holds a file no run wrote: `report` writes nothing into it)
    assert refused.returncode == 2 and "figures/map.png" in refused.stderr
    assert (copy / "figures" / "map.png").read_text(encoding="utf-8") == "mine"


def test_unknown_export_format_is_one_line(sample_run, tmp_path):
    run_dir, _ = sample_run
    proc = run_cli("report", str(run_dir), "--export", "gif")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "error: --export: unknown format 'gif' (expected png or svg)"
