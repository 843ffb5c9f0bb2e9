"""Process-wide settings. Only the command line calls :func:`configure_process`: library code
never changes the environment, import hooks or module-wide limits of the program that
imports it (a notebook, another tool)."""

from __future__ import annotations

import os

from themescope.topics.imports import lean_imports


def configure_process() -> None:
    """Offline model loading (no model hub is ever reached) and the lean BERTopic import."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    lean_imports()
