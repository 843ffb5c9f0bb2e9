import pytest

from themescope.corpus import read_corpus
from themescope.corpus.language import detect_language
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
