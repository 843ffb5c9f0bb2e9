"""Does a curation survive a corpus a little smaller? (issue 30: "the 4-step curation of the
sample (a rename, a merge, a move of two paragraphs, a split of three) applies in full in every
leave-one-answer-out fit whose anchors are still present").

    python bench/curation_survival.py

The sample's 10 answers as records; the curation is made on the whole sample (anchors by
paragraph id and text, as the report writes them), then replayed on each fit without one answer.
A step counts where all its anchors' texts are still in the corpus; it survives when its status
is "applied". Prints a table and writes bench/results/curation_survival-<UTC time>.json.
"""

from __future__ import annotations

import sys
from pathlib import Path

from benchlib import save_result

import themescope
from themescope.corpus import read_corpus

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "us-russia-relations.txt"


def records(skip: str | None = None) -> list[dict]:
    question = read_corpus([SAMPLE]).questions[0]
    return [
        {
            "question": question.title,
            "author": a.author,
            "answer_id": a.id,
            "text": "\n\n".join(p.text for p in a.paragraphs),
        }
        for a in question.answers
        if a.id != skip
    ]


def anchor(run, paragraph_id: str) -> dict:
    text = run.paragraphs.set_index("paragraph_id").loc[paragraph_id, "text"]
    return {"id": paragraph_id, "text": text}


def curation_of(run) -> list[dict]:
    """Four steps on the whole sample: merge the sanctions and alliances paragraphs' topics,
    rename the pivot's, move two paragraphs of the largest other topic to the pivot's, split
    three paragraphs of the next largest off into a topic of their own."""
    rows = run.paragraphs
    pivot, sanctions, alliances = "q1-a2-p3", "q1-a6-p3", "q1-a5-p3"
    taken = {int(rows.set_index("paragraph_id").loc[p, "topic"]) for p in (pivot, sanctions, alliances)}
    others = rows[~rows["topic"].isin(taken) & (rows["topic"] >= 0)]
    sizes = others["topic"].value_counts()
    movers = others[others["topic"] == sizes.index[0]]["paragraph_id"].tolist()[:2]
    splitters = others[others["topic"] == sizes.index[1]]["paragraph_id"].tolist()[:3]
    return [
        {"merge": [anchor(run, sanctions), anchor(run, alliances)], "label": "Sanctions and alliances"},
        {"rename": anchor(run, pivot), "label": "Strategy pivot"},
        {"move": [anchor(run, p) for p in movers], "to": anchor(run, pivot)},
        {"split": [anchor(run, p) for p in splitters], "label": "Split off"},
    ]


def anchors_of(step: dict) -> list[dict]:
    found = []
    for key in ("rename", "merge", "move", "split", "to"):
        value = step.get(key)
        if isinstance(value, dict):
            found.append(value)
        elif isinstance(value, list):
            found.extend(value)
    return found


def main() -> None:
    whole = themescope.fit(records())
    steps = curation_of(whole)
    curated = themescope.fit(records(), curation__steps=steps)
    full = [s["status"] for s in curated.document.curation.steps]
    print("whole sample:", full, flush=True)
    answers = [a.id for a in read_corpus([SAMPLE]).questions[0].answers]
    fits = []
    for left_out in answers:
        subset = records(left_out)
        texts = {p for r in subset for p in r["text"].split("\n\n")}
        run = themescope.fit(subset, curation__steps=steps)
        statuses = [s["status"] for s in run.document.curation.steps]
        present = [all(a["text"] in texts for a in anchors_of(s)) for s in steps]
        fits.append({"left_out": left_out, "statuses": statuses, "anchors_present": present})
        print(left_out, statuses, present, flush=True)
    counted = [(f["statuses"][i], f["anchors_present"][i]) for f in fits for i in range(len(steps))]
    with_anchors = [status for status, present in counted if present]
    applied = sum(status == "applied" for status in with_anchors)
    summary = {
        "whole_sample": full,
        "steps_with_anchors_present": len(with_anchors),
        "applied_in_full": applied,
        "share_applied": round(applied / len(with_anchors), 3) if with_anchors else None,
        "fits_all_applied": sum(
            all(st == "applied" for st, pr in zip(f["statuses"], f["anchors_present"], strict=True) if pr)
            for f in fits
        ),
        "fits": len(fits),
    }
    print(summary)
    save_result("curation_survival", {"summary": summary, "fits": fits, "steps": steps})


if __name__ == "__main__":
    sys.exit(main())
