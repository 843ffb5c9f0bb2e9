"""``themescope compare RUN_A RUN_B``: what changed between two runs of a corpus.

Paragraphs are paired by id and text, then by text alone (ids are positions, so they shift
when the inputs or the paragraph settings change), then by id alone (an edited paragraph).
A topic A x topic B contingency table over the paired paragraphs (outliers as their own
row and column) then says where each topic of A went. Every topic of both runs ends up in
at least one change: matched, split, merged, partial, removed or added.
The run folders are read through the run layer (``themescope.runs``).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from themescope.runs import Run

# An A topic "goes to" a B topic that takes at least this share of it; two or more such
# B topics make a split, none makes it removed (went to outliers or scattered). A quarter
# is clearly more than noise, and still allows a topic to split in up to four parts.
SPLIT_SHARE = 0.25
# Matched topics keep at least half of each other's paragraphs: a majority, both ways.
MATCH_SHARE = 0.5
# A topics that each send at least half of their paragraphs into one B topic were merged:
# a majority of each source, so a topic can be merged into at most one B topic.
MERGE_SHARE = 0.5
# The HTML lists at most this many moved paragraphs; the counts always cover all of them.
MAX_LISTED = 500

OUTLIER = -1
# "partial": the one B topic an A topic goes to, when they are neither matched nor merged
# (say, B is mostly made of other paragraphs); the other five kinds leave it unnamed.
KINDS = ("matched", "split", "merged", "partial", "removed", "added")
# How a pair was found, most trusted first, and how the summary says it.
PAIRINGS = {
    "id and text": "same id and text",
    "text": "same text under another id",
    "id": "same id but the text changed",
}


class ComparedParagraph(NamedTuple):
    id: str
    text: str
    topic: int


Pairs = list[tuple[ComparedParagraph, ComparedParagraph]]  # the same paragraph in run A and in run B


@dataclass(frozen=True)
class ComparedTopic:
    id: int
    label: str
    size: int  # paragraphs of this topic in its run (not only the compared ones)


@dataclass
class ComparedRun:
    """What compare needs from one run directory."""

    path: Path
    title: str
    created: str
    paragraphs: list[ComparedParagraph]
    topics: dict[int, ComparedTopic]  # real topics only, by id
    metrics: dict[str, float]
    curation_steps: int = 0  # the [curation] steps the run applied

    @property
    def outliers(self) -> int:
        return sum(1 for p in self.paragraphs if p.topic == OUTLIER)

    def label(self, topic: int) -> str:
        if topic == OUTLIER:
            return "outliers"
        found = self.topics.get(topic)
        return found.label if found else "?"

    def size(self, topic: int) -> int:
        if topic == OUTLIER:
            return self.outliers
        found = self.topics.get(topic)
        return found.size if found else 0


@dataclass(frozen=True)
class Overlap:
    """One cell of the contingency table, with the shares that the rules look at."""

    a: int
    b: int
    count: int
    share_of_a: float  # of A topic's compared paragraphs
    share_of_b: float  # of B topic's compared paragraphs
    jaccard: float


@dataclass(frozen=True)
class Change:
    """One line of the answer: ``links`` are the cells that justify it (none for removed/added)."""

    kind: str
    a: tuple[int, ...]
    b: tuple[int, ...]
    links: tuple[Overlap, ...] = ()


@dataclass(frozen=True)
class Move:
    key: str  # paragraph id in A
    text: str
    a: int
    b: int


@dataclass(frozen=True)
class MetricDelta:
    name: str
    a: float
    b: float

    @property
    def delta(self) -> float:
        return self.b - self.a


@dataclass(frozen=True)
class Contingency:
    """Paired paragraphs per (A topic, B topic); topic ids ascending, outliers last."""

    rows: tuple[int, ...]
    cols: tuple[int, ...]
    counts: tuple[tuple[int, ...], ...]

    def cell(self, a: int, b: int) -> int:
        if a not in self.rows or b not in self.cols:
            return 0
        return self.counts[self.rows.index(a)][self.cols.index(b)]


@dataclass
class Comparison:
    a: ComparedRun
    b: ComparedRun
    paired_by: dict[str, int]  # PAIRINGS key -> pairs found that way
    shared: int
    only_a: list[str]  # paragraph ids found only in A (never silently dropped)
    only_b: list[str]
    contingency: Contingency
    best: list[Overlap]  # each A topic's best B topic by overlap
    changes: list[Change] = field(default_factory=list)
    moved: list[Move] = field(default_factory=list)  # topic -> a topic it was not mapped to
    became_outliers: list[Move] = field(default_factory=list)
    left_outliers: list[Move] = field(default_factory=list)
    metrics: list[MetricDelta] = field(default_factory=list)

    @property
    def text_differs(self) -> int:
        """Pairs with the same id but another text: worth a look before trusting them."""
        return self.paired_by.get("id", 0)

    def of_kind(self, kind: str) -> list[Change]:
        return [change for change in self.changes if change.kind == kind]

    @property
    def stayed(self) -> int:
        return self.shared - len(self.moved) - len(self.became_outliers) - len(self.left_outliers)


# --- reading a run directory ----------------------------------------------------------------


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _topics(topics, paragraphs: list[ComparedParagraph], csv_labels: dict[int, str]) -> dict:
    """Real topics by id: labels from topics.json, sizes counted in paragraphs.csv."""
    labels = dict(csv_labels) | {
        int(t): str(label) for t, label in zip(topics["id"], topics["label"], strict=True)
    }
    sizes = Counter(p.topic for p in paragraphs)
    ids = sorted(t for t in labels.keys() | sizes.keys() if t != OUTLIER)
    return {t: ComparedTopic(t, labels.get(t, ""), sizes[t]) for t in ids}


def _metrics(metrics: dict) -> dict[str, float]:
    """Numeric metrics only (bools and nulls are not numbers here)."""
    return {
        str(k): float(v) for k, v in metrics.items() if isinstance(v, int | float) and not isinstance(v, bool)
    }


def load_compared_run(path: Path) -> ComparedRun:
    """Read one run directory through the run layer; anything missing or malformed is a
    one-line InputError."""
    path = Path(path)
    folder = Run.load(path)
    rows = folder.rows()
    paragraphs = [ComparedParagraph(str(r["paragraph_id"]), str(r["text"]), int(r["topic"])) for r in rows]
    csv_labels: dict[int, str] = {}
    for r in rows:
        csv_labels.setdefault(int(r["topic"]), str(r["topic_label"]))
    return ComparedRun(
        path=path,
        title=_one_line(folder.manifest.title),
        created=_one_line(folder.manifest.created),
        paragraphs=paragraphs,
        topics=_topics(folder.topics, paragraphs, csv_labels),
        metrics=_metrics(folder.document.metrics),
        curation_steps=len(folder.document.curation.steps) if folder.document.curation else 0,
    )


# --- pairing paragraphs ---------------------------------------------------------------------


def _normal(text: str) -> str:
    return " ".join(text.split())


def _pair(a: ComparedRun, b: ComparedRun) -> tuple[dict[str, int], Pairs, list[str], list[str]]:
    """The same paragraph in A and B: by id and text, then by text, then by id (see PAIRINGS).

    Ids alone are not enough: they number paragraphs by position, so dropping one paragraph
    (another min_chars, say) gives the next ones the ids of different paragraphs.
    """
    free_b = {p.id: p for p in b.paragraphs}
    pairs: dict[str, tuple[ComparedParagraph, ComparedParagraph, str]] = {}  # A id -> (A, B, how)

    def take(pa: ComparedParagraph, pb: ComparedParagraph, how: str) -> None:
        pairs[pa.id] = (pa, pb, how)
        del free_b[pb.id]

    for pa in a.paragraphs:
        pb = free_b.get(pa.id)
        if pb and _normal(pb.text) == _normal(pa.text):
            take(pa, pb, "id and text")
    by_text: dict[str, deque[ComparedParagraph]] = defaultdict(deque)
    for pb in free_b.values():
        by_text[_normal(pb.text)].append(pb)
    for pa in a.paragraphs:
        if pa.id not in pairs and by_text.get(_normal(pa.text)):
            take(pa, by_text[_normal(pa.text)].popleft(), "text")
    for pa in a.paragraphs:
        if pa.id not in pairs and pa.id in free_b:
            take(pa, free_b[pa.id], "id")
    ordered = [pairs[p.id] for p in a.paragraphs if p.id in pairs]
    paired_by = Counter(how for _, _, how in ordered)
    only_a = [p.id for p in a.paragraphs if p.id not in pairs]
    return (
        {how: paired_by[how] for how in PAIRINGS if paired_by[how]},
        [(pa, pb) for pa, pb, _ in ordered],
        only_a,
        list(free_b),
    )


# --- topics ---------------------------------------------------------------------------------


def _contingency(a: ComparedRun, b: ComparedRun, cells: Counter) -> Contingency:
    def axis(run: ComparedRun, index: int) -> tuple[int, ...]:
        present = set(run.topics) | {key[index] for key in cells}
        return (*sorted(present - {OUTLIER}), OUTLIER)

    rows, cols = axis(a, 0), axis(b, 1)
    counts = tuple(tuple(cells[(r, c)] for c in cols) for r in rows)
    return Contingency(rows, cols, counts)


class _Table:
    """The contingency counts with the row/column totals the rules divide by."""

    def __init__(self, cells: Counter) -> None:
        self.cells = cells
        self.size_a: Counter[int] = Counter()
        self.size_b: Counter[int] = Counter()
        for (ta, tb), n in cells.items():
            self.size_a[ta] += n
            self.size_b[tb] += n

    def overlap(self, ta: int, tb: int) -> Overlap:
        n, na, nb = self.cells[(ta, tb)], self.size_a[ta], self.size_b[tb]
        jaccard = n / (na + nb - n) if n else 0.0
        return Overlap(ta, tb, n, n / na if na else 0.0, n / nb if nb else 0.0, jaccard)

    def targets(self, ta: int) -> list[int]:
        """B topics (not outliers) that take at least SPLIT_SHARE of A topic ``ta``."""
        return sorted(
            tb
            for (xa, tb), n in self.cells.items()
            if xa == ta and tb != OUTLIER and n and n >= SPLIT_SHARE * self.size_a[ta]
        )

    def best_b(self, ta: int) -> int | None:
        options = [(n, -tb) for (xa, tb), n in self.cells.items() if xa == ta and tb != OUTLIER and n]
        return -max(options)[1] if options else None

    def best_a(self, tb: int) -> int | None:
        options = [(n, -ta) for (ta, xb), n in self.cells.items() if xb == tb and ta != OUTLIER and n]
        return -max(options)[1] if options else None


def _best(table: _Table, a_topics: list[int]) -> list[Overlap]:
    best = []
    for ta in a_topics:
        tb = table.best_b(ta)
        best.append(table.overlap(ta, tb) if tb is not None else Overlap(ta, OUTLIER, 0, 0.0, 0.0, 0.0))
    return best


def _is_matched(table: _Table, ta: int, targets: list[int]) -> bool:
    """Each other's best, keeping MATCH_SHARE of both, and nothing split off."""
    if len(targets) != 1 or table.best_a(targets[0]) != ta or table.best_b(ta) != targets[0]:
        return False
    cell = table.overlap(ta, targets[0])
    return cell.share_of_a >= MATCH_SHARE and cell.share_of_b >= MATCH_SHARE


def _classify(table: _Table, a_topics: list[int], b_topics: list[int]) -> tuple[list[Change], dict]:
    """The changes, and for each A topic the B topics its paragraphs are expected in."""
    targets = {ta: table.targets(ta) for ta in a_topics}
    into: dict[int, list[int]] = defaultdict(list)  # B topic -> A topics sending MERGE_SHARE of themselves
    for ta in a_topics:
        for tb in targets[ta]:
            if table.overlap(ta, tb).share_of_a >= MERGE_SHARE:
                into[tb].append(ta)
    merged = {tb: sources for tb, sources in into.items() if len(sources) >= 2}
    in_merge = {ta for sources in merged.values() for ta in sources}
    changes = []
    for ta in a_topics:
        links = tuple(table.overlap(ta, tb) for tb in targets[ta])
        if len(targets[ta]) >= 2:
            changes.append(Change("split", (ta,), tuple(targets[ta]), links))
        elif ta in in_merge:
            continue
        elif _is_matched(table, ta, targets[ta]):
            changes.append(Change("matched", (ta,), tuple(targets[ta]), links))
        elif targets[ta]:
            changes.append(Change("partial", (ta,), tuple(targets[ta]), links))
        else:
            changes.append(Change("removed", (ta,), ()))
    for tb, sources in sorted(merged.items()):
        links = tuple(table.overlap(ta, tb) for ta in sources)
        changes.append(Change("merged", tuple(sources), (tb,), links))
    reached = {tb for found in targets.values() for tb in found}
    changes += [Change("added", (), (tb,)) for tb in b_topics if tb not in reached]
    changes.sort(key=lambda c: (KINDS.index(c.kind), c.a or (math.inf,), c.b))
    return changes, targets


def _moves(pairs: Pairs, expected: dict[int, list[int]]) -> tuple[list[Move], list[Move], list[Move]]:
    """ComparedTopic -> topic moves outside the mapping, then topic -> outlier, then outlier -> topic."""
    moved, became, left = [], [], []
    for pa, pb in pairs:
        move = Move(pa.id, pa.text, pa.topic, pb.topic)
        if pa.topic != OUTLIER and pb.topic == OUTLIER:
            became.append(move)
        elif pa.topic == OUTLIER and pb.topic != OUTLIER:
            left.append(move)
        elif pa.topic != OUTLIER and pb.topic not in expected.get(pa.topic, ()):
            moved.append(move)
    return moved, became, left


def _metric_deltas(a: ComparedRun, b: ComparedRun) -> list[MetricDelta]:
    return [MetricDelta(k, a.metrics[k], b.metrics[k]) for k in sorted(a.metrics.keys() & b.metrics.keys())]


def compare_runs(run_a: Path, run_b: Path) -> Comparison:
    """Compare two run directories: topic changes, moved paragraphs and metric deltas."""
    a, b = load_compared_run(Path(run_a)), load_compared_run(Path(run_b))
    paired_by, pairs, only_a, only_b = _pair(a, b)
    cells = Counter((pa.topic, pb.topic) for pa, pb in pairs)
    contingency = _contingency(a, b, cells)
    table = _Table(cells)
    a_topics = [t for t in contingency.rows if t != OUTLIER]
    b_topics = [t for t in contingency.cols if t != OUTLIER]
    changes, expected = _classify(table, a_topics, b_topics)
    moved, became, left = _moves(pairs, expected)
    return Comparison(
        a=a,
        b=b,
        paired_by=paired_by,
        shared=len(pairs),
        only_a=only_a,
        only_b=only_b,
        contingency=contingency,
        best=_best(table, a_topics),
        changes=changes,
        moved=moved,
        became_outliers=became,
        left_outliers=left,
        metrics=_metric_deltas(a, b),
    )
