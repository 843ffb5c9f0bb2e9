"""Progress for slow stages on the terminal (rich): a status line, or a bar for long loops."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class Reporter:
    """Progress for slow stages (rich), silent with quiet=True."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        if not quiet:
            from rich.console import Console

            self.console = Console(stderr=True)

    @contextmanager
    def stage(self, message: str) -> Iterator[None]:
        if self.quiet:
            yield
            return
        with self.console.status(message):
            yield

    def note(self, message: str | None) -> None:
        """One line for the user above the progress display (ours, so not escaped)."""
        if message and not self.quiet:
            self.console.print(message, markup=False, highlight=False, soft_wrap=True)

    @contextmanager
    def bar(self, message: str, total: int) -> Iterator[Any]:
        if self.quiet or total < 32:
            yield lambda n: None
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
        ) as progress:
            task = progress.add_task(message, total=total)
            yield lambda n: progress.advance(task, n)
