"""Find a curation's anchors in this run's paragraphs.

A paragraph id (q1-a3-p6) is a position: when an answer gains or loses a paragraph, the id
names another one. An anchor that carries the start of its text is checked against it and,
when the id now holds other text, looked for by that text; only when neither finds it is
the anchor gone. A bare id is taken at its word, and reported as unchecked. Nothing here
raises for a missing anchor: the step is applied with what holds, and the manifest says
what did not.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Literal

from themescope.config import CurationStep, ParagraphAnchor

# The start of a paragraph's text that the report writes beside each anchor's id.
EXCERPT_CHARS = 60
# How alike the anchor's excerpt and the start of the paragraph now at its id must be for the
# paragraph to count as the same one, edited (difflib's ratio; 1.0 is identical).
SAME_PARAGRAPH_RATIO = 0.6

# "unchecked": the anchor is a bare id, with no text to check the paragraph now there against;
# in another or a changed corpus it may name another paragraph, so the run says so.
Status = Literal["held", "edited", "found elsewhere", "gone", "unchecked"]


def excerpt(text: str, chars: int = EXCERPT_CHARS) -> str:
    """The start of a text, its whitespace runs made single spaces (as the report writes it)."""
    return " ".join(text.split())[:chars]


@dataclass
class AnchorReport:
    id: str  # as the curation gives it
    status: Status
    found: str | None = None  # the paragraph id it resolved to, when not ``id``


@dataclass
class ResolvedStep:
    """A step with its anchors turned into row numbers of this run's paragraphs."""

    number: int  # 1-based, as the user counts the steps
    action: Literal["rename", "merge", "move", "split"]
    rows: list[int]  # the anchors that hold: one for rename, the topics' for merge, the moved
    to: int | Literal["outliers"] | None = None  # move's destination (None: its anchor is gone)
    label: str | None = None
    anchors: list[AnchorReport] = field(default_factory=list)

    def key(self) -> list:
        """What the step does to this corpus, for the stage cache's key."""
        return [self.action, self.rows, self.to, self.label]


class _Index:
    """Paragraph ids and text starts of one corpus, to look anchors up."""

    def __init__(self, ids: list[str], texts: list[str]) -> None:
        self.texts = texts
        self.row_of = {pid: i for i, pid in enumerate(ids)}
        self.ids = ids
        self._starts: dict[int, dict[str, int]] = {}  # excerpt length -> start -> first row

    def starting_with(self, start: str) -> int | None:
        table = self._starts.get(len(start))
        if table is None:
            table = {}
            for row, text in enumerate(self.texts):
                table.setdefault(excerpt(text, len(start)), row)
            self._starts[len(start)] = table
        return table.get(start)

    def resolve(self, anchor: ParagraphAnchor) -> tuple[int | None, AnchorReport]:
        row = self.row_of.get(anchor.id)
        wanted = excerpt(anchor.text)
        if not wanted:
            return row, AnchorReport(anchor.id, "unchecked" if row is not None else "gone")
        here = excerpt(self.texts[row], len(wanted)) if row is not None else None
        if here == wanted:
            return row, AnchorReport(anchor.id, "held")
        elsewhere = self.starting_with(wanted)
        if elsewhere is not None:
            return elsewhere, AnchorReport(anchor.id, "found elsewhere", self.ids[elsewhere])
        if here is not None and difflib.SequenceMatcher(None, wanted, here).ratio() >= SAME_PARAGRAPH_RATIO:
            return row, AnchorReport(anchor.id, "edited")
        return None, AnchorReport(anchor.id, "gone")


def resolve_steps(steps: list[CurationStep], ids: list[str], texts: list[str]) -> list[ResolvedStep]:
    """Each step's anchors as rows of the paragraphs (``ids`` and ``texts`` in row order)."""
    index = _Index(ids, texts)
    resolved = []
    for number, step in enumerate(steps, start=1):
        action = step.action
        given = getattr(step, action)
        anchors = [given] if action == "rename" else list(given)
        rows, reports = [], []
        for anchor in anchors:
            row, report = index.resolve(anchor)
            reports.append(report)
            if row is not None:
                rows.append(row)
        to: int | Literal["outliers"] | None = None
        if action == "move":
            if step.to == "outliers":
                to = "outliers"
            else:
                to, report = index.resolve(step.to)
                reports.append(report)
        rows = list(dict.fromkeys(rows))  # two anchors may find one paragraph
        resolved.append(ResolvedStep(number, action, rows, to, step.label, reports))
    return resolved
