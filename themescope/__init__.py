"""themescope: find the themes in a Q&A discussion.

The public API is imported lazily so that ``import themescope`` (and the CLI's --help)
does not pay for torch, BERTopic or the embedding model: each function imports its modules
(``# lazy:`` says what they pull) when called.

    run = themescope.fit(texts)            # a list of texts, records, a DataFrame or a path
    run.topics                             # a DataFrame: id, label, size, keywords, ...
    run.figure("map").show()
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from themescope.errors import InputError

if TYPE_CHECKING:
    from themescope.corpus.models import Corpus
    from themescope.runs import Run

__version__ = "0.1.0"
__all__ = ["fit", "load_embedder", "load_run", "read_corpus", "run"]


def fit(
    data: Any,
    config: str | Path | dict | None = None,
    *,
    out: str | Path | None = None,
    quiet: bool = True,
    cache: bool = True,
    **settings: Any,
) -> Run:
    """Find the themes in ``data`` and return the ``Run``; nothing is written unless ``out``
    is given (and, with ``cache=False``, not even the embedding and stage caches).

    ``data``: a path (file, folder or glob, as ``input.paths`` takes it), a list of texts
    (one paragraph each), a list of records (dicts with ``text`` and optionally ``question``,
    ``author``, ``question_id``, ``answer_id``, ``lang``, ``url``, ``date``, ``label``), or a
    pandas DataFrame with those columns. ``config``: a TOML file or a dict of its sections
    (default: every key at its default). ``settings``: config keys as keywords, a section's
    keys joined by ``__``: ``fit(texts, topics__min_topic_size=5)``.
    """
    from themescope import pipeline  # lazy: every stage
    from themescope.config import (  # lazy: pydantic
        apply_settings,
        config_from_dict,
        load_config,
        plain_config,
    )

    settings = dict(settings)
    if isinstance(data, str | Path):
        settings["input__paths"] = [str(Path(data).expanduser().resolve())]
    if config is None or isinstance(config, dict):
        raw = plain_config(copy.deepcopy(config or {}))  # settings never change the caller's dict
        raw.setdefault("input", {}).setdefault("paths", ["<in memory>"])
        apply_settings(raw, settings)
        resolved = config_from_dict(raw)
    else:
        resolved = load_config(config, settings=settings)
    corpus = None if isinstance(data, str | Path) else _corpus(data, resolved)
    if out is None:
        return pipeline.fit_run(resolved, corpus=corpus, cache=cache, quiet=quiet)
    return pipeline.write_run(resolved, out=out, quiet=quiet, corpus=corpus, cache=cache)


def _corpus(data: Any, config) -> Corpus:
    """The corpus of in-memory ``data``: texts, records or a DataFrame."""
    from themescope.corpus.reader import corpus_from_records  # lazy: pydantic

    if hasattr(data, "to_dict") and hasattr(data, "columns"):  # a pandas DataFrame
        records = data.to_dict(orient="records")
    else:
        if hasattr(data, "tolist") and getattr(data, "ndim", None) == 1:  # a Series, a numpy array
            data = data.tolist()
        if not isinstance(data, Sequence) or isinstance(data, bytes | str):
            kind = type(data).__name__
            raise InputError(f"data: expected a path, texts, records or a DataFrame, not {kind}")
        # A missing text (None, NaN) in a list of texts is an empty answer, as in a file.
        records = [{"text": item} if isinstance(item, str) or _missing(item) else item for item in data]
    bad = next((i for i, r in enumerate(records) if not isinstance(r, dict) or "text" not in r), None)
    if bad is not None:
        raise InputError(f"data: item {bad + 1} is neither a text nor a record with a 'text' field")
    records = [
        {"question": "(untitled question)", "author": f"({i + 1})"} | _present(r)
        for i, r in enumerate(records)
    ]
    return corpus_from_records(records, config.paragraphs, config.input.on_error, source="<data>")


def _present(record: dict) -> dict:
    """A record without its missing cells (None, a DataFrame's NaN, NaT or NA), dates and other
    values as text. A missing text stays, as None: the record is then an empty answer, listed
    as dropped like ``"text": null`` in a JSONL file, not a broken record."""
    present = {
        key: value if isinstance(value, str | int | float) or key == "text" else str(value)
        for key, value in record.items()
        if not _missing(value)
    }
    if "text" in record and "text" not in present:
        present["text"] = None
    return present


def _missing(value: Any) -> bool:
    """None, NaN, NaT or pandas' NA: a cell with nothing in it."""
    if value is None:
        return True
    if isinstance(value, str | list | dict | tuple):
        return False
    try:
        return bool(value != value)  # NaN and NaT are not equal to themselves
    except (TypeError, ValueError):  # pandas.NA has no truth value; an array has many
        return type(value).__name__ == "NAType"


def run(
    config: str | Path | dict,
    *,
    out: str | Path | None = None,
    quiet: bool = True,
    curation: str | Path | None = None,
    **settings: Any,
) -> Run:
    """Run the pipeline on a config file (or dict) and write its run folder, as
    ``themescope run CONFIG`` does; ``settings`` as in :func:`fit`; ``curation``: a file
    saved from a report, whose ``[curation]`` replaces the config's (``--curation``)."""
    from themescope import pipeline  # lazy: every stage
    from themescope.config import apply_settings, plain_config  # lazy: pydantic

    if isinstance(config, dict):
        raw = plain_config(copy.deepcopy(config))
        apply_settings(raw, settings)
        return pipeline.write_run(raw, out=out, quiet=quiet, curation=curation)
    return pipeline.write_run(config, out=out, quiet=quiet, settings=settings, curation=curation)


def load_run(run_dir: str | Path) -> Run:
    """A finished run's folder, as a ``Run`` (paragraphs and topics as DataFrames)."""
    from themescope.runs import Run  # lazy: pydantic

    return Run.load(run_dir)


def read_corpus(
    paths: list[str | Path], fmt: str = "auto", settings: Any = None, on_error: str = "fail"
) -> Corpus:
    """Read input files into a ``Corpus`` (questions, answers, paragraphs, what was dropped)."""
    from themescope.corpus import read_corpus as _read  # lazy: pydantic

    return _read(paths, fmt, settings, on_error)


def load_embedder(
    name: str | None = None, device: str = "auto", batch_size: int = 32, language: str | None = None
):
    """An embedding model by config name (``"builtin"`` when None): ``.encode(texts)`` gives
    L2-normalized float32 vectors."""
    from themescope.embeddings import load_embedder as _load  # lazy: numpy

    return _load(name, device, batch_size, language)
