"""Plain BERTopic (defaults, as documented) on cached builtin-use vectors; prints one JSON line.

python bench/plain_scale.py TEXTS.json LABELS.json CACHE_DIR

LABELS.json: {"category": [...], "language": [...]}, one of each per text.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(texts_json: str, labels_json: str, cache: str) -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from benchlib import label_scores

    from themescope.embeddings import load_embedder
    from themescope.embeddings.cache import embed_with_cache

    texts = json.loads(Path(texts_json).read_text(encoding="utf-8"))
    labels = json.loads(Path(labels_json).read_text(encoding="utf-8"))
    embeddings, stats = embed_with_cache(texts, load_embedder("builtin-use"), Path(cache))
    start = time.perf_counter()
    from bertopic import BERTopic

    topics, _ = BERTopic().fit_transform(texts, embeddings=embeddings)
    print(
        json.dumps(
            {
                "fit_s": round(time.perf_counter() - start, 1),
                "n_topics": len(set(topics) - {-1}),
                "outlier_share": round(sum(t == -1 for t in topics) / len(topics), 4),
                **label_scores(labels, topics),
                "embedded_now": stats.misses,
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:4])
    # hdbscan's joblib workers idle for 300 s and Python's exit waits for them; that wait is
    # not BERTopic's fit, so it is not counted against it.
    from joblib.externals.loky import reusable_executor

    if reusable_executor._executor is not None:
        reusable_executor._executor.shutdown(wait=False, kill_workers=True)
