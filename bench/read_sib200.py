"""Reading speed: the 143,705 SIB-200 sentences (205 languages) as a TSV record file.

    python bench/read_sib200.py [PATH]   (default ../shared/data/sib200/train-all-languages.tsv.gz)

Two passes in fresh processes: the file as it is (its `lang` column is used, detection
skipped) and with that column renamed so every sentence goes through language detection.
Also reports how often detection finds zh-Hant for zho_Hant and zh-Hans for zho_Hans rows.
"""

from __future__ import annotations

import gzip
import json
import sys
import tempfile
from pathlib import Path

from benchlib import SIB, measure, save_result

DEFAULT = SIB / "train-all-languages.tsv.gz"

CHILD = """
import json, sys, time
start = time.perf_counter()
from themescope.corpus import read_corpus
corpus = read_corpus([sys.argv[1]], "tsv")
seconds = time.perf_counter() - start
rows = [(a.paragraphs[0].language) for q in corpus.questions for a in q.answers]
print(json.dumps({"seconds": round(seconds, 2), "paragraphs": len(corpus.paragraphs()),
                  "answers": len(rows), "dropped": len(corpus.dropped), "languages": rows}))
"""


def run(path: Path) -> dict:
    m = measure([sys.executable, "-c", CHILD, str(path)])
    result = json.loads(m.stdout)
    result.update(wall_s=m.wall_s, peak_rss_mib=m.peak_rss_mib)
    return result


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    with gzip.open(source, "rt", encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    gold = [line.split("\t", 1)[0] for line in lines[1:] if line]
    detect = Path(tempfile.mkdtemp()) / "no-lang.tsv.gz"
    with gzip.open(detect, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(["flores_lang" + lines[0][len("lang") :], *lines[1:]]))

    given = run(source)
    detected = run(detect)
    pairs = list(zip(gold, detected.pop("languages"), strict=True))
    given.pop("languages")
    chinese = {
        script: round(
            sum(d == want for g, d in pairs if g == flores) / max(1, sum(g == flores for g, _ in pairs)), 4
        )
        for flores, script, want in (("zho_Hant", "zh-Hant", "zh-Hant"), ("zho_Hans", "zh-Hans", "zh-Hans"))
    }
    record = {
        "bench": "read SIB-200 train-all-languages as TSV",
        "lang_column_used": given,
        "language_detection_on_every_row": detected,
        "chinese_script_accuracy": chinese,
    }
    save_result("read-sib200", record)
    print(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()
