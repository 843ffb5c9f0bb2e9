"""Static PNG/SVG copies of the report's figures, through kaleido (optional)."""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path

from themescope.errors import UserError
from themescope.files import temp_beside

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
    # Drawn to new files beside their targets, then renamed over them: never written through
    # a link or a hard link at the target's name.
    drawn = [temp_beside(path, suffix=path.suffix) for path in paths]
    try:
        try:
            # One browser session for all figures; kaleido starts Chromium once.
            pio.write_images(figs, drawn, width=1200, scale=1)
        except OSError:
            raise
        except Exception as exc:  # kaleido reports a missing browser in many ways
            raise UserError(
                f"--export: kaleido could not draw the figures ({type(exc).__name__}: {exc})"
            ) from None
        for temp, path in zip(drawn, paths, strict=True):
            os.replace(temp, path)
    finally:
        for temp in drawn:
            with suppress(OSError):
                temp.unlink()
    return paths
