"""The run directory's data files, in the schemas of architecture.md, and reading them back."""

from __future__ import annotations

import csv
import json
from pathlib import Path

PARAGRAPH_COLUMNS = [
    "paragraph_id",
    "question_id",
    "answer_id",
    "author",
    "position",
    "heading",
    "language",
    "text",
    "topic",
    "topic_label",
    "probability",
    "x",
    "y",
]


def write_paragraphs_csv(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=PARAGRAPH_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def read_paragraphs_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        row["topic"] = int(row["topic"])
        row["position"] = int(row["position"])
        for key in ("probability", "x", "y"):
            row[key] = float(row[key])
    return rows


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
