"""The command line: each command parses its arguments and calls one plain function.

Each command imports what it needs inside itself, so ``themescope --help`` stays fast: the
modules imported there pull pydantic, rich, numpy, Plotly or BERTopic (each says which).
"""

from __future__ import annotations

import os
import sys
from contextlib import suppress
from pathlib import Path
from typing import Annotated

import typer

from themescope import interrupt
from themescope.errors import UserError
from themescope.interrupt import Terminated
from themescope.process import configure_process
from themescope.starter import write_starter_config
from themescope.terminal import printable, printable_json, printable_toml

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Find the themes in a Q&A discussion and write an interactive report.",
)
_debug = False


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    global _debug
    _debug = debug
    _renamed_on_one_line()


def _renamed_on_one_line() -> None:
    """An old config key or run-folder field (RenamedWarning) as one line on stderr, not
    Python's two lines of file, line and source."""
    import warnings

    from themescope.errors import RenamedWarning

    shown = warnings.showwarning
    if getattr(shown, "renamed_on_one_line", False):
        return

    def show(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, RenamedWarning):
            typer.echo(f"warning: {printable(message, limit=None)}", err=True)
        else:
            shown(message, category, filename, lineno, file, line)

    show.renamed_on_one_line = True  # type: ignore[attr-defined]
    warnings.showwarning = show


# The arguments run and validate share.
ConfigFile = Annotated[Path, typer.Argument(help="The TOML config file.")]
Overrides = Annotated[
    list[str] | None,
    typer.Option("--set", help="Override a key: --set topics.min_topic_size=5 (TOML value)."),
]
CurationFile = Annotated[
    Path | None,
    typer.Option(
        "--curation", help="A TOML file whose [curation] replaces the config's (as the report saves it)."
    ),
]


@app.command()
def run(
    config: ConfigFile,
    set_: Overrides = None,
    curation: CurationFile = None,
    out: Annotated[Path | None, typer.Option("--out", help="Run directory to write.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary.")] = False,
    watch: Annotated[
        bool, typer.Option("--watch", help="Run again whenever the config or an input file changes.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    """Read the inputs, find the themes, write the run directory and its report."""
    if watch:
        from themescope.watch import watch_and_run  # pulls pydantic (config)

        with _errors(debug):
            watch_and_run(
                config,
                lambda: _run_once(config, set_, curation, out, quiet, debug, keep_going=True),
                extra=(curation,) if curation else (),
            )
        return
    _run_once(config, set_, curation, out, quiet, debug)


def _run_once(config, set_, curation, out, quiet: bool, debug: bool, keep_going: bool = False) -> None:
    from themescope import pipeline  # heavy: every stage

    global _written
    _written = None

    def written(folder: Path) -> None:
        global _written
        _written = folder

    try:
        with _errors(debug):
            result = pipeline.write_run(
                config, out=out, quiet=quiet, overrides=set_ or [], on_written=written, curation=curation
            )
    except typer.Exit:
        if keep_going:  # --watch: the error is printed; wait for the next change
            return
        raise
    with _errors(debug):  # a stop now says the run is written
        if not quiet:
            from themescope.summary import print_summary  # pulls rich

            print_summary(result)
        else:
            typer.echo(printable(result.report_path, limit=None))


@app.command()
def inspect(
    inputs: Annotated[list[Path], typer.Argument(help="Files, folders or globs.")],
    format: Annotated[str, typer.Option("--format", help="auto|qa-text|jsonl|json|csv|tsv")] = "auto",
    json_: Annotated[bool, typer.Option("--json", help="Print the parsed corpus as JSON.")] = False,
) -> None:
    """Show how the inputs parse: questions, authors, paragraphs, what was dropped."""
    import json

    from themescope.corpus import read_corpus  # pulls pydantic (config)

    with _errors(False):
        if format not in {"auto", "qa-text", "jsonl", "json", "csv", "tsv"}:
            raise UserError(f"--format: unknown format {format!r}")
        corpus = read_corpus(list(inputs), format)
    if json_:
        typer.echo(printable_json(json.dumps(corpus.to_dict(), ensure_ascii=False, indent=2)))
        return
    from themescope.summary import print_corpus  # pulls rich

    print_corpus(corpus)


@app.command()
def validate(
    config: ConfigFile,
    set_: Overrides = None,
    curation: CurationFile = None,
) -> None:
    """Check a config (and a curation file) without running it."""
    from themescope.config import load_config  # pulls pydantic

    with _errors(False):
        load_config(config, set_ or [], curation)
    typer.echo(f"{printable(config, limit=None)}: ok")


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the config.")] = Path("themescope.toml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter config."""
    with _errors(False):
        write_starter_config(path, force)
    shown = printable(path, limit=None)
    typer.echo(f"{shown}: written; edit input.paths, then: themescope run {shown}")


@app.command()
def compare(
    run_a: Annotated[Path, typer.Argument(help="The earlier run directory.")],
    run_b: Annotated[Path, typer.Argument(help="The later run directory.")],
    html: Annotated[Path | None, typer.Option("--html", help="Also write the comparison as HTML.")] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Let --html overwrite a file that is not a compare page.")
    ] = False,
) -> None:
    """Which topics map to which, added, removed, split or merged; paragraphs moved; metrics."""
    # pulls pydantic (runs)
    from themescope.compare import compare_runs  # pulls pydantic (through runs)
    from themescope.compare_view import check_html_target, format_text, render_html, write_html

    with _errors(False):
        if html:
            check_html_target(html, force)  # a wrong --html stops before the work
        comparison = compare_runs(run_a, run_b)
        if html:
            write_html(html, render_html(comparison), force=force)
    typer.echo(printable(format_text(comparison), one_line=False, limit=None))


@app.command()
def report(
    run_dir: Annotated[Path, typer.Argument(help="A run directory.")],
    export: Annotated[
        list[str] | None,
        typer.Option("--export", help="Also write each figure as png or svg (needs kaleido)."),
    ] = None,
) -> None:
    """Render report.html again from a run directory's files (no re-run)."""
    from themescope.reports.rerender import rerender  # pulls pydantic and jinja2

    with _errors(False):
        path = rerender(run_dir, export or [])
    typer.echo(printable(path, limit=None))


@app.command()
def curate(
    run_dir: Annotated[Path, typer.Argument(help="A run directory.")],
    toml: Annotated[
        bool, typer.Option("--toml", help="Print the curation as TOML, to save or paste into a config.")
    ] = False,
) -> None:
    """The curation a run applied: each step, what became of it, and which anchors held."""
    from themescope.curation.describe import as_toml, curation_of, describe  # pulls numpy
    from themescope.runs import Run  # pulls pydantic

    with _errors(False):
        run = Run.load(run_dir)
        curation = curation_of(run.manifest.config, str(run_dir / "manifest.json"))
    if toml:
        typer.echo(printable_toml(as_toml(curation)), nl=False)
        return
    outcomes = run.document.curation.steps if run.document.curation else []
    lines = [f"{run_dir}:", *describe(curation, outcomes)]
    typer.echo(printable("\n".join(lines), one_line=False, limit=None))


class _errors:
    """One line per problem and exit 2 for user errors; exit 1 (traceback only with --debug)."""

    def __init__(self, debug: bool) -> None:
        self.debug = debug or _debug

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, exc, tb) -> bool:
        if exc is None:
            return False
        if isinstance(exc, UserError):
            for line in exc.lines:
                typer.echo(f"error: {printable(line, limit=2000)}", err=True)
            raise typer.Exit(2)
        if isinstance(exc, KeyboardInterrupt):
            typer.echo(f"{_stopped()} (interrupted)", err=True)
            raise typer.Exit(130)
        if isinstance(exc, Terminated):
            typer.echo(f"{_stopped()} (SIGTERM)", err=True)
            raise typer.Exit(143)
        if self.debug or isinstance(exc, typer.Exit | SystemExit):
            return False
        shown = printable(exc, limit=2000)
        typer.echo(f"error: unexpected {type(exc).__name__}: {shown} (run with --debug)", err=True)
        raise typer.Exit(1)


_written: Path | None = None  # the run folder this process has swapped into place


def _stopped() -> str:
    """What a stop left behind, truly: a stop after the swap only cut the summary short."""
    if _written is not None:
        return f"stopped; the run was already written to {printable(_written, limit=None)}"
    return "stopped; the previous run directory is unchanged"


def main() -> None:
    configure_process()
    interrupt.install()
    try:
        app()
        code = 0
    except SystemExit as exc:  # typer ends every command with sys.exit
        code = exc.code
    except KeyboardInterrupt:
        sys.stderr.write(f"{_stopped()} (interrupted)\n")
        code = 130
    except Terminated:
        sys.stderr.write(f"{_stopped()} (SIGTERM)\n")
        code = 143
    _exit_now(code)


def _stop_idle_workers() -> None:
    """hdbscan (through joblib) leaves loky worker processes idling for 300 s after a large
    fit; multiprocessing's exit handler would wait for each of them (measured: a 50,000-
    paragraph run took 265 s longer than its stages)."""
    loky = sys.modules.get("joblib.externals.loky.reusable_executor")
    executor = getattr(loky, "_executor", None)
    if executor is not None:
        executor.shutdown(wait=False, kill_workers=True)


def _exit_now(code: int | str | None) -> None:
    """Exit without the interpreter's module teardown.

    Freeing the scientific stack (scikit-learn, scipy, pandas, BERTopic) module by module
    takes ~0.4 s here: as long as a whole report-only re-run. Everything the commands write
    is closed by then, and atexit handlers (logging, temp-dir finalizers) still run.
    """
    if isinstance(code, str):
        sys.stderr.write(code + "\n")
        code = 1
    import atexit

    _stop_idle_workers()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):  # a closed pipe: nothing left to say
            stream.flush()
    os._exit(code or 0)


if __name__ == "__main__":
    main()
