"""Errors the user can fix: the CLI prints each as one line and exits with code 2."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or bad config. ``lines`` are shown one per line, without a traceback."""

    def __init__(self, *lines: str) -> None:
        super().__init__("\n".join(lines))
        self.lines = list(lines)


class ConfigError(UserError):
    """The config file is missing, not TOML, or does not validate."""


class InputError(UserError):
    """An input file is missing, unreadable or malformed."""
