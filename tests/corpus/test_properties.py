"""Arbitrary bytes and arbitrary records: a parse or a one-line InputError, never anything else."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from themescope.corpus import read_corpus
from themescope.errors import InputError

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _parse_or_input_error(path):
    try:
        corpus = read_corpus([path])
    except InputError as exc:
        assert len(exc.lines) == 1 and str(path) in exc.lines[0]
        return
    assert corpus.paragraphs()


@SETTINGS
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes(tmp_path, data):
    path = tmp_path / "page.txt"
    path.write_bytes(data)
    _parse_or_input_error(path)


@SETTINGS
@given(text=st.text(max_size=800))
def test_arbitrary_text_pages(tmp_path, text):
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    _parse_or_input_error(path)


_values = st.one_of(
    st.none(),
    st.text(max_size=60),
    st.integers(),
    st.floats(allow_nan=False),
    st.lists(st.text(max_size=5), max_size=3),
)


@SETTINGS
@given(
    records=st.lists(
        st.dictionaries(st.sampled_from(["question", "author", "text", "x"]), _values), max_size=6
    )
)
def test_arbitrary_jsonl_records(tmp_path, records):
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    _parse_or_input_error(path)


@SETTINGS
@given(text=st.text(max_size=600))
def test_arbitrary_csv(tmp_path, text):
    path = tmp_path / "rows.csv"
    path.write_text("question,author,text\n" + text, encoding="utf-8")
    _parse_or_input_error(path)


_WORDS = st.sampled_from(["sanctions", "alliance", "a", "pipeline", "troops", "election", "Москва", "x"])


@SETTINGS
@given(words=st.lists(_WORDS, min_size=1, max_size=300), max_tokens=st.integers(4, 60))
def test_long_spaced_text_is_cut_only_between_words(words, max_tokens):
    """clean.split_long without sentence ends: the pieces joined by spaces are the text, every
    piece holds whole words and fits the window (each word fits it: 4 estimated tokens)."""
    from themescope.corpus.clean import estimate_tokens, split_long

    text = " ".join(words)
    pieces = split_long(text, max_tokens)
    assert " ".join(pieces) == text
    assert all(set(piece.split()) <= set(words) for piece in pieces)
    assert all(estimate_tokens(piece) <= max_tokens for piece in pieces)


@SETTINGS
@given(
    words=st.lists(
        st.sampled_from(["美國", "和", "俄羅斯", "的", "關係", "制裁", "日本の", "首相"]), max_size=200
    ),
    max_tokens=st.integers(3, 60),
)
def test_long_cjk_text_loses_and_repeats_no_character(words, max_tokens):
    """The same in Chinese, and Japanese (kana), cut by the segmenters: every character once,
    in order, every piece in the window."""
    from themescope.corpus.clean import estimate_tokens, split_long

    text = "".join(words)
    pieces = split_long(text, max_tokens) if text else []
    assert "".join(pieces) == text
    assert all(estimate_tokens(piece) <= max_tokens for piece in pieces)
