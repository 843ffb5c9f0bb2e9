"""The run's outputs: data files and the self-contained HTML report."""

from __future__ import annotations

from pathlib import Path

from themescope.errors import InputError


def rerender(run_dir: str | Path) -> Path:
    """Write report.html again from a run directory's files, without re-running anything."""
    from themescope.reports.files import read_json, read_paragraphs_csv
    from themescope.reports.html import render_report

    run_dir = Path(run_dir)
    needed = ["paragraphs.csv", "topics.json", "manifest.json"]
    missing = [name for name in needed if not (run_dir / name).is_file()]
    if missing:
        raise InputError(f"{run_dir}: not a themescope run directory (missing {', '.join(missing)})")
    html = render_report(
        read_paragraphs_csv(run_dir / "paragraphs.csv"),
        read_json(run_dir / "topics.json"),
        read_json(run_dir / "manifest.json"),
    )
    target = run_dir / "report.html"
    tmp = target.with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(target)
    return target
