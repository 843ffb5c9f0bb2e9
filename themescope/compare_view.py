"""How ``themescope compare`` shows a ``Comparison``: lines for the terminal, and a
self-contained page (no scripts, no network, every label escaped) for ``--html``, written only
over an earlier compare page."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

from themescope.compare import (
    KINDS,
    MATCH_SHARE,
    MAX_LISTED,
    MERGE_SHARE,
    PAIRINGS,
    SPLIT_SHARE,
    Change,
    ComparedRun,
    Comparison,
)
from themescope.errors import UserError
from themescope.files import open_regular, replace_file
from themescope.terminal import printable


def _pct(share: float) -> str:
    return f"{share:.0%}"


def _number(value: float, sign: str = "") -> str:
    """Whole numbers as such (n_topics 8, not 8.0), others to 4 significant digits."""
    if not math.isfinite(value):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return f"{int(value):{sign}d}"
    return f"{value:{sign}.4g}"


def _signed(value: float) -> str:
    return _number(value, "+")


def _name(run: ComparedRun, side: str, topic: int) -> str:
    return f"{side}{topic} {run.label(topic)} ({run.size(topic)})"


def _detail(c: Comparison, change: Change) -> str:
    """The shares that put a change in its kind."""
    if change.kind in ("matched", "partial"):
        cell = change.links[0]
        keeps = "keeps " if change.kind == "matched" else ""
        return f"{keeps}{_pct(cell.share_of_a)} of A, {_pct(cell.share_of_b)} of B"
    if change.kind == "split":
        return ", ".join(f"{_pct(x.share_of_a)} to B{x.b}" for x in change.links)
    if change.kind == "merged":
        return ", ".join(f"{_pct(x.share_of_a)} of A{x.a}" for x in change.links)
    if change.kind == "removed":
        return f"{_pct(_outlier_share(c, change.a[0], 'a'))} became outliers"
    return f"{_pct(_outlier_share(c, change.b[0], 'b'))} were outliers in A"


def _change_line(c: Comparison, change: Change) -> str:
    a = ", ".join(_name(c.a, "A", t) for t in change.a)
    b = ", ".join(_name(c.b, "B", t) for t in change.b)
    arrow = f"{a} -> {b}" if a and b else a or b
    return f"{arrow}  ({_detail(c, change)})"


def _outlier_share(c: Comparison, topic: int, side: str) -> float:
    """How much of a removed (added) topic went to (came from) the outliers."""
    if side == "a":
        row = c.contingency.counts[c.contingency.rows.index(topic)]
        return row[-1] / sum(row) if sum(row) else 0.0
    col = [r[c.contingency.cols.index(topic)] for r in c.contingency.counts]
    return col[-1] / sum(col) if sum(col) else 0.0


def _pairing(c: Comparison) -> str:
    parts = [f"{n} {PAIRINGS[how]}" for how, n in c.paired_by.items()]
    return f" ({', '.join(parts)})" if parts else ""


def _run_line(side: str, run: ComparedRun) -> str:
    title = f'  "{run.title}"' if run.title else ""
    curated = f", curated in {run.curation_steps} step(s)" if run.curation_steps else ""
    return (
        f"{side}: {run.path}{title}  ({len(run.topics)} topics, {len(run.paragraphs)} paragraphs, "
        f"{run.outliers} outliers{curated})"
    )


def format_text(c: Comparison) -> str:
    """A plain summary for the terminal: one line per topic change, then moves and metrics."""
    lines = [
        _run_line("A", c.a),
        _run_line("B", c.b),
        f"paragraphs compared: {c.shared}{_pairing(c)}; "
        f"only in A: {len(c.only_a)}, only in B: {len(c.only_b)}",
    ]
    if c.text_differs:
        lines.append(f"note: {c.text_differs} paragraphs were paired by id alone; their text changed")
    lines.append("")
    width = max(len(k) for k in KINDS)
    lines += [f"{change.kind:<{width}}  {_change_line(c, change)}" for change in c.changes]
    if not c.changes:
        lines.append("no topics in either run")
    lines += [
        "",
        f"paragraphs: {len(c.moved)} moved to another topic, {len(c.became_outliers)} became outliers, "
        f"{len(c.left_outliers)} left the outliers, {c.stayed} stayed",
    ]
    if c.metrics:
        width = max(len(m.name) for m in c.metrics)
        lines += ["", "metrics (A -> B):"]
        lines += [
            f"  {m.name:<{width}}  {_number(m.a)} -> {_number(m.b)}  ({_signed(m.delta)})" for m in c.metrics
        ]
    # Each line one terminal line: a label holding a newline must not print a line of its own.
    return "\n".join(printable(line, limit=None) for line in lines)


@cache
def _environment():
    """The same loader and autoescaping as the run report (themescope.reports.html)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(
        loader=PackageLoader("themescope.reports", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )


def write_html(path: Path, page: str, force: bool = False) -> None:
    """Write the compare page to ``path``, replacing only an earlier compare page (or, with
    ``force``, any regular file); written beside it and renamed, so a failed write leaves
    what was there."""
    target = check_html_target(path, force)
    try:
        replace_file(target, page)
    except OSError as exc:
        raise UserError(f"--html {path}: cannot be written ({exc.strerror or exc})") from None


def check_html_target(path: Path, force: bool = False) -> Path:
    """The file ``write_html`` would write, or UserError saying why not (a symbolic link is
    refused: no file is written through a link)."""
    where = f"--html {path}"
    if path.is_dir():
        raise UserError(f"{where}: is a folder; name the page's file")
    if not path.parent.is_dir():
        raise UserError(f"{where}: no folder {path.parent}")
    if path.is_symlink():
        # Writing through it would change a file elsewhere that the user may not know the
        # link names; replacing it would destroy the link, which themescope did not write.
        raise UserError(f"{where}: is a symbolic link; name the page's file itself")
    target = path
    if target.exists() and not target.is_file():
        raise UserError(f"{where}: is not a regular file (a device, FIFO or socket)")
    if target.exists() and not force and not is_compare_page(target):
        raise UserError(f"{where}: exists and is not a themescope compare page; --force overwrites it")
    return target


def is_compare_page(path: Path) -> bool:
    """A page ``compare --html`` wrote: its head names the generator (or, before that
    existed, its title starts with "themescope compare:")."""
    try:
        with open_regular(path) as fh:
            head = fh.read(4096).decode("utf-8", "replace")
    except OSError:
        return False
    return _GENERATOR in head or "<title>themescope compare:" in head


_GENERATOR = '<meta name="generator" content="themescope compare">'


def render_html(c: Comparison) -> str:
    """A self-contained page (no scripts, no network): every label and text is escaped."""
    return (
        _environment()
        .get_template("compare.html.j2")
        .render(
            c=c,
            kinds=KINDS,
            detail=lambda change: _detail(c, change),
            pct=_pct,
            pairing=_pairing(c),
            number=_number,
            signed=_signed,
            max_listed=MAX_LISTED,
            rules={"match": MATCH_SHARE, "split": SPLIT_SHARE, "merge": MERGE_SHARE},
        )
    )
