"""One-screen terminal summaries of a run and of a parsed corpus (rich).

Every string that came from the user's files goes through ``_shown``: control characters
escaped (the pages are untrusted), rich markup escaped, and cut to a length rich wraps
quickly."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from themescope.runs import Run
from themescope.terminal import printable


def _shown(text: object, limit: int | None = 300) -> str:
    return escape(printable(text, limit=limit))


def print_summary(run: Run) -> None:
    """What a finished ``Run`` found, on one screen."""
    console = Console(emoji=False)  # ":thumbs_up:" in a title stays text
    manifest = run.manifest
    counts = manifest.counts
    console.print(
        f"[bold]{_shown(manifest.title)}[/bold]\n"
        f"{counts.questions} question(s), {counts.answers} answers, "
        f"{counts.paragraphs} paragraphs ({counts.dropped} lines dropped, see manifest)"
    )
    document = run.topics_document()
    broad = {b.id: b.label for b in document.broad_themes}
    title = f"{len(document.topics)} topics" + (f" in {len(broad)} broad themes" if broad else "")
    table = Table(title=title, show_lines=False)
    table.add_column("id", justify="right")
    table.add_column("size", justify="right")
    table.add_column("label")
    if broad:
        table.add_column("broad theme")
    method = document.persistence
    measured = [t for t in document.topics if t.persistence is not None]
    if measured and method:
        table.add_column("comes back", justify="right")
    answers = len({(r.get("question_id"), r.get("answer_id")) for r in run.rows()})
    counted = any(t.answers is not None for t in document.topics)
    if counted:
        table.add_column("answers", justify="right")  # how many of the run's answers carry it
    for topic in document.topics:
        cells = [str(topic.id), str(topic.size), _shown(topic.label)]
        cells += [_shown(broad.get(topic.parent, ""))] if broad else []
        cells += [_persistence(topic.persistence, method.persists_from)] if measured and method else []
        cells += [_carried(topic, answers)] if counted else []
        table.add_row(*cells)
    console.print(table)
    if measured and method:
        persist = sum(t.persistence >= method.persists_from for t in measured)
        console.print(
            f"Persistence: {persist} of {len(measured)} topics come back in at least "
            f"{method.persists_from:.0%} of fits on {method.share_kept:.0%} of the paragraphs "
            "(marked * where not: read those with care)"
        )
    if counted:
        single = [t for t in document.topics if t.single_answer]
        console.print(
            f"Answers: {len(single)} of {len(document.topics)} topics carried by one answer alone "
            "(marked 'one answer': one person's argument, not a shared theme)"
        )
    steps = document.curation.steps if document.curation else []
    if steps:
        applied = sum(s.get("status") == "applied" for s in steps)
        console.print(f"Curation: {len(steps)} step(s), {applied} applied in full (see: themescope curate)")
    topics = manifest.topics
    console.print(
        f"Outliers: {topics.outlier_share:.1%} of paragraphs "
        f"({topics.reassigned} reassigned to their nearest topic)"
    )
    emb = manifest.embeddings
    console.print(
        f"Embeddings: {_shown(emb.model)} — {emb.cache_misses} embedded, {emb.cache_hits} from cache"
    )
    timing = ", ".join(
        f"{name} {entry.seconds:.1f} s" + (" (cached)" if entry.cache == "hit" else "")
        for name, entry in manifest.stages.items()
    )
    total = sum(entry.seconds for entry in manifest.stages.values())
    console.print(f"Stages: {timing} (total {total:.1f} s)")
    for warning in manifest.warnings:
        console.print(f"[yellow]Warning:[/yellow] {_shown(warning, 2000)}", soft_wrap=True)
    console.print(f"Report: [bold green]{_shown(run.report_path, None)}[/bold green]", soft_wrap=True)


def _carried(topic, answers: int) -> str:
    """How many of the run's answers carry the topic: "3/10", "1/10 one answer"."""
    if topic.answers is None:
        return ""
    return f"{topic.answers.count}/{answers}" + (" one answer" if topic.single_answer else "")


def _persistence(share: float | None, persists_from: float) -> str:
    if share is None:
        return ""
    return f"{share:.0%}" + (" *" if share < persists_from else "")


def print_corpus(corpus) -> None:
    console = Console(emoji=False)  # ":thumbs_up:" in a title stays text
    for question in corpus.questions:
        console.print(f"{_shown(question.id)} {_shown(question.title)}  ({_shown(question.source, None)})")
        table = Table(show_header=True)
        table.add_column("answer")
        table.add_column("author")
        table.add_column("paragraphs", justify="right")
        table.add_column("headings")
        for answer in question.answers:
            headings = sorted({p.heading for p in answer.paragraphs if p.heading})
            table.add_row(
                _shown(answer.id),
                _shown(answer.author),
                str(len(answer.paragraphs)),
                _shown(" / ".join(headings)),
            )
        console.print(table)
    authors = Counter(a.author for q in corpus.questions for a in q.answers)
    console.print(
        "Answers per author: "
        + ", ".join(f"{_shown(k)} {v}" for k, v in authors.most_common(20))
        + (f", … ({len(authors)} authors)" if len(authors) > 20 else "")
    )
    paragraphs = corpus.paragraphs()
    duplicates = sum(p.duplicate_of is not None for p in paragraphs)
    split = sum(p.part == 1 for p in paragraphs)
    console.print(
        f"Paragraphs: {len(paragraphs)} ({duplicates} exact duplicates, "
        f"{split} long paragraphs split at sentence ends)"
    )
    languages = Counter(p.language for p in paragraphs)
    console.print("Languages: " + ", ".join(f"{_shown(k)} {v}" for k, v in languages.most_common()))
    for f in corpus.files:
        console.print(f"File {_shown(f.path, None)}: {f.format}, {f.encoding}, {f.bytes} bytes")
    for warning in corpus.warnings:
        console.print(f"[yellow]Warning:[/yellow] {_shown(warning, 2000)}", soft_wrap=True)
    if corpus.dropped:
        console.print(f"[yellow]Dropped {len(corpus.dropped)}:[/yellow]")
        for d in corpus.dropped:
            where = f"{d.source}:{d.line}" if d.line else d.source
            text = _shown(repr(d.text))
            console.print(f"  {_shown(d.reason, 2000)}: {text} ({_shown(where, None)})", soft_wrap=True)
