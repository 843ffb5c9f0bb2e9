"""The sample page must parse exactly: authors, headings, captions, footer, broken paragraphs."""

import json

import pytest

from themescope.config import ParagraphsConfig
from themescope.corpus import read_corpus
from themescope.corpus.qa_text import parse_qa_text

from ..conftest import SAMPLE, SAMPLE_AUTHORS

HEADINGS = ["最重要的是,基於美國總體戰略的考慮", "化解通俄門問題,只是改善俄羅斯關係的次要原因"]


@pytest.fixture(scope="module")
def parsed(sample_text):
    return parse_qa_text(sample_text, "sample", "q1", ParagraphsConfig())


def test_title_and_authors_in_page_order(parsed):
    question, _ = parsed
    assert question.title == "美國急於同俄羅斯恢復關係嗎,背後原因是什麼?"
    assert [a.author for a in question.answers] == SAMPLE_AUTHORS


def test_two_headings_attached_to_the_paragraphs_that_follow(parsed):
    question, _ = parsed
    paragraphs = question.answers[1].paragraphs
    headings = [p.heading for p in paragraphs]
    assert sorted({h for h in headings if h}) == sorted(HEADINGS)
    assert headings[0] is None  # before the first heading
    assert paragraphs[2].heading == HEADINGS[0]
    assert paragraphs[2].text.startswith("早在2012年")
    assert not any(p.text in HEADINGS for a in question.answers for p in a.paragraphs)


def test_captions_and_footer_dropped_and_reported(parsed):
    _, dropped = parsed
    captions = [d.text for d in dropped if d.reason == "image caption"]
    assert captions == ["圖為美國白宮", "圖為美國國會", "圖為特朗普和普京"]
    footers = [d.text for d in dropped if d.reason == "page footer"]
    assert footers == ["分享到:", "相關文章:"]
    assert all(d.line for d in dropped)


def test_broken_paragraphs_are_joined(parsed):
    question, _ = parsed
    texts = [p.text for a in question.answers for p in a.paragraphs]
    joined = [t for t in texts if "在特朗普眼裡,盟友需要重新定義" in t]
    assert len(joined) == 1 and joined[0].startswith("不過說實話")
    joined = [t for t in texts if "野心,他企圖以不戰而屈人之兵" in t]
    assert len(joined) == 1
    assert not any(t.startswith((",盟友", "企圖以不戰")) for t in texts)


def test_paragraph_ids_positions_and_count(parsed):
    question, _ = parsed
    answer = question.answers[0]
    assert [p.position for p in answer.paragraphs] == list(range(len(answer.paragraphs)))
    assert answer.paragraphs[0].id == "q1-a1-p1"
    assert sum(len(a.paragraphs) for a in question.answers) == 71


def _texts(corpus):
    return [(a.author, p.heading, p.text) for q in corpus.questions for a in q.answers for p in a.paragraphs]


@pytest.mark.parametrize(
    "variant",
    ["utf-8-sig", "utf-16", "big5", "gb18030", "crlf", "cr", "collapsed", "jsonl", "gzip"],
)
def test_resaved_variants_parse_identically(variant, sample_text, tmp_path):
    import gzip

    reference = read_corpus([SAMPLE])
    name = "page.txt"
    if variant in ("utf-8-sig", "utf-16", "gb18030", "big5"):
        data = sample_text.encode(variant)
    elif variant == "crlf":
        data = sample_text.replace("\n", "\r\n").encode()
    elif variant == "cr":
        data = sample_text.replace("\n", "\r").encode()
    elif variant == "collapsed":
        lines = [ln for ln in sample_text.split("\n") if ln.strip()]
        data = "\n".join(lines).encode()
    elif variant == "gzip":
        data, name = gzip.compress(sample_text.encode()), "page.txt.gz"
    else:
        name = "page.jsonl"
        lines = []
        for answer in reference.questions[0].answers:
            text = "\n\n".join(p.text for p in answer.paragraphs)
            record = {"question": reference.questions[0].title, "author": answer.author, "text": text}
            lines.append(json.dumps(record, ensure_ascii=False))
        data = "\n".join(lines).encode()
    path = tmp_path / name
    path.write_bytes(data)
    corpus = read_corpus([path])
    assert corpus.questions[0].title == reference.questions[0].title
    if variant == "jsonl":  # records carry no headings
        assert [(a, t) for a, _, t in _texts(corpus)] == [(a, t) for a, _, t in _texts(reference)]
    else:
        assert _texts(corpus) == _texts(reference)
