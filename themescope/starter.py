"""``themescope init``: a commented starter config, every key at its default."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from themescope.errors import UserError


def starter_config() -> str:
    return resources.files("themescope").joinpath("templates/starter.toml").read_text("utf-8")


def write_starter_config(path: Path, force: bool = False) -> None:
    path = Path(path)
    if path.exists() and not force:
        raise UserError(f"{path}: already exists (use --force to overwrite)")
    if not path.parent.is_dir():
        raise UserError(f"{path.parent}: no such directory")
    path.write_text(starter_config(), "utf-8")
