"""``themescope init``: a commented starter config, every key at its default."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from themescope.errors import UserError
from themescope.files import replace_file


def starter_config() -> str:
    return resources.files("themescope").joinpath("templates/starter.toml").read_text("utf-8")


def write_starter_config(path: Path, force: bool = False) -> None:
    path = Path(path)
    if os.path.lexists(path) and not force:  # a dangling link too: it names someone's file
        raise UserError(f"{path}: already exists (use --force to overwrite)")
    if not path.parent.is_dir():
        raise UserError(f"{path.parent}: no such directory")
    if path.exists() and not path.is_file():
        raise UserError(f"{path}: is not a regular file (a folder, device or FIFO)")
    try:  # beside it first: a full disk must not leave the user's config half overwritten
        replace_file(path, starter_config())
    except OSError as exc:
        raise UserError(f"{path}: cannot be written ({exc.strerror or exc})") from None
