"""``themescope compare RUN_A RUN_B``: what changed between two runs of a corpus.

Topics are matched by the paragraphs they share (by paragraph id, or by text when the ids
differ because the inputs changed), from a topic x topic contingency table. Every topic of
either run is accounted for as matched, split, merged, removed or added.
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from themescope.errors import InputError

# A topic "goes to" another when at least this share of its paragraphs lands there.
SHARE = 0.25
# Matched topics share at least half of each other's paragraphs.
MATCH = 0.5


@dataclass
class Run:
    path: Path
    topic_of: dict[str, int]  # paragraph id -> topic (-1 outlier)
    topic_of_text: dict[str, int]  # the same by paragraph text
    labels: dict[int, str]
    sizes: dict[int, int]
    metrics: dict[str, float]


@dataclass
class Comparison:
    a: Run
    b: Run
    shared: int
    only_a: int
    only_b: int
    matched: list[tuple[int, int, float]] = field(default_factory=list)  # a, b, Jaccard
    split: list[tuple[int, list[int]]] = field(default_factory=list)
    merged: list[tuple[list[int], int]] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    added: list[int] = field(default_factory=list)
    moved: int = 0
    became_outliers: int = 0
    left_outliers: int = 0
    metric_deltas: dict[str, tuple[float, float, float]] = field(default_factory=dict)


def load_run(path: Path) -> Run:
    path = Path(path)
    table, topics_file = path / "paragraphs.csv", path / "topics.json"
    if not table.is_file() or not topics_file.is_file():
        raise InputError(f"{path}: not a themescope run directory (no paragraphs.csv or topics.json)")
    try:
        with table.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        topics = json.loads(topics_file.read_text(encoding="utf-8"))
        ids = {r["paragraph_id"]: int(r["topic"]) for r in rows}
        texts = {r["text"]: int(r["topic"]) for r in rows}
    except (KeyError, ValueError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: unreadable run directory ({type(exc).__name__}: {exc})") from None
    run = Run(
        path=path,
        topic_of=ids,
        topic_of_text=texts,
        labels={int(t["id"]): t["label"] for t in topics.get("topics", [])},
        sizes={int(t["id"]): int(t["size"]) for t in topics.get("topics", [])},
        metrics={k: v for k, v in topics.get("metrics", {}).items() if isinstance(v, int | float)},
    )
    return run


def compare_runs(run_a: Path, run_b: Path) -> Comparison:
    a, b = load_run(run_a), load_run(run_b)
    keys_a, keys_b = a.topic_of, b.topic_of
    if not set(keys_a) & set(keys_b):  # the inputs changed: match paragraphs by their text
        keys_a, keys_b = a.topic_of_text, b.topic_of_text
    shared = sorted(set(keys_a) & set(keys_b))
    pairs = Counter((keys_a[k], keys_b[k]) for k in shared)
    result = Comparison(a, b, len(shared), len(set(keys_a) - set(keys_b)), len(set(keys_b) - set(keys_a)))
    _classify(result, pairs)
    result.became_outliers = sum(n for (ta, tb), n in pairs.items() if ta != -1 and tb == -1)
    result.left_outliers = sum(n for (ta, tb), n in pairs.items() if ta == -1 and tb != -1)
    for key in sorted(a.metrics.keys() & b.metrics.keys()):
        va, vb = float(a.metrics[key]), float(b.metrics[key])
        result.metric_deltas[key] = (va, vb, round(vb - va, 4))
    return result


def _classify(result: Comparison, pairs: Counter) -> None:
    size_a, size_b = Counter(), Counter()
    for (ta, tb), n in pairs.items():
        size_a[ta] += n
        size_b[tb] += n
    goes_to: dict[int, list[int]] = defaultdict(list)  # a topic -> b topics taking >= SHARE of it
    for (ta, tb), n in sorted(pairs.items()):
        if ta != -1 and tb != -1 and n >= SHARE * size_a[ta]:
            goes_to[ta].append(tb)
    comes_from: dict[int, list[int]] = defaultdict(list)
    for ta, targets in goes_to.items():
        for tb in targets:
            if pairs[(ta, tb)] >= MATCH * size_a[ta]:
                comes_from[tb].append(ta)
    expected: dict[int, set[int]] = {}
    for ta in sorted(t for t in size_a if t != -1):
        targets = goes_to.get(ta, [])
        if not targets:
            result.removed.append(ta)
        elif len(targets) >= 2:
            result.split.append((ta, targets))
        expected[ta] = set(targets)
    for tb, sources in sorted(comes_from.items()):
        if len(sources) >= 2:
            result.merged.append((sorted(sources), tb))
        elif pairs[(sources[0], tb)] >= MATCH * size_b[tb] and len(goes_to[sources[0]]) == 1:
            n = pairs[(sources[0], tb)]
            result.matched.append((sources[0], tb, round(n / (size_a[sources[0]] + size_b[tb] - n), 3)))
    reached = {tb for targets in goes_to.values() for tb in targets}
    result.added = sorted(t for t in size_b if t != -1 and t not in reached)
    result.moved = sum(
        n for (ta, tb), n in pairs.items() if ta != -1 and tb != -1 and tb not in expected.get(ta, set())
    )


def format_text(c: Comparison) -> str:
    def name(run: Run, topic: int) -> str:
        return f"{topic} {run.labels.get(topic, '?')} ({run.sizes.get(topic, 0)})"

    lines = [
        f"A: {c.a.path}  ({len(c.a.labels)} topics)",
        f"B: {c.b.path}  ({len(c.b.labels)} topics)",
        f"paragraphs compared: {c.shared} (only in A: {c.only_a}, only in B: {c.only_b})",
        "",
    ]
    for ta, tb, jaccard in c.matched:
        lines.append(f"matched  {name(c.a, ta)} -> {name(c.b, tb)}  overlap {jaccard:.2f}")
    for ta, targets in c.split:
        lines.append(f"split    {name(c.a, ta)} -> " + ", ".join(name(c.b, t) for t in targets))
    for sources, tb in c.merged:
        lines.append("merged   " + ", ".join(name(c.a, t) for t in sources) + f" -> {name(c.b, tb)}")
    lines += [f"removed  {name(c.a, t)}" for t in c.removed]
    lines += [f"added    {name(c.b, t)}" for t in c.added]
    lines += [
        "",
        f"paragraphs that moved to another topic: {c.moved}; became outliers: {c.became_outliers}; "
        f"left the outliers: {c.left_outliers}",
    ]
    if c.metric_deltas:
        lines.append("")
        lines += [f"{k}: {va:g} -> {vb:g} ({d:+g})" for k, (va, vb, d) in c.metric_deltas.items()]
    return "\n".join(lines)


def render_html(c: Comparison) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("themescope.reports", "templates"), autoescape=select_autoescape(default=True)
    )
    return env.get_template("compare.html.j2").render(c=c, text=format_text(c))
