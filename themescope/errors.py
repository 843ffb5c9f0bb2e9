"""Errors the user can fix: the CLI prints each as one line and exits with code 2."""

from __future__ import annotations

import sys
import warnings


class UserError(Exception):
    """Bad input or bad config. ``lines`` are shown one per line, without a traceback."""

    def __init__(self, *lines: str) -> None:
        super().__init__("\n".join(lines))
        self.lines = list(lines)


class ConfigError(UserError):
    """The config file is missing, not TOML, or does not validate."""


class InputError(UserError):
    """An input file is missing, unreadable or malformed."""


class RenamedWarning(DeprecationWarning):
    """An old name that still works (a config key, a run folder's field, a figure): the
    message names the new one. Shown by default, unlike other DeprecationWarnings, as a
    config's or a run folder's old names are the user's to change; the CLI prints it as
    one line."""


if not sys.warnoptions:  # -W and PYTHONWARNINGS, when given, decide alone
    warnings.filterwarnings("default", category=RenamedWarning)
