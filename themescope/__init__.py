"""themescope: find the themes in a Q&A discussion.

The public API is imported lazily so that ``import themescope`` (and the CLI's --help)
does not pay for torch, BERTopic or the embedding model.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["load_embedder", "load_run", "read_corpus", "run"]


def run(config: Any, **overrides: Any):
    """Run the pipeline on a config path or dict; keyword overrides use dotted keys with '__'.

    ``themescope.run("configs/default.toml", topics__min_topic_size=5)``
    """
    from themescope import pipeline

    sets = [f"{k.replace('__', '.')}={_toml(v)}" for k, v in overrides.items()]
    if isinstance(config, dict):
        from themescope.config import apply_overrides

        apply_overrides(config, sets)
        return pipeline.run(config)
    return pipeline.run(config, overrides=sets)


def _toml(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def read_corpus(*args: Any, **kwargs: Any):
    from themescope.corpus import read_corpus as _read

    return _read(*args, **kwargs)


def load_embedder(name: str | None = None, **kwargs: Any):
    from themescope.embeddings import load_embedder as _load

    return _load(name, **kwargs)


def load_run(run_dir: Any) -> dict:
    """The files of a finished run: paragraphs (rows), topics and manifest."""
    from pathlib import Path

    from themescope.reports.files import read_json, read_paragraphs_csv

    run_dir = Path(run_dir)
    return {
        "paragraphs": read_paragraphs_csv(run_dir / "paragraphs.csv"),
        "topics": read_json(run_dir / "topics.json"),
        "manifest": read_json(run_dir / "manifest.json"),
    }
