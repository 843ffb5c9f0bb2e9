"""Ctrl-C and SIGTERM that cannot be lost.

Python delivers a signal as an exception wherever the main thread happens to be; inside a
ctypes callback (numba compiling UMAP's code through llvmlite) that exception is printed
and ignored, and the run would go on. The handlers also set a flag, which the pipeline
checks at every stage boundary and before swapping the run directory into place.
"""

from __future__ import annotations

import signal
import sys
import threading

_requested = threading.Event()
_terminated = threading.Event()


class Terminated(BaseException):
    """SIGTERM, raised like Ctrl-C so that temp files are cleaned up on the way out."""


def _on_sigint(signum, frame) -> None:
    _requested.set()
    raise KeyboardInterrupt


def _on_sigterm(signum, frame) -> None:
    _requested.set()
    _terminated.set()
    raise Terminated


def _unraisable(info) -> None:
    # The swallowed stop is not news to the user: check() raises it at the next boundary.
    if info.exc_type in (KeyboardInterrupt, Terminated):
        return
    sys.__unraisablehook__(info)


def install() -> None:
    signal.signal(signal.SIGINT, _on_sigint)
    signal.signal(signal.SIGTERM, _on_sigterm)
    sys.unraisablehook = _unraisable


def check() -> None:
    """Raise the stop a signal asked for, if an earlier raise was swallowed."""
    if _requested.is_set():
        raise Terminated if _terminated.is_set() else KeyboardInterrupt
