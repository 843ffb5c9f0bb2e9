"""Escaping in every place corpus text reaches: HTML, Plotly hover/labels, embedded JSON."""

import json
import re

import numpy as np
from markupsafe import escape

from themescope.reports.html import CSP, render_report, safe_json
from themescope.runs import Run

PAYLOADS = [
    "</script><script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "<svg onload=window.__pwned=1>",
    '<a href="javascript:window.__pwned=1">click</a>',
]


def _hostile_run():
    rows = [
        {
            "paragraph_id": f"q1-a{i}-p1",
            "question_id": "q1",
            "answer_id": f"q1-a{i}",
            "author": payload,
            "position": 0,
            "heading": payload,
            "language": "en",
            "text": f"Paragraph {i} {payload}",
            "topic": i % 2,
            "topic_label": payload,
            "probability": 1.0,
            "x": float(i),
            "y": float(-i),
        }
        for i, payload in enumerate(PAYLOADS)
    ]
    topics = {
        "topics": [
            {
                "id": t,
                "label": PAYLOADS[t],
                "size": 2,
                "keywords": [[PAYLOADS[t], 0.5], ["ok", 0.1]],
                "representative": [rows[t]["paragraph_id"]],
                "guided_theme": None,
            }
            for t in (0, 1)
        ],
        "outlier_share": 0.0,
        "metrics": {"n_topics": 2},
    }
    manifest = {
        "title": PAYLOADS[0],
        "themescope_version": "test",
        "created": "now",
        "counts": {"questions": 1, "answers": 4, "paragraphs": 4, "dropped": 1},
        "dropped": [{"text": PAYLOADS[1], "reason": "image caption", "source": PAYLOADS[2], "line": 3}],
        "topics": {"reassigned": 0},
        "timings": {"read": 0.1},
        "embeddings": {"model": "m", "cache_hits": 0, "cache_misses": 4, "language_centering": False},
        "versions": {"x": PAYLOADS[3]},
        "config": {"report": {"max_hover_chars": 200}},
    }
    return rows, topics, manifest


def test_no_payload_survives_unescaped():
    html = render_report(Run.from_documents(*_hostile_run()))
    body = html.split("<script>", 1)[0]  # everything before plotly.js
    for tag in ("<img", "<svg", '<a href="javascript', "window.__pwned=1</script>"):
        assert tag not in body
    # Only our own script elements exist: the JSON data blocks, plotly.js and the page code.
    scripts = re.findall(r"<script[^>]*>", html)
    ours = re.compile(
        r'<script>|<script type="application/json" '
        r'id="data-(map|themes|time|questions|keywords|authors|flow|answers|similarity|rows|topics|curation|template|spec)">'
    )
    assert all(ours.fullmatch(tag) for tag in scripts), scripts
    assert f'content="{escape(CSP)}"' in html


def test_embedded_json_cannot_close_the_script_and_round_trips():
    text = json.dumps(PAYLOADS)
    safe = safe_json(PAYLOADS)
    assert "<" not in safe and ">" not in safe and "&" not in safe
    assert json.loads(safe) == json.loads(text)


def test_embedded_json_keeps_every_character_as_itself_and_nan_as_null():
    # plotly's own encoder escaped every non-ASCII character whenever "NaN" or "Infinity"
    # occurred anywhere, as it does by chance in the base64 of a typed array: twice the bytes.
    columns = {
        "text": ["美俄關係 NaN", "Infinity и санкции"],
        "x": {"dtype": "f4", "bdata": "AABNaN+/"},
        "missing": [float("nan"), np.inf, np.float32(-np.inf), np.array([1.5, np.nan])],
    }
    safe = safe_json(columns)
    assert "美俄關係 NaN" in safe and "Infinity и санкции" in safe and "\\u" not in safe
    assert json.loads(safe)["missing"] == [None, None, None, [1.5, None]]
    assert safe_json({"a": ["中文"], "n": np.int64(3)}) == '{"a":["中文"],"n":3}'


def test_plotly_strings_are_html_escaped():
    from themescope.reports.html import build_figures

    rows, topics, manifest = _hostile_run()
    figure = build_figures(Run.from_documents(rows, topics, manifest), ["map"])[
        "map"
    ].to_plotly_json()  # as a notebook has it
    hover_texts = [c for trace in figure["data"] for row in trace["customdata"] for c in row]
    assert any("&lt;img src=x onerror=" in t for t in hover_texts)
    assert not any("<img" in t for t in hover_texts)
    assert all("<" not in trace["name"] for trace in figure["data"])
    # The report's map gets its points, names and hover text in the page (escaped there, as
    # the browser tests check): the file holds the map's layout only, and each text once.
    html = render_report(Run.from_documents(rows, topics, manifest))
    block = json.loads(html.split('id="data-map">', 1)[1].split("</script>", 1)[0])
    assert block["data"] == [] and "<" not in json.dumps(block)
    assert html.count("Paragraph 3 ") == 1  # (not a representative paragraph, shown on a card)


def test_report_embeds_the_smallest_plotly_that_draws_its_figures():
    from themescope.reports.html import plotly_js

    cartesian = plotly_js(frozenset({"scatter", "bar", "heatmap"}))
    assert "plotly.js (cartesian" in cartesian[:300] and len(cartesian) < 2_000_000
    # WebGL without eval (the report's CSP forbids it): the report's own traces alone, or all.
    report = plotly_js(frozenset({"scatter", "scattergl", "bar", "heatmap"}))
    assert "plotly.js (strict - minified, themescope report" in report[:300] and len(report) < 2_000_000
    every = plotly_js(frozenset({"scattergl", "scatter3d"}))
    assert "plotly.js (strict - minified) v4.1.1" in every[:300] and len(every) > 5_000_000
    for bundle in (cartesian, report, every):
        assert "</script" not in bundle.lower()  # inline in the page


def test_authors_alike_in_their_first_characters_keep_their_own_rows():
    """Names cut to 40 characters were the rows' keys: two long names merged into one row, and
    every click below it opened the author one row up."""
    from themescope.reports.figures.answer_flow import answer_flow
    from themescope.reports.figures.authors import topics_by_author

    long = "International Relations Observer of the Far East and Eurasia - column "
    rows = [
        {
            "answer_id": f"q1-a{i}",
            "author": long + letter,
            "topic": i % 2,
            "position": 0,
            "paragraph_id": f"p{i}",
            "text": 'He said "100%{y}"',
        }
        for i, letter in enumerate("AAB")
    ]
    heatmap = topics_by_author(rows, {0: "a", 1: "b"}).data[0]
    assert list(heatmap.y) == [0, 1] and heatmap.meta is None
    figure = topics_by_author(rows, {0: "a", 1: "b"})
    assert figure.layout.meta["authors"] == [long + "A", long + "B"]
    assert len(set(figure.layout.yaxis.ticktext)) == 1  # they read alike; the rows stay apart
    flow = answer_flow(rows, {0: "a", 1: "b"}, 200)
    assert sorted(set(flow.data[0].y)) == [0, 1, 2]
    assert all(label.endswith(f"(q1-a{i})") for i, label in enumerate(flow.layout.yaxis.ticktext))
    hover = flow.data[0].customdata[0][1]
    assert hover == 'He said "100&#37;{y}"'  # quotes shown as they are, no template field


def test_above_max_table_rows_the_page_holds_a_proportional_sample_in_reading_order():
    """A million paragraphs' text would make a 150 MB report: above report.max_table_rows the
    page holds a sample, every topic in proportion, and says so; the figures count them all."""
    rows, topics, manifest = _hostile_run()
    sizes = {0: 450, 1: 120, 2: 30}
    rows = [
        rows[0]
        | {"paragraph_id": f"q1-a{i}-p1", "answer_id": f"q1-a{i}", "text": f"Paragraph {i}", "topic": t}
        for i, t in enumerate(t for t, n in sizes.items() for _ in range(n))
    ]
    topics["topics"].append(topics["topics"][1] | {"id": 2, "representative": ["q1-a599-p1"]})
    manifest["config"]["report"] |= {"max_table_rows": 200, "max_map_points": 100}
    html = render_report(Run.from_documents(rows, topics, manifest))
    columns = json.loads(html.split('id="data-rows">', 1)[1].split("</script>", 1)[0])
    ids = columns["id"]
    numbers = [int(p.split("-a")[1].split("-")[0]) for p in ids]
    assert numbers == sorted(numbers)
    # The answer flow's squares and the cards' examples are looked up in the page's rows.
    block_flow = json.loads(html.split('id="data-flow">', 1)[1].split("</script>", 1)[0])
    pointed_at = set(block_flow["data"][0]["ids"]) | {"q1-a599-p1"}
    assert pointed_at <= set(ids)
    sampled = [i for i, p in zip(numbers, ids, strict=True) if p not in pointed_at]
    by_topic = {t: sum(1 for i in sampled if rows[i]["topic"] == t) for t in sizes}
    expected = {0: 150, 1: 40, 2: 10}
    assert all(abs(by_topic[t] - share) <= len(pointed_at) for t, share in expected.items())
    assert len(ids) <= 202 + len(pointed_at)
    assert f"{len(ids)} of the 600" in re.sub(r"\s+", " ", html)

    # The map draws a sample of the page's rows; the authors' heatmap counts all 600.
    def block(name):
        return json.loads(html.split(f'id="data-{name}">', 1)[1].split("</script>", 1)[0])

    assert "100 of 600 paragraphs" in block("map")["layout"]["title"]["text"]
    assert sum(map(sum, block("authors")["data"][0]["z"])) == 600
    untouched, _, _ = _hostile_run()
    assert 'id="table-sample"' not in render_report(Run.from_documents(untouched, *_hostile_run()[1:]))


def test_cards_and_overview_say_which_topics_persist():
    rows, topics, manifest = _hostile_run()
    topics["topics"][0]["persistence"], topics["topics"][1]["persistence"] = 0.9, 0.2
    topics["persistence"] = {"share_kept": 0.9, "same_topic_jaccard": 0.5, "persists_from": 0.5}
    html = render_report(Run.from_documents(rows, topics, manifest))
    assert html.count("does not persist, read it with care") == 1
    assert "Came back in 90 % of fits" in html and "Came back in 20 % of fits" in html
    assert re.search(r'id="persistent-count">1 of 2<', html)
    # Broad themes list theirs too; their labels, from the pages, stay text.
    topics["broad_themes"] = [
        {"id": 0, "label": PAYLOADS[1], "size": 4, "keywords": [], "representative": [], "level": 0,
         "topics": [0, 1], "persistence": 0.3}
    ]  # fmt: skip
    html = render_report(Run.from_documents(rows, topics, manifest))
    listed = re.search(r'<ul class="persistence" id="broad-persistence">(.*?)</ul>', html, re.S).group(1)
    assert str(escape(PAYLOADS[1])) in listed and "<img" not in listed and "(does not persist)" in listed
    # A run written before persistence was measured shows no such line.
    del topics["persistence"]
    assert "Came back in" not in render_report(Run.from_documents(rows, topics, manifest))


def _with_evidence(topics):
    """The hostile run's topics with the evidence a run gives them: topic 1 of one answer."""
    for t in topics["topics"]:
        t["exemplars"] = [f"q1-a{t['id']}-p1", f"q1-a{t['id'] + 2}-p1"]
        carried = 1 if t["id"] == 1 else 2
        t["answers"] = {"count": carried, "share": carried / 4, "top_share": 1 / carried}
        t["authors"] = {"count": carried, "share": carried / 4, "top_share": 1 / carried}
        t["single_answer"] = carried == 1
    return topics


def test_cards_show_exemplars_and_who_carries_each_topic():
    rows, topics, manifest = _hostile_run()
    html = render_report(Run.from_documents(rows, _with_evidence(topics), manifest))
    cards = re.findall(r'<div class="card".*?</button>', html, re.S)
    assert len(cards) == 2
    # Topic 0: its two exemplars (answers 0 and 2), their authors' and texts' markup as text.
    assert re.findall(r'data-paragraph="([^"]+)"', cards[0]) == ["q1-a0-p1", "q1-a2-p1"]
    assert str(escape(PAYLOADS[2])) in cards[0] and "<svg" not in cards[0]
    assert "Carried by 2 of 4 answers, 2 of 4 authors" in cards[0] and "one-answer" not in cards[0]
    assert "Carried by 1 of 4 answers, 1 of 4 authors" in cards[1] and '<span class="one-answer">' in cards[1]
    # The overview leads with the themes and who carries them; the metrics are in the details.
    overview = html.split('<section id="overview">', 1)[1].split("</section>", 1)[0]
    lead = re.search(r'<p class="lead" id="overview-lead">(.*?)</p>', overview, re.S).group(1)
    assert "2 topics" in lead and "from 4 answers by 4 authors" in lead
    assert "1 topic is carried by one answer alone" in lead
    assert re.search(r'id="single-answer-count">1<', overview)
    support = re.search(
        r'<table class="support-table" id="theme-support">(.*?)</table>', overview, re.S
    ).group(1)
    assert support.index('data-id="0"') < support.index('data-id="1"')  # most answers first
    assert "2 of 4" in support and support.count("one answer") == 1 and "<img" not in support


def test_the_run_details_say_what_each_metric_means():
    rows, topics, manifest = _hostile_run()
    topics["metrics"] |= {"npmi_coherence": -0.261, "topic_diversity": 0.97, "silhouette": 0.0627, "x_y": 2}
    html = render_report(Run.from_documents(rows, topics, manifest))
    overview = html.split('<section id="overview">', 1)[1].split("</section>", 1)[0]
    assert "-0.261" not in overview and "silhouette" not in overview.lower()
    details = html.split('<section id="details">', 1)[1].split("</section>", 1)[0]
    metrics = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", details))
    assert set(metrics) == {
        "NPMI coherence: -0.261",
        "Topic diversity: 0.97",
        "Silhouette: 0.0627",
        "x y: 2",
    }
    assert "from −1 to 1: above 0 they do" in metrics["NPMI coherence: -0.261"]
    assert all(metrics[k] for k in metrics if not k.startswith("x y"))


def test_a_run_written_before_the_evidence_shows_the_nearest_paragraphs():
    rows, topics, manifest = _hostile_run()
    html = render_report(Run.from_documents(rows, topics, manifest))
    assert "Carried by" not in html and "overview-lead" in html and 'id="single-answer-count"' not in html
    assert re.findall(r'data-paragraph="([^"]+)"', html) == ["q1-a0-p1", "q1-a1-p1"]


def test_the_report_reaches_no_network():
    """The page works offline and leaks nothing: no URL it would fetch (script, style, image,
    font, frame), and a CSP that forbids every connection even if one slipped in."""
    html = render_report(Run.from_documents(*_hostile_run()))
    # The markup, scripts' contents left out (plotly.js builds its own "Produced with" link).
    markup = re.sub(r"(?s)(<script[^>]*>).*?</script>", r"\1</script>", html)
    assert len(markup) < len(html) / 10 and 'id="fig-map"' in markup
    fetched = re.findall(
        r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import""", markup
    )
    assert fetched == []
    assert "<iframe" not in markup and "<link" not in markup and "<base" not in markup
    policy = dict(part.strip().split(" ", 1) for part in CSP.split(";"))
    assert policy["default-src"] == "'none'" and policy["connect-src"] == "'none'"
    assert "http" not in CSP


def test_the_spec_block_is_the_report_spec_escaped_and_read_back_whole():
    from themescope.reports import rules
    from themescope.reports.html import build_spec
    from themescope.reports.spec import ReportSpec

    run = Run.from_documents(*_hostile_run())
    html = render_report(run)
    raw = html.split('id="data-spec">', 1)[1].split("</script>", 1)[0]
    assert "<" not in raw and ">" not in raw and "&" not in raw  # the labels are payloads
    spec = ReportSpec.model_validate(json.loads(raw))
    assert spec == build_spec(run)
    assert [t.label for t in spec.topics] == PAYLOADS[:2]
    # One owner per rule: the spec's rules are the module's, as the Python figures read them.
    assert spec.rules.palette == rules.PALETTE and spec.rules.no_day == rules.NO_DAY
    assert spec.rules.max_author_topics == rules.MAX_AUTHOR_TOPICS == 40
    assert spec.map.marker == rules.MARKER and spec.map.max_hover_chars == 200
