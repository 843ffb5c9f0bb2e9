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
