"""Static PNG/SVG copies of the report's figures, through kaleido (optional)."""

from __future__ import annotations

from pathlib import Path

from themescope.errors import UserError

FORMATS = ("png", "svg")


def export_figures(figures: dict, folder: Path, formats: list[str]) -> list[Path]:
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise UserError(f"--export: unknown format {unknown[0]!r} (expected png or svg)")
    try:
        import kaleido  # noqa: F401
    except ImportError:
        raise UserError(
            "--export needs kaleido: pip install kaleido (it uses your Chrome/Chromium)"
        ) from None
    import plotly.io as pio

    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{name}.{fmt}" for fmt in formats for name in figures]
    figs = [figures[name] for fmt in formats for name in figures]
    try:
        # One browser session for all figures; kaleido starts Chromium once.
        pio.write_images(figs, paths, width=1200, scale=1)
    except Exception as exc:  # kaleido reports a missing browser in many ways
        raise UserError(
            f"--export: kaleido could not draw the figures ({type(exc).__name__}: {exc})"
        ) from None
    return paths
