"""The run's outputs: data files and the self-contained HTML report."""

from __future__ import annotations

from pathlib import Path

from themescope.errors import InputError


def rerender(run_dir: str | Path, export: list[str] | None = None) -> Path:
    """Write report.html again from a run directory's files, without re-running anything;
    ``export`` (png, svg) also writes each figure to run_dir/figures/."""
    from themescope.reports.files import read_json, read_paragraphs_csv
    from themescope.reports.html import build_figures, render_report

    run_dir = Path(run_dir)
    needed = ["paragraphs.csv", "topics.json", "manifest.json"]
    missing = [name for name in needed if not (run_dir / name).is_file()]
    if missing:
        raise InputError(f"{run_dir}: not a themescope run directory (missing {', '.join(missing)})")
    try:
        rows = read_paragraphs_csv(run_dir / "paragraphs.csv")
    except (KeyError, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise InputError(
            f"{run_dir / 'paragraphs.csv'}: not as a run writes it ({type(exc).__name__}: {exc})"
        ) from None
    topics = read_json(run_dir / "topics.json")
    manifest = read_json(run_dir / "manifest.json")
    html = render_report(rows, topics, manifest)
    if export:
        from themescope.reports.export import export_figures

        export_figures(build_figures(rows, topics, manifest), run_dir / "figures", export)
    target = run_dir / "report.html"
    tmp = target.with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(target)
    return target
