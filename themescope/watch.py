"""``themescope run CONFIG --watch``: run again whenever the config or an input changes.

Polling (stat every half second) rather than inotify: it works the same on every system and
on network drives, and a config plus a few input files cost nothing to stat. The process
stays alive between runs, so imports and compiled code are warm and a re-run only pays for
the stages whose inputs changed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

import typer

from themescope.config import load_config
from themescope.corpus.paths import expand_paths
from themescope.errors import UserError
from themescope.terminal import printable

POLL_SECONDS = 0.5
SETTLE_SECONDS = 0.3  # editors write a file in several steps; wait until it is still


def watched_files(config_path: Path, extra: tuple[Path, ...] = ()) -> list[Path]:
    """The config, ``extra`` files (a curation file) and, if the config loads, every input
    file it names (folders and globs expanded)."""
    files = [config_path, *extra]
    # A broken config or a missing input: the run itself reports it; keep watching the config.
    with suppress(UserError):
        files += expand_paths(load_config(config_path).input_paths())
    return files


def snapshot(files: list[Path]) -> dict[str, tuple[int, int] | None]:
    state: dict[str, tuple[int, int] | None] = {}
    for path in files:
        try:
            stat = path.stat()
            state[str(path)] = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            state[str(path)] = None
    return state


def watch_and_run(
    config_path: Path,
    run_once: Callable[[], None],
    max_runs: int | None = None,
    extra: tuple[Path, ...] = (),
) -> None:
    """Run, then wait for a change and run again, until Ctrl-C (or ``max_runs``)."""
    runs = 0
    while True:
        # Snapshot before running, so that an edit made during the run starts another one.
        before = snapshot(watched_files(config_path, extra))
        run_once()
        runs += 1
        if max_runs is not None and runs >= max_runs:
            return
        typer.echo(f"watching {len(before)} file(s) for changes (Ctrl-C to stop)", err=True)
        while True:
            now = snapshot(watched_files(config_path, extra))
            if now != before:
                time.sleep(SETTLE_SECONDS)
                changed = sorted(k for k in now.keys() | before.keys() if now.get(k) != before.get(k))
                typer.echo(f"changed: {printable(', '.join(changed), limit=None)}", err=True)
                break
            time.sleep(POLL_SECONDS)
