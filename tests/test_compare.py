"""themescope compare on small hand-written run directories (no pipeline, so it is fast)."""

from __future__ import annotations

import csv
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from themescope.compare import compare_runs
from themescope.compare_view import format_text, render_html
from themescope.errors import InputError

from .conftest import run_cli

TEXTS = [
    "美國對俄羅斯的制裁最近是在6月11號,短期內不會取消。",
    "The sanctions will stay in place as long as the war goes on.",
    "制裁的目的,是削弱俄羅斯的經濟與軍事實力。",
    "北約東擴讓俄羅斯感到了戰略上的壓力。",
    "NATO allies in Europe want Washington to stay engaged.",
    "歐洲盟友擔心美國會撇開他們與俄羅斯單獨談判。",
    "美國的亞太戰略,重點在於圍堵中國。",
    "The Indo-Pacific strategy is about containing China, not Russia.",
    "印太地區的盟友希望美國把更多資源放在亞洲。",
    "赫爾辛基的雙普會沒有談出什麼實質性的結果。",
    "The Helsinki summit produced no agreement on Syria.",
    "參議員們在峰會之後批評了特朗普的表態。",
]
LABELS = {0: "制裁 · 經濟", 1: "北約 · 盟友", 2: "亞太 · 印太", 3: "峰會 · 赫爾辛基", 4: "新話題"}
COLUMNS = "paragraph_id,question_id,answer_id,author,position,heading,language,text,topic,topic_label"
COLUMNS += ",probability,x,y"


def write_run(
    folder: Path,
    topics: list[int],
    labels: dict[int, str] = LABELS,
    ids: list[str] | None = None,
    texts: list[str] | None = None,
    metrics: dict | None = None,
    title: str = "美國急於同俄羅斯恢復關係嗎?",
) -> Path:
    """A run directory as `themescope run` writes it: paragraphs.csv, topics.json, manifest.json."""
    folder.mkdir(parents=True)
    texts = texts or TEXTS[: len(topics)]
    ids = ids or [f"q1-a{i // 3 + 1}-p{i % 3 + 1}" for i in range(len(topics))]
    with (folder / "paragraphs.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS.split(","))
        for i, (pid, text, topic) in enumerate(zip(ids, texts, topics, strict=True)):
            label = labels.get(topic, "") if topic != -1 else ""
            lang = "en" if text.isascii() else "zh-Hant"
            answer = pid.rsplit("-", 1)[0]
            writer.writerow([pid, "q1", answer, "作者", i % 3, "", lang, text, topic, label, 0.9, 0.1, 0.2])
    present = sorted(set(topics) - {-1})
    doc = {
        "topics": [
            {
                "id": t,
                "label": labels[t],
                "size": topics.count(t),
                "keywords": [[w, 0.5] for w in labels[t].split(" · ")],
                "representative": [ids[topics.index(t)]],
                "guided_theme": None,
            }
            for t in present
        ],
        "outlier_share": topics.count(-1) / len(topics),
        "reassigned_outliers": 0,
        "similarity": [[1.0 if i == j else 0.1 for j in present] for i in present],
        "metrics": metrics
        if metrics is not None
        else {"n_topics": len(present), "outlier_share": round(topics.count(-1) / len(topics), 4)},
    }
    (folder / "topics.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    manifest = {"title": title, "created": "2026-11-26T22:44:00+00:00", "config": {}, "counts": {}}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return folder


def kinds(c) -> list[tuple[str, tuple[int, ...], tuple[int, ...]]]:
    return [(change.kind, change.a, change.b) for change in c.changes]


def test_identical_runs_are_all_matched_with_nothing_moved(tmp_path):
    topics = [0, 0, 0, 1, 1, 1, 2, 2, 2, -1, 3, 3]
    a = write_run(tmp_path / "a", topics, metrics={"n_topics": 4, "silhouette": 0.05, "npmi": -0.12})
    c = compare_runs(
        a, write_run(tmp_path / "b", topics, metrics={"n_topics": 4, "silhouette": 0.05, "npmi": -0.12})
    )
    assert kinds(c) == [("matched", (t,), (t,)) for t in range(4)]
    assert (c.moved, c.became_outliers, c.left_outliers) == ([], [], [])
    assert (c.shared, c.only_a, c.only_b, c.stayed) == (12, [], [], 12)
    assert [(m.name, m.delta) for m in c.metrics] == [("n_topics", 0), ("npmi", 0), ("silhouette", 0)]
    assert all(x.jaccard == 1.0 and x.share_of_a == 1.0 for x in c.best)
    text = format_text(c)
    assert "matched  A0 制裁 · 經濟 (3) -> B0 制裁 · 經濟 (3)" in text
    assert "0 moved to another topic, 0 became outliers, 0 left the outliers, 12 stayed" in text


def test_a_topic_split_in_two(tmp_path):
    a = write_run(tmp_path / "a", [0, 0, 0, 0, 0, 0, 1, 1, 1])
    b = write_run(tmp_path / "b", [0, 0, 0, 4, 4, 4, 1, 1, 1])
    c = compare_runs(a, b)
    assert kinds(c) == [("matched", (1,), (1,)), ("split", (0,), (0, 4))]
    assert [x.share_of_a for x in c.of_kind("split")[0].links] == [0.5, 0.5]
    assert c.moved == []  # going to a split's parts is not moving
    assert (
        "split    A0 制裁 · 經濟 (6) -> B0 制裁 · 經濟 (3), B4 新話題 (3)  (50% to B0, 50% to B4)"
        in format_text(c)
    )


def test_a_quarter_is_enough_to_split_off(tmp_path):
    # A0 keeps 3 of 4 in B0, but its fourth (25 %) joins A1 in B1: a split, not a match.
    a = write_run(tmp_path / "a", [0, 0, 0, 0, 1, 1, 1])
    b = write_run(tmp_path / "b", [0, 0, 0, 1, 1, 1, 1])
    c = compare_runs(a, b)
    assert kinds(c) == [("matched", (1,), (1,)), ("split", (0,), (0, 1))]
    assert c.moved == []


def test_two_topics_merged_into_one(tmp_path):
    # A0 sends 60 % to B0 (20 % to B2, 20 % to the outliers), A1 all of it: merged into B0.
    a = write_run(tmp_path / "a", [0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2])
    b = write_run(tmp_path / "b", [0, 0, 0, 2, -1, 0, 0, 0, 2, 2, 2])
    c = compare_runs(a, b)
    assert kinds(c) == [("matched", (2,), (2,)), ("merged", (0, 1), (0,))]
    assert [x.share_of_a for x in c.of_kind("merged")[0].links] == [0.6, 1.0]
    assert [(m.key, m.a, m.b) for m in c.moved] == [("q1-a2-p1", 0, 2)]
    assert [m.key for m in c.became_outliers] == ["q1-a2-p2"]
    assert (
        "merged   A0 制裁 · 經濟 (5), A1 北約 · 盟友 (3) -> B0 制裁 · 經濟 (6)  (60% of A0, 100% of A1)"
        in format_text(c)
    )


def test_a_topic_that_keeps_under_half_of_its_b_topic_is_only_partial(tmp_path):
    # All of A0 is in B0, but B0 is mostly former outliers: not the same topic.
    a = write_run(tmp_path / "a", [0, 0, -1, -1, -1])
    b = write_run(tmp_path / "b", [0, 0, 0, 0, 0])
    c = compare_runs(a, b)
    assert kinds(c) == [("partial", (0,), (0,))]
    assert len(c.left_outliers) == 3 and c.moved == []
    assert "(100% of A, 40% of B)" in format_text(c)


def test_removed_and_added_topics_and_outlier_moves(tmp_path):
    # A2 becomes outliers (removed); B3 is made of A's outliers (added).
    a = write_run(tmp_path / "a", [0, 0, 0, 1, 1, 1, 2, 2, 2, -1, -1, -1])
    b = write_run(tmp_path / "b", [0, 0, 0, 1, 1, 1, -1, -1, -1, 3, 3, 3])
    c = compare_runs(a, b)
    assert kinds(c) == [
        ("matched", (0,), (0,)),
        ("matched", (1,), (1,)),
        ("removed", (2,), ()),
        ("added", (), (3,)),
    ]
    assert [(m.key, m.a, m.b) for m in c.became_outliers] == [(f"q1-a3-p{i}", 2, -1) for i in (1, 2, 3)]
    assert [(m.key, m.a, m.b) for m in c.left_outliers] == [(f"q1-a4-p{i}", -1, 3) for i in (1, 2, 3)]
    assert c.moved == []
    text = format_text(c)
    assert "removed  A2 亞太 · 印太 (3)  (100% became outliers)" in text
    assert "added    B3 峰會 · 赫爾辛基 (3)  (100% were outliers in A)" in text
    assert "0 moved to another topic, 3 became outliers, 3 left the outliers, 6 stayed" in text


def test_a_topic_scattered_below_the_split_share_is_removed(tmp_path):
    # A2's five paragraphs: one to B0, one to B1 (20 % each), three to the outliers.
    a = write_run(tmp_path / "a", [0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2])
    b = write_run(tmp_path / "b", [0, 0, 0, 1, 1, 1, 0, 1, -1, -1, -1])
    c = compare_runs(a, b)
    assert kinds(c) == [("matched", (0,), (0,)), ("matched", (1,), (1,)), ("removed", (2,), ())]
    assert [(m.key, m.a, m.b) for m in c.moved] == [("q1-a3-p1", 2, 0), ("q1-a3-p2", 2, 1)]
    assert len(c.became_outliers) == 3
    assert "removed  A2 亞太 · 印太 (5)  (60% became outliers)" in format_text(c)


def test_partial_topic_and_paragraphs_moved_outside_the_mapping(tmp_path):
    # A0 keeps 4 of 5 in B0 (its fifth lands in B1: moved). A2 sends 40 % to B0, 20 % to B1
    # and 40 % to the outliers: one B topic takes >= 25 %, but it is neither a match nor a merge.
    a = write_run(tmp_path / "a", [0, 0, 0, 0, 0, 1, 1, 2, 2, 2, 2, 2])
    b = write_run(tmp_path / "b", [0, 0, 0, 0, 1, 1, 1, 0, 0, 1, -1, -1])
    c = compare_runs(a, b)
    assert kinds(c) == [("matched", (0,), (0,)), ("matched", (1,), (1,)), ("partial", (2,), (0,))]
    assert [(m.key, m.a, m.b) for m in c.moved] == [("q1-a2-p2", 0, 1), ("q1-a4-p1", 2, 1)]
    assert [m.key for m in c.became_outliers] == ["q1-a4-p2", "q1-a4-p3"]
    partial = c.of_kind("partial")[0].links[0]
    assert (partial.count, partial.share_of_a, round(partial.share_of_b, 3)) == (2, 0.4, 0.333)
    assert "partial  A2 亞太 · 印太 (5) -> B0 制裁 · 經濟 (6)  (40% of A, 33% of B)" in format_text(c)
    best = {x.a: (x.b, x.count) for x in c.best}
    assert best == {0: (0, 4), 1: (1, 2), 2: (0, 2)}


def test_ids_that_do_not_overlap_are_paired_by_text(tmp_path):
    topics = [0, 0, 0, 1, 1, 1]
    a = write_run(tmp_path / "a", topics)
    # new ids, and the paragraphs in another order: pairing must follow the text
    order = [3, 4, 5, 0, 1, 2]
    b = write_run(
        tmp_path / "b",
        [1, 1, 1, 0, 0, 0],
        ids=[f"q7-a1-p{i}" for i in range(6)],
        texts=["  " + TEXTS[i] + "\n" if i == 1 else TEXTS[i] for i in order],
    )
    c = compare_runs(a, b)
    assert c.paired_by == {"text": 6}
    assert (c.shared, c.only_a, c.only_b) == (6, [], [])
    assert kinds(c) == [("matched", (0,), (0,)), ("matched", (1,), (1,))]
    summary = "paragraphs compared: 6 (6 same text under another id); only in A: 0, only in B: 0"
    assert summary in format_text(c)


def test_texts_with_unusual_line_separators_are_read_whole(tmp_path):
    texts = ["第一行\u2028第二行", "one\x85two\x0cthree", "換行\r\n之後", TEXTS[3]]
    a = write_run(tmp_path / "a", [0, 0, 1, 1], texts=texts)
    b = write_run(tmp_path / "b", [0, 0, 1, 1], texts=texts, ids=list("wxyz"))
    c = compare_runs(a, b)
    assert [p.text for p in c.a.paragraphs] == texts
    assert c.paired_by == {"text": 4}


def test_renumbered_ids_follow_the_text(tmp_path):
    # B dropped A's second paragraph (say, a higher min_chars): the ids after it shift by one,
    # so pairing by id alone would pair A's p3 with B's p2, which is A's p3 under another id.
    a = write_run(tmp_path / "a", [0, 0, 0, 1, 1, 1])
    b = write_run(tmp_path / "b", [0, 0, 1, 1, 1], texts=[TEXTS[i] for i in (0, 2, 3, 4, 5)])
    c = compare_runs(a, b)
    assert c.paired_by == {"id and text": 1, "text": 4}
    assert c.only_a == ["q1-a1-p2"] and c.only_b == []
    assert kinds(c) == [("matched", (0,), (0,)), ("matched", (1,), (1,))]
    assert (c.moved, c.text_differs) == ([], 0)


def test_repeated_texts_are_all_paired_and_unpaired_paragraphs_are_counted(tmp_path):
    texts = ["謝謝邀請。", "謝謝邀請。", TEXTS[0], TEXTS[1]]
    a = write_run(tmp_path / "a", [0, 0, 1, 1], texts=texts)
    b = write_run(tmp_path / "b", [0, 0, 1, 0, 0], texts=[*texts[:3], TEXTS[5], TEXTS[6]], ids=list("vwxyz"))
    c = compare_runs(a, b)
    assert c.shared == 3
    assert c.only_a == ["q1-a2-p1"] and c.only_b == ["y", "z"]
    assert "only in A: 1, only in B: 2" in format_text(c)


def test_same_ids_with_other_text_are_flagged(tmp_path):
    a = write_run(tmp_path / "a", [0, 0, 1, 1])
    b = write_run(tmp_path / "b", [0, 0, 1, 1], texts=[TEXTS[0], TEXTS[9], TEXTS[2], TEXTS[3]])
    c = compare_runs(a, b)
    assert c.paired_by == {"id and text": 3, "id": 1} and c.text_differs == 1
    assert c.only_a == c.only_b == []
    assert "note: 1 paragraphs were paired by id alone; their text changed" in format_text(c)


def test_metric_deltas_are_numbers_present_in_both(tmp_path):
    a = write_run(
        tmp_path / "a", [0, 0, 1, 1], metrics={"n_topics": 2, "silhouette": 0.25, "only_a": 1, "flag": True}
    )
    b = write_run(
        tmp_path / "b", [0, 0, 1, 1], metrics={"n_topics": 3, "silhouette": None, "flag": False, "x": "y"}
    )
    c = compare_runs(a, b)
    assert [(m.name, m.a, m.b, m.delta) for m in c.metrics] == [("n_topics", 2, 3, 1)]
    assert "n_topics  2 -> 3  (+1)" in format_text(c)


def test_runs_without_topics(tmp_path):
    a = write_run(tmp_path / "a", [-1, -1, -1])
    b = write_run(tmp_path / "b", [-1, -1, -1])
    c = compare_runs(a, b)
    assert c.changes == [] and c.best == []
    assert "no topics in either run" in format_text(c)
    assert "No topics in either run" in render_html(c)
    c = compare_runs(a, write_run(tmp_path / "c", [0, 0, -1]))
    assert kinds(c) == [("added", (), (0,))] and len(c.left_outliers) == 2
    assert "added" in render_html(c)
    assert kinds(compare_runs(tmp_path / "c", a)) == [("removed", (0,), ())]


HOSTILE = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "h1",
    "h2",
    "h3",
    "table",
    "tr",
    "th",
    "td",
    "p",
    "br",
}
TAGS |= {"strong"}
ATTRIBUTES = {"lang", "charset", "http-equiv", "content", "name", "class", "title", "colspan"}


class Markup(HTMLParser):
    """The tags, attribute names and text of a page, as a browser would parse them."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags, self.attributes, self.texts = set(), set(), []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes |= {name for name, _ in attrs}
        self.texts += [value for _, value in attrs if value]

    def handle_data(self, data):
        self.texts.append(data)


def test_html_escapes_every_untrusted_string_and_loads_nothing(tmp_path):
    labels = {0: HOSTILE, 1: IMG}
    texts = [HOSTILE + " 正文", "二", "三", "<iframe src=//evil.example> & <style>body{}</style>", "五", "六"]
    ids = ["q1-a1-p1", "q1-a1-p2", "q1-a1-p3", "q1-a2-p1", "q1-a2-p2", "<b>"]
    title = "</title><SCRIPT>x()</SCRIPT>"
    a = write_run(tmp_path / "a", [0, 0, 0, 1, 1, 1], labels=labels, texts=texts, title=title)
    b = write_run(tmp_path / "b", [-1, 0, 0, -1, 1, 1], labels=labels, texts=[*texts[:5], "七"], ids=ids)
    page = render_html(compare_runs(a, b))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert not re.search(r"<\s*(script|img|iframe|b\b)", page, re.IGNORECASE)
    assert "only in A: 1, only in B: 1" in page
    assert page.count("<style>") == 1 and "&lt;iframe src=//evil.example&gt;" in page
    csp = "default-src 'none'; style-src 'unsafe-inline'"
    assert f'<meta http-equiv="Content-Security-Policy" content="{csp}">' in page
    parsed = Markup(page)
    assert parsed.tags <= TAGS and parsed.attributes <= ATTRIBUTES  # no script, src, href, on*
    text = "".join(parsed.texts)
    for untrusted in (HOSTILE, IMG, title, "<b>", texts[3]):
        assert untrusted in text  # shown as text, whole
    assert not re.search(r"url\(|@import|https?:", page)


def test_html_shows_changes_contingency_and_moves(tmp_path):
    a = write_run(tmp_path / "a", [0, 0, 0, 0, 0, 1, 1, 1, -1])
    b = write_run(tmp_path / "b", [0, 0, 0, 0, 1, 1, 1, 1, 0])
    page = render_html(compare_runs(a, b))
    assert page.count('<td class="kind matched">matched</td>') == 2
    assert "q1-a2-p2" in page and "q1-a3-p3" in page  # one moved, one left the outliers
    assert "<h3>Moved to another topic: 1</h3>" in page and "<h3>Left the outliers: 1</h3>" in page
    assert re.search(r"<th[^>]*>A0 制裁 · 經濟</th>\s*<td[^>]*>4</td><td[^>]*>1</td><td[^>]*>0</td>", page)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: (d / "paragraphs.csv").unlink(), r"not a themescope run directory \(no paragraphs.csv\)"),
        (lambda d: (d / "topics.json").unlink(), r"not a themescope run directory \(no topics.json\)"),
        (lambda d: (d / "topics.json").write_text("{", "utf-8"), r"topics.json:1: not valid JSON"),
        (lambda d: (d / "topics.json").write_text("[]", "utf-8"), r"expected a JSON object"),
        (
            lambda d: (d / "topics.json").write_text('{"topics": [{"label": "x"}]}', "utf-8"),
            r"topics.json: topics.0.id not as a run writes it: Field required",
        ),
        (
            lambda d: (d / "topics.json").write_text('{"topics": [{"id": "1"}]}', "utf-8"),
            r"topics.json: topics.0.id not as a run writes it: a topic has no whole-number 'id'",
        ),
        (
            lambda d: (d / "paragraphs.csv").write_text("paragraph_id,text\np1,x\n", "utf-8"),
            "no column topic",
        ),
        (
            lambda d: (d / "paragraphs.csv").write_text("paragraph_id,text,topic\np1,x,one\n", "utf-8"),
            ":2: topic 'one'",
        ),
        (
            lambda d: (d / "paragraphs.csv").write_text("paragraph_id,text,topic\np1,x,1\np1,y,1\n", "utf-8"),
            "twice",
        ),
        (
            lambda d: (d / "paragraphs.csv").write_bytes(b"paragraph_id,text,topic\np1,\xff\xfe,1\n"),
            "not UTF-8",
        ),
    ],
)
def test_a_broken_run_directory_is_a_one_line_input_error(tmp_path, damage, message):
    good = write_run(tmp_path / "good", [0, 0, 1])
    broken = write_run(tmp_path / "broken", [0, 0, 1])
    damage(broken)
    with pytest.raises(InputError, match=message) as info:
        compare_runs(good, broken)
    assert len(info.value.lines) == 1 and "\n" not in info.value.lines[0]
    assert str(broken) in info.value.lines[0]


def test_missing_run_directory(tmp_path):
    run = write_run(tmp_path / "a", [0, 0, 1])
    with pytest.raises(
        InputError, match=rf"^{re.escape(str(tmp_path / 'nope'))}: not a themescope run directory"
    ):
        compare_runs(tmp_path / "nope", run)
    with pytest.raises(InputError, match=r"\(no paragraphs\.csv\)$"):
        compare_runs(run, tmp_path)  # a directory, but not a run


def test_compare_command(tmp_path):
    a = write_run(tmp_path / "a", [0, 0, 0, 1, 1, 1])
    b = write_run(tmp_path / "b", [0, 0, 0, 0, 0, 0])
    html = tmp_path / "compare.html"
    proc = run_cli("compare", str(a), str(b), "--html", str(html))
    assert proc.returncode == 0, proc.stderr
    assert "merged   A0 制裁 · 經濟 (3), A1 北約 · 盟友 (3) -> B0 制裁 · 經濟 (6)" in proc.stdout
    assert '<td class="kind merged">merged</td>' in html.read_text(encoding="utf-8")
    proc = run_cli("compare", str(tmp_path / "nope"), str(b))
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'nope'}: not a themescope run directory (no paragraphs.csv)"
    ]
