"""Static PNG/SVG copies of the report's figures, through kaleido (optional).

Each file written is listed with its sha256 in ``figures/.themescope-exported.json``; an
existing file at a figure's name is replaced only when that list holds it unchanged, so a
user's own ``figures/map.png`` is never overwritten.
"""

from __future__ import annotations

import json
import os
from contextlib import suppress
from pathlib import Path

from themescope.errors import UserError
from themescope.files import replace_file, temp_beside
from themescope.stages import file_digest

FORMATS = ("png", "svg")
EXPORTED_LIST = ".themescope-exported.json"


def _exported(folder: Path) -> dict[str, str]:
    """The files an earlier export wrote in ``folder``, by name, with their sha256."""
    try:
        listed = json.loads((folder / EXPORTED_LIST).read_text("utf-8")).get("files")
    except (OSError, ValueError, AttributeError):
        return {}
    return listed if isinstance(listed, dict) else {}


def _check_ours(paths: list[Path], folder: Path) -> None:
    """UserError for the first existing target an earlier export did not write as it is."""
    listed = _exported(folder)
    for path in paths:
        if os.path.lexists(path):
            same = path.is_file() and not path.is_symlink() and listed.get(path.name) == file_digest(path)
            if not same:
                raise UserError(
                    f"--export: {path} exists and is not a figure an earlier export wrote as it is; "
                    "move it away, then export again"
                )


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
    _check_ours(paths, folder)
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
        listed = _exported(folder) | {path.name: file_digest(path) for path in paths}
        replace_file(folder / EXPORTED_LIST, json.dumps({"files": listed}, indent=2) + "\n")
    finally:
        for temp in drawn:
            with suppress(OSError):
                temp.unlink()
    return paths
