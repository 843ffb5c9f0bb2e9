"""``themescope report``: report.html written again from a run folder's files."""

from __future__ import annotations

from pathlib import Path

from jinja2 import TemplateError

from themescope.errors import InputError, UserError
from themescope.files import replace_file
from themescope.reports.export import export_figures
from themescope.rundir import check_replaceable, is_run_dir, read_json
from themescope.runs import Run


def rerender(run_dir: str | Path, export: list[str] | None = None) -> Path:
    """Write report.html again from a run directory's files, without re-running anything;
    ``export`` (png, svg) also writes each figure to run_dir/figures/. Only a run folder
    holding nothing but what runs wrote is written to."""
    run_dir = Path(run_dir)
    if (run_dir / "manifest.json").is_file():
        read_json(run_dir / "manifest.json")  # a damaged manifest is named as such
    if not is_run_dir(run_dir):
        raise UserError(f"{run_dir}: not a themescope run folder (no manifest.json of a run)")
    check_replaceable(run_dir)  # a user's file inside, a link: nothing is written there
    run = Run.load(run_dir)
    try:
        html = run.report_html()
        figures = run.figures() if export else {}
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, TemplateError) as exc:
        raise InputError(
            f"{run_dir}: topics.json or manifest.json not as a run writes them ({exc})"
        ) from None
    target = run_dir / "report.html"
    try:
        if export:
            export_figures(figures, run_dir / "figures", export)
        replace_file(target, html)
    except OSError as exc:
        raise UserError(f"{target}: cannot be written ({exc.strerror or exc})") from None
    return target
