"""The run's outputs: data files and the self-contained HTML report."""

from __future__ import annotations

from pathlib import Path


def rerender(run_dir: str | Path, export: list[str] | None = None) -> Path:
    """Write report.html again from a run directory's files, without re-running anything;
    ``export`` (png, svg) also writes each figure to run_dir/figures/."""
    from themescope.run import Run

    run_dir = Path(run_dir)
    run = Run.load(run_dir)
    html = run.report_html()
    if export:
        from themescope.reports.export import export_figures

        export_figures(run.figures(), run_dir / "figures", export)
    target = run_dir / "report.html"
    tmp = target.with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(target)
    return target
