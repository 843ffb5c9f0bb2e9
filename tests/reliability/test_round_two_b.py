"""Issue 31, round two: keywords that never vanish, words never cut in half, and a time view
that one far-off date does not turn yearly. Real files, the real CLI (``helpers``); each test
fails on 8400792."""

from __future__ import annotations

import csv
import itertools
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.helpers import quick_run_args, run_cli

# The fastest bundled embedder: these corpora need topics, not the best ones.
_FAST = ("--set", 'embeddings.model="builtin-use"')

# Three sentences, each 60 / 3 times with a number that moves its vector and not its words:
# the smallest corpus found on which BM25's idf is negative for every word. Its 20 copies of
# a sentence make 3-4 topics (at least sqrt(60) / 2 topics in all), so a word's count (20)
# exceeds the average tokens per topic (180 / 10), and every topic had no keyword.
_TEMPLATES = ("Sanctions hurt the pipeline.", "Troops guard the election.", "The alliance talks about trade.")


def _write_records(path: Path, texts: list[str], dates: list[str] | None = None) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i, text in enumerate(texts):
            record = {"question": "Q", "text": text} | ({"date": dates[i]} if dates else {})
            fh.write(json.dumps(record) + "\n")
    return path


def _run(tmp_path: Path, texts: list[str], *extra: str, name: str = "run", dates=None, quiet=True):
    records = _write_records(tmp_path / f"{name}.jsonl", texts, dates)
    args = quick_run_args(records, tmp_path / name, tmp_path / "cache", *_FAST, *extra)
    if not quiet:
        args.remove("--quiet")
    proc = run_cli(*args)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return tmp_path / name, proc


def _topics(run: Path) -> list[dict]:
    return json.loads((run / "topics.json").read_text("utf-8"))["topics"]


def _warnings(run: Path) -> list[str]:
    return json.loads((run / "manifest.json").read_text("utf-8"))["warnings"]


def _saved_model_words(model: Path) -> dict[int, list[str]]:
    """The topic words of the saved BERTopic model, as ``BERTopic.load`` reads them."""
    code = (
        "import json, sys\n"
        "from bertopic import BERTopic\n"
        "model = BERTopic.load(sys.argv[1])\n"
        "print(json.dumps({t: [w for w, _ in ws] for t, ws in model.get_topics().items()}))\n"
    )
    command = [sys.executable, "-c", code, str(model)]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return {int(t): words for t, words in json.loads(proc.stdout.splitlines()[-1]).items()}


def test_a_repetitive_corpus_keeps_distinctive_keywords_for_every_topic(tmp_path):
    """Item 2: every topic of a corpus of three repeated sentences has keywords, all words of
    its own sentence, and a label made of them; no warning, as a word distinguishes each; the
    saved model describes its topics with topics.json's words."""
    texts = [f"{_TEMPLATES[i % 3]} {i}" for i in range(60)]
    run, _ = _run(tmp_path, texts)
    topics = _topics(run)
    assert len(topics) >= 4  # more topics than sentences: the case BM25 got wrong
    rows = list(csv.DictReader((run / "paragraphs.csv").open(encoding="utf-8-sig")))
    for topic in topics:
        words = [w for w, _ in topic["keywords"]]
        assert words and all(weight > 0 for _, weight in topic["keywords"]), topic
        assert not re.fullmatch(r"Topic \d+", topic["label"]), topic
        own = {r["text"].rsplit(" ", 1)[0] for r in rows if r["topic"] == str(topic["id"])}
        assert len(own) == 1, own  # each topic holds copies of one sentence...
        assert set(words) <= set(re.findall(r"\w+", own.pop().lower())), topic  # ...and says so
    assert not [w for w in _warnings(run) if "keyword" in w or "distinguish" in w]
    saved = _saved_model_words(run / "model")
    assert {t["id"]: [w for w, _ in t["keywords"]] for t in topics} == {
        t: words for t, words in saved.items() if t != -1
    }


def test_topics_no_word_distinguishes_are_named_in_the_warnings_and_the_summary(tmp_path):
    """Item 2: one sentence repeated is cut into topics with the same words in the same
    proportions: they get those words as keywords, and a warning names them, in the manifest
    and in the terminal summary."""
    texts = [f"Sanctions hurt the pipeline. {i}" for i in range(60)]
    run, proc = _run(tmp_path, texts, quiet=False)
    topics = _topics(run)
    assert len(topics) >= 2
    for topic in topics:
        assert sorted(w for w, _ in topic["keywords"]) == ["hurt", "pipeline", "sanctions"], topic
    ids = ", ".join(str(t["id"]) for t in topics)
    expected = f"topics {ids}: no word distinguishes them from the corpus as a whole"
    assert [w for w in _warnings(run) if w.startswith(expected)], _warnings(run)
    assert expected in " ".join(proc.stdout.split()), proc.stdout[-3000:]


def _pieces(tmp_path: Path, texts: list[str]) -> list[list[str]]:
    """Each record's paragraphs as `inspect --json` lists them: how the reader split it."""
    records = _write_records(tmp_path / "long.jsonl", texts)
    proc = run_cli("inspect", str(records), "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    answers = json.loads(proc.stdout)["questions"][0]["answers"]
    return [[p["text"] for p in answer["paragraphs"]] for answer in answers]


def _cuts(pieces: list[str]) -> list[int]:
    ends, position = [], 0
    for piece in pieces[:-1]:
        position += len(piece)
        ends.append(position)
    return ends


_LONG = {  # answers longer than the model's window (512 tokens), without a sentence end
    "en": ("sanctions alliance pipeline troops election " * 80).strip(),  # 3,519 characters
    "zh": "美國和俄羅斯的關係短時間內難以恢復制裁與反制裁還會繼續下去" * 60,
    "ja": "日本の首相は東京で記者会見を開き経済制裁の効果について説明しました" * 60,
}


def _words(language: str, text: str) -> list[str]:
    """The text's words, as the tokenizer's segmenters find them (jieba, MeCab), spaces aside."""
    if language == "zh":
        from themescope.topics.tokenize import segment_chinese

        return segment_chinese(text)
    import fugashi

    return [word.surface for word in fugashi.Tagger()(text)]


@pytest.mark.parametrize("language", list(_LONG))
def test_a_long_answer_without_sentence_ends_is_cut_between_words(tmp_path, language):
    """Item 3: an answer longer than the model's window with no `.`, `!` or `?` is cut only
    between words: at a space in English, between jieba's words in Chinese and MeCab's in
    Japanese (the words the keywords are made of); no character is lost or repeated."""
    text = _LONG[language]
    [pieces] = _pieces(tmp_path, [text])
    assert len(pieces) > 1
    seams = [(a[-12:], b[:12]) for a, b in itertools.pairwise(pieces)]
    if language == "en":
        assert " ".join(pieces) == text, seams
        assert all(set(piece.split()) <= set(text.split()) for piece in pieces), seams
    else:
        assert "".join(pieces) == text
        assert set(_cuts(pieces)) <= set(_cuts(_words(language, text))), seams


def test_one_date_far_from_the_others_is_listed_and_the_period_is_the_bulk_s(tmp_path):
    """Item 8: 59 records over 30 days of 2024 and one dated 9999-12-31: the time view is daily
    (as without that record), and the far date is a warning naming its file and line."""
    texts = [f"{_TEMPLATES[i % 3]} {i}" for i in range(60)]
    dates = [f"2024-03-{i % 30 + 1:02d}" for i in range(59)] + ["9999-12-31"]
    run, _ = _run(tmp_path, texts, dates=dates)
    page = (run / "report.html").read_text("utf-8")
    assert "share of the paragraphs per day" in page
    assert "share of the paragraphs per year" not in page
    far = [w for w in _warnings(run) if "9999-12-31" in w]
    assert len(far) == 1 and f"{tmp_path / 'run.jsonl'}:60 '9999-12-31'" in far[0], _warnings(run)
    assert "left out of the time view" in far[0] and "2024-03-01 to 2024-03-30" in far[0]
    rows = list(csv.DictReader((run / "paragraphs.csv").open(encoding="utf-8-sig")))
    assert rows[-1]["date"] == "9999-12-31"  # kept as given in the table
