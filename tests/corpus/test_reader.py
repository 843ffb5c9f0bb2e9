import hashlib
import json
import re
from dataclasses import asdict

import pytest

from themescope.corpus import read_corpus
from themescope.corpus.language import detect_language
from themescope.corpus.models import Corpus
from themescope.errors import InputError

from ..conftest import SAMPLE


def test_sample_paragraphs_are_traditional_chinese():
    corpus = read_corpus([SAMPLE])
    languages = {p.language for p in corpus.paragraphs()}
    assert languages == {"zh-Hant"}
    assert corpus.files[0].encoding == "utf-8"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("美国对俄罗斯的制裁最近是在6月11号,这就意味着和西方的对抗将会继续", "zh-Hans"),
        ("美國對俄羅斯的制裁最近是在6月11號,這就意味著和西方的對抗將會繼續", "zh-Hant"),
        ("The sanctions against Russia will continue for the foreseeable future.", "en"),
        ("Санкции против России сохранятся в обозримом будущем.", "ru"),
        ("アメリカはロシアとの関係を回復したいのだろうか。", "ja"),
    ],
)
def test_language_detection(text, expected):
    assert detect_language(text) == expected


def test_missing_path_names_it(tmp_path):
    with pytest.raises(InputError, match=r"nope\.txt: no such file"):
        read_corpus([tmp_path / "nope.txt"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty"),
        (b"\x00\x01\x02binary\x00" * 50, "binary"),
        (b'{"question": "q", "author": "a", "text": "hello there world"}\n{bad json\n', ":2: not valid JSON"),
    ],
)
def test_bad_files_give_one_line_naming_the_file(tmp_path, content, message):
    path = tmp_path / ("bad.jsonl" if b"question" in content else "bad.txt")
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_corpus([path])
    assert len(err.value.lines) == 1
    assert str(path) in err.value.lines[0] and message in err.value.lines[0]


def test_csv_without_text_column(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("question,author,body\nq,a,some text here\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"a.csv:1: no 'text' column"):
        read_corpus([path])


def test_skip_mode_lists_the_bad_file(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    corpus = read_corpus([SAMPLE, bad], on_error="skip")
    assert len(corpus.questions) == 1
    assert any("bad.txt" in d.source and "empty" in d.reason for d in corpus.dropped)


def test_folder_and_csv_records_group_by_question(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.csv").write_text(
        "question,author,text\n"
        "Why?,Ann,First answer paragraph one.\n"
        'Why?,Bob,"Second answer, paragraph one.\n\nParagraph two is here."\n'
        "How?,Cid,Another question's answer.\n",
        encoding="utf-8",
    )
    corpus = read_corpus([tmp_path])
    assert [q.title for q in corpus.questions] == ["Why?", "How?"]
    assert [a.author for a in corpus.questions[0].answers] == ["Ann", "Bob"]
    assert len(corpus.questions[0].answers[1].paragraphs) == 2


def test_skip_mode_skips_a_bad_record_and_keeps_the_rest(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text(
        '{"question": "Q", "author": "Ann", "text": "A first answer that is long enough."}\n'
        "{not json\n"
        '{"question": "Q", "author": "Bob", "text": ""}\n'
        '{"question": "Q", "author": "Cid", "text": "A third answer, also long enough."}\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"r\.jsonl:2: not valid JSON"):
        read_corpus([path])
    corpus = read_corpus([path], on_error="skip")
    assert [a.author for a in corpus.questions[0].answers] == ["Ann", "Cid"]
    skipped = [(d.line, d.reason) for d in corpus.dropped]
    assert [line for line, _ in skipped] == [2, 3]
    assert skipped[0][1].startswith("skipped record:")
    assert skipped[1][1] == "empty answer"  # not an error: listed with or without "skip"


def test_optional_record_fields_are_kept_and_lang_wins(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text(
        '{"question": "Q", "question_id": 7, "answer_id": "x1", "author": "Ann", "lang": "en",'
        ' "url": "https://example.org/a", "date": "2018-06-20", "label": "politics",'
        ' "text": "Sanctions on Russia were extended again this week."}\n',
        encoding="utf-8",
    )
    corpus = read_corpus([path])
    question = corpus.questions[0]
    answer = question.answers[0]
    assert question.source_id == "7"
    assert (answer.source_id, answer.url, answer.date, answer.label) == (
        "x1",
        "https://example.org/a",
        "2018-06-20",
        "politics",
    )
    assert answer.paragraphs[0].language == "en"


def test_the_stage_cache_keeps_every_field_of_the_corpus(tmp_path):
    records = tmp_path / "r.jsonl"
    records.write_text(
        '{"question": "Q", "question_id": 7, "answer_id": "x1", "author": "Ann", "lang": "en",'
        ' "url": "https://example.org/a", "date": "2018-06-20", "label": "politics",'
        ' "text": "Sanctions on Russia were extended again this week."}\n'
        '{"question": "Q", "author": "Bob", "text": "   "}\n',
        encoding="utf-8",
    )
    corpus = read_corpus([records, SAMPLE])
    assert corpus.dropped and corpus.files and corpus.questions[0].answers[0].label == "politics"
    folder = tmp_path / "stage"
    folder.mkdir()
    corpus.save(folder)
    assert Corpus.load(folder) == corpus
    assert json.loads((folder / "corpus.json").read_text("utf-8")) == asdict(corpus)
    # The stage key of a corpus given in memory: the same as before it was computed faster.
    state = json.dumps(asdict(corpus), ensure_ascii=False, sort_keys=True)
    assert corpus.digest() == hashlib.sha256(state.encode("utf-8")).hexdigest()


def test_paragraph_longer_than_the_model_window_is_split_at_sentence_ends(tmp_path):
    from themescope.corpus.clean import estimate_tokens
    from themescope.corpus.qa_text import MODEL_WINDOW_TOKENS

    sentence = "美國對俄羅斯的制裁最近是在六月十一號,這意味著和西方的對抗將會繼續。"
    long_paragraph = sentence * 40
    page = tmp_path / "long.txt"
    page.write_text(f"問題?\n\n作者甲\n\n第一段很短但超過十個字。\n\n{long_paragraph}\n", encoding="utf-8")
    answer = read_corpus([page]).questions[0].answers[0]
    chunks = answer.paragraphs[1:]
    assert len(chunks) >= 2
    assert "".join(c.text for c in chunks) == long_paragraph
    assert all(c.text.endswith("。") for c in chunks)
    assert all(estimate_tokens(c.text) <= MODEL_WINDOW_TOKENS for c in chunks)
    assert {c.position for c in chunks} == {1}
    assert [c.id for c in chunks][:2] == ["q1-a1-p2.1", "q1-a1-p2.2"]


def test_globs_gzip_json_tsv_and_many_pages_stay_apart(tmp_path, sample_text):
    import gzip
    import json

    (tmp_path / "page1.txt.gz").write_bytes(gzip.compress(sample_text.encode()))
    (tmp_path / "page2.txt").write_text(
        "Another question?\n\nAnn\n\nPhoto: a caption that goes\n\nThe first answer paragraph.\n",
        encoding="utf-8",
    )
    (tmp_path / "more.json").write_text(
        json.dumps([{"question": "Third?", "author": "Bob", "text": "An answer in a JSON list."}]),
        encoding="utf-8",
    )
    (tmp_path / "rows.tsv").write_text(
        "question\tauthor\ttext\nFourth?\tCid\tAn answer in a TSV row.\n", encoding="utf-8"
    )
    corpus = read_corpus([tmp_path / "*.txt*", tmp_path / "more.json", tmp_path / "rows.tsv"])
    titles = [q.title for q in corpus.questions]
    assert titles == [
        "美國急於同俄羅斯恢復關係嗎,背後原因是什麼?",
        "Another question?",
        "Third?",
        "Fourth?",
    ]
    assert len({q.id for q in corpus.questions}) == 4
    assert [f.format for f in corpus.files] == ["qa-text", "qa-text", "json", "tsv"]
    assert any(d.reason == "image caption" and d.text.startswith("Photo:") for d in corpus.dropped)


def test_exact_duplicates_are_flagged(tmp_path):
    path = tmp_path / "d.jsonl"
    line = '{"question": "Q", "author": "%s", "text": "The very same paragraph, copied."}\n'
    path.write_text(line % "Ann" + line % "Bob", encoding="utf-8")
    first, second = read_corpus([path]).paragraphs()
    assert first.duplicate_of is None and second.duplicate_of == first.id


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("金星(或月球)之所以有盈虧,是因為僅有面向太陽的那一面被照亮。\n\n第二段。", "big5"),
        ("滑雪自由行:这项活动也叫越野滑雪、滑雪旅行或徒步滑雪。", "gb18030"),
        ("拉克辛也獻上 56 饗聖歌。歌手拉朱坎德", "big5"),
        # Short pages in other languages' legacy encodings: each was read as another one
        # (German and Japanese as GB18030, French as Central European: "Lefčvre").
        ("Sanktionen\n\nJürgen\n\nIch glaube, die Sanktionen schaden der Wirtschaft sehr.\n", "latin-1"),
        (
            "Les sanctions\n\nJérôme Lefèvre\n\nJe pense que ça ne marchera pas, même à long terme.\n",
            "cp1252",
        ),
        (
            "Sankcje\n\nJan Kowalski\n\nMyślę, że sankcje nie zmienią polityki Rosji.\n",
            "cp1250",
        ),
        (
            "Sankce\n\nPetr Novák\n\nMyslím, že sankce nezmění ruskou politiku příliš.\n",
            "cp1250",
        ),
        ("日露関係\n\n山田\n\n制裁はロシアに影響しないと思う。\n", "shift_jis"),
        ("日露関係\n\n山田\n\n制裁はロシアに影響しないと思う。\n", "euc_jp"),
        ("Санкции\n\nИван\n\nЯ думаю, санкции не помогут.\n", "koi8_r"),
        ("Санкции\n\nИван\n\nЯ думаю, санкции не помогут.\n", "cp1251"),
        ("Κυρώσεις\n\nΓιάννης\n\nΝομίζω ότι οι κυρώσεις δεν θα αλλάξουν τίποτα.\n", "cp1253"),
        ("제재\n\n김철수\n\n저는 제재가 러시아의 정책을 바꾸지 못할 것이라고 생각합니다.\n", "cp949"),
    ],
)
def test_short_legacy_pages_decode_right(text, encoding):
    from themescope.corpus.encoding import decode

    decoded, _ = decode(text.encode(encoding), "page.txt")
    assert decoded == text


def test_a_utf8_page_with_a_stray_byte_stays_utf8_and_names_the_line(sample_text):
    from themescope.corpus.encoding import decode

    data = sample_text.encode("utf-8")
    at = data.index(b"\n", 5000)
    damaged = data[:at] + b" Lef\xe8vre" + data[at:]  # one Latin-1 byte in a UTF-8 file
    text, encoding = decode(damaged, "page.txt")
    line = sample_text.encode()[:at].count(b"\n") + 1
    assert encoding.startswith("utf-8 (1 invalid byte") and f"line {line}" in encoding
    assert text.replace(" Lef\ufffdvre", "") == sample_text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "question,author,text\nQ,Alice,Sanctions hurt the economy, and prices keep rising.\n",
            "x.csv:2: 1 more cell(s) than the header has",
        ),
        ("question,author,text,text\nQ,Alice,a text long enough,b\n", "x.csv:1: column 'text' appears twice"),
        (
            'question,author,text\nQ,Alice,"a quote never closed\nQ,Bob,a row it would swallow\n',
            "x.csv:2: malformed row",
        ),
    ],
)
def test_csv_rows_that_would_lose_or_merge_text_are_refused(tmp_path, content, message):
    (tmp_path / "x.csv").write_text(content, "utf-8")
    with pytest.raises(InputError, match=re.escape(message)):
        read_corpus([tmp_path / "x.csv"])


def test_an_unpaired_surrogate_escape_is_a_bad_record(tmp_path):
    good = '{"question": "Q", "author": "A", "text": "A paragraph that is fine to read."}'
    bad = '{"question": "Q", "author": "B", "text": "Half a pair \\ud800 here, long enough."}'
    (tmp_path / "x.jsonl").write_text(f"{good}\n{bad}\n", "utf-8")
    with pytest.raises(InputError, match=r"x.jsonl:2: 'text' holds an unpaired surrogate"):
        read_corpus([tmp_path / "x.jsonl"])
    corpus = read_corpus([tmp_path / "x.jsonl"], on_error="skip")
    assert [a.author for q in corpus.questions for a in q.answers] == ["A"]
    assert "x.jsonl:2" in corpus.dropped[0].reason


def test_text_before_the_first_author_is_listed_not_lost(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(
        "Title?\n\nWhat the asker wrote before any answer, a long line.\n\n"
        "Alice\n\nSanctions against Russia hurt the economy and raise prices.\n",
        "utf-8",
    )
    corpus = read_corpus([page])
    assert [p.text for p in corpus.paragraphs()] == [
        "Sanctions against Russia hurt the economy and raise prices."
    ]
    assert corpus.questions[0].body.startswith("What the asker wrote")
    assert [(d.line, d.reason.split(":")[0]) for d in corpus.dropped] == [(3, "before the first author line")]


def test_a_folder_lists_what_it_does_not_read_and_skips_earlier_runs(tmp_path, sample_text):
    (tmp_path / "page.txt").write_text(sample_text, "utf-8")
    (tmp_path / "notes.html").write_text("<p>not an input</p>", "utf-8")
    (tmp_path / ".hidden.txt").write_text(sample_text, "utf-8")
    run = tmp_path / "runs" / "default"
    run.mkdir(parents=True)
    (run / "manifest.json").write_text('{"themescope_version": "0.1.0"}', "utf-8")
    (run / "paragraphs.csv").write_text("paragraph_id,text\nq1-a1-p1,some text\n", "utf-8")
    corpus = read_corpus([tmp_path])
    assert [f.path for f in corpus.files] == [str(tmp_path / "page.txt")]
    skipped = {d.source: d.reason for d in corpus.dropped if d.reason.startswith("skipped")}
    assert skipped == {
        str(run): "skipped folder: a themescope run's output",
        str(tmp_path / "notes.html"): "skipped file: not an input type themescope reads (.html)",
        str(tmp_path / ".hidden.txt"): "skipped file: hidden",
    }


def test_the_same_file_named_twice_is_read_once(tmp_path, sample_text):
    (tmp_path / "page.txt").write_text(sample_text, "utf-8")
    (tmp_path / "link.txt").symlink_to(tmp_path / "page.txt")
    corpus = read_corpus([tmp_path / "page.txt", tmp_path / "link.txt", str(tmp_path / "page.txt")])
    assert len(corpus.files) == 1


def test_a_record_of_invisible_characters_is_listed_not_lost(tmp_path):
    records = [
        '{"question": "Q", "author": "A", "text": "\\u200b\\u200b\\u200b"}',
        '{"question": "Q", "author": "B", "text": "\\u2060\\u2060\\u2060\\u2060\\u2060\\u2060"}',
        '{"question": "Q", "author": "C", "text": "\\u2060A visible paragraph of text here.\\u200e"}',
    ]
    (tmp_path / "x.jsonl").write_text("\n".join(records) + "\n", "utf-8")
    corpus = read_corpus([tmp_path / "x.jsonl"])
    assert [p.text for p in corpus.paragraphs()] == ["A visible paragraph of text here."]
    assert [(d.line, d.reason) for d in corpus.dropped] == [(1, "no visible text"), (2, "no visible text")]


def test_a_very_long_line_is_split_in_linear_time(monkeypatch):
    """A 300,000-character line without a sentence end took 25 s: the token estimate read the
    whole rest of the line at each cut. The work is counted, not timed: the characters the
    estimate reads grow as the line does, a bounded number per character (bench/split_long.py
    times it)."""
    from themescope.corpus import clean

    estimate, read = clean.estimate_tokens, []

    def counted(text: str) -> int:
        read.append(len(text))
        return estimate(text)

    monkeypatch.setattr(clean, "estimate_tokens", counted)
    per_character = {}
    for repeats in (3_000, 12_000):  # 30,000 and 120,000 characters
        line = "美國對俄羅斯實施制裁" * repeats
        read.clear()
        pieces = clean.split_long(line, 400)
        assert "".join(pieces) == line and max(map(estimate, pieces)) <= 400
        per_character[len(line)] = sum(read) / len(line)
    small, large = per_character.values()
    assert large < 1.1 * small and large < 50, per_character  # quadratic: 4 times as much


def test_a_badly_quoted_csv_row_is_that_rows_error_and_lines_count_blank_lines(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(
        'question,author,text\n\nq,a,"Yes" he said\n\nq,b,a fine text that is long enough\n', "utf-8"
    )
    with pytest.raises(InputError, match=re.escape("x.csv:3: malformed row")):
        read_corpus([path])
    corpus = read_corpus([path], on_error="skip")
    assert [(p.text, p.line) for p in corpus.paragraphs()] == [("a fine text that is long enough", 5)]


def test_english_utf8_with_one_stray_byte_stays_utf8():
    from themescope.corpus.encoding import decode

    text = "Title\n\nAnn\n\nI don’t think it’s over; they’re “testing” us, and it won’t stop.\n"
    damaged = text.encode("utf-8").replace(b"over", b"ov\xe9r")
    decoded, encoding = decode(damaged, "page.txt")
    assert encoding.startswith("utf-8 (1 invalid") and "line 5" in encoding
    assert decoded == text.replace("over", "ov\ufffdr")
