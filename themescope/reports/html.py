"""Assemble report.html: plotly.js once, figures and data as inert JSON, a jinja2 page.

Data goes into ``<script type="application/json">`` blocks with ``<``, ``>`` and ``&``
escaped as \\u003c etc., so no corpus text can close the script tag; the page reads
them with JSON.parse (never eval). A Content-Security-Policy forbids every network load.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Protocol

from jinja2 import Environment, PackageLoader, select_autoescape

from themescope.config import ReportConfig
from themescope.reports.figures import FIGURES
from themescope.reports.figures.answer_flow import answer_flow
from themescope.reports.figures.answer_mix import answer_mix
from themescope.reports.figures.authors import topics_by_author
from themescope.reports.figures.keywords import keyword_bars
from themescope.reports.figures.over_time import dated_rows, topics_over_time
from themescope.reports.figures.paragraph_map import (
    GL_MARKER,
    MARKER,
    map_layout,
    map_trace_type,
    paragraph_map,
)
from themescope.reports.figures.questions import topics_by_question
from themescope.reports.figures.style import OUTLIER_COLOR, PALETTE, TEMPLATE, topic_color
from themescope.reports.figures.theme_tree import theme_tree
from themescope.reports.figures.topic_similarity import topic_similarity_map
from themescope.reports.overview import metric_notes, support_rows
from themescope.reports.rules import NO_DAY
from themescope.reports.spec import ReportSpec, report_spec
from themescope.schema import Manifest, TopicsDocument


class Run(Protocol):
    """What the report reads of a run (``runs.Run``, which sits above the report in the layers
    and renders itself through it)."""

    manifest: Manifest

    def rows(self) -> list[dict]: ...

    def topics_document(self) -> TopicsDocument: ...


CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; connect-src 'none'; form-action 'none'; "
    "base-uri 'none'"
)


def safe_json(value: object) -> str:
    """JSON that is inert inside an HTML <script> element."""
    text = strict_json(value)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def strict_json(value: object) -> str:
    """Compact JSON of figures and columns (plotly's encoder for numpy values and plotly
    objects), NaN and infinities as null, every character as itself.

    Not ``json.dumps(cls=PlotlyJSONEncoder)``: its ``encode`` decodes and encodes the whole
    text again, with json's defaults, whenever "NaN" or "Infinity" occurs anywhere in it.
    That escapes every non-ASCII character, and "NaN" turns up by chance in the base64 of
    typed arrays (a 143,705-paragraph report's map coordinates): its rows grew from 28 to 59
    million characters, the page from 20.5 to 22.1 MB, and took 0.3 s longer to open.
    """
    from plotly.utils import PlotlyJSONEncoder

    encoder = PlotlyJSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    try:
        return json.JSONEncoder.encode(encoder, value)  # plotly's ``default``, json's encode
    except ValueError:  # a NaN or an infinity: null, as plotly.js reads it
        loose = PlotlyJSONEncoder(ensure_ascii=False, separators=(",", ":"))
        strict = json.loads(json.JSONEncoder.encode(loose, value), parse_constant=loose.coerce_to_strict)
        return json.dumps(strict, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("themescope.reports", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )


_VENDOR = Path(__file__).with_name("vendor")
VENDORED_BUNDLE_VERSION = "4.1.1"
CARTESIAN_TRACES = frozenset(
    {
        "bar",
        "box",
        "contour",
        "heatmap",
        "histogram",
        "histogram2d",
        "histogram2dcontour",
        "image",
        "pie",
        "scatter",
        "scatterternary",
        "violin",
    }
)
# What the report's own figures draw with: the vendored report bundle holds these alone.
REPORT_TRACES = frozenset({"bar", "heatmap", "scatter", "scattergl"})


@cache
def plotly_js(trace_types: frozenset[str]) -> str:
    """The smallest plotly.js that draws these traces under the report's CSP:
    - SVG traces only: the vendored cartesian bundle (1.5 MB);
    - the report's traces with WebGL (the map above 3,000 points): the vendored report bundle
      (1.8 MB: REPORT_TRACES, shaders precompiled; Chromium compiles it 1 s sooner than
      the 5.2 MB strict bundle on a 143,705-paragraph report, bench/report_scale.py);
    - other WebGL traces: the vendored strict bundle (every trace, 5.2 MB).
    plotly.py's full bundle compiles WebGL code with ``new Function``, which a CSP without
    'unsafe-eval' forbids, and then shows no map at all. The vendored bundles serve only
    when they match plotly.py's plotly.js version; else plotly.py's own bundle."""
    from plotly.offline import get_plotlyjs, get_plotlyjs_version

    if get_plotlyjs_version() == VENDORED_BUNDLE_VERSION:
        if trace_types <= CARTESIAN_TRACES:
            return (_VENDOR / "plotly-cartesian.min.js").read_text(encoding="utf-8")
        bundle = "plotly-report-strict" if trace_types <= REPORT_TRACES else "plotly-strict"
        return gzip.decompress((_VENDOR / f"{bundle}.min.js.gz").read_bytes()).decode("utf-8")
    return get_plotlyjs()


# The page's modules, reports/page/*.js: each adds itself to the ``themescope`` namespace and
# takes the modules it uses at load time from there (or, in node, with ``require("./NAME.js")``).
_REQUIRES = re.compile(r'require\("\./([\w.-]+\.js)"\)')


@cache
def page_module_names() -> tuple[str, ...]:
    """The page's modules in the order the report inlines them: each after the modules it
    requires (ties by name), main.js, which wires them, last. A new module needs no list."""
    from importlib.resources import files

    folder = files("themescope.reports").joinpath("page")
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".js"))
    needs = {n: set(_REQUIRES.findall(folder.joinpath(n).read_text(encoding="utf-8"))) for n in names}
    order: list[str] = []
    while len(order) < len(names) - 1:
        ready = [n for n in names if n not in order and n != "main.js" and needs[n] <= set(order)]
        if not ready:
            raise ValueError(
                f"reports/page: modules that require each other: {sorted(set(names) - set(order))}"
            )
        order.append(ready[0])
    return (*order, "main.js")


@cache
def page_modules() -> tuple[str, ...]:
    """The page's code, module by module, as the report inlines it (package data)."""
    from importlib.resources import files

    folder = files("themescope.reports").joinpath("page")
    modules = tuple(folder.joinpath(n).read_text(encoding="utf-8") for n in page_module_names())
    for name, code in zip(page_module_names(), modules, strict=True):
        if "<script" in code.lower() or "</script" in code.lower() or "<!--" in code:
            # (would end the inline script early, or start an escaped one)
            raise ValueError(f"reports/page/{name}: holds <script, </script or <!--: cannot be inlined")
    return modules


@cache
def plotly_template() -> dict:
    """The figures' look (style.TEMPLATE) as plotly.js takes it: the page gives it to each figure."""
    import plotly.io as pio

    return pio.templates[TEMPLATE].to_plotly_json()


def with_template(figures: dict) -> dict:
    """Figures for use outside the report (a notebook, an export), with their look applied."""
    for figure in figures.values():
        figure.update_layout(template=TEMPLATE)
    return figures


def build_figures(run: Run, names: list[str] | None = None) -> dict:
    """The report's figures by name (all, or only ``names``), from the run's documents."""
    document = run.topics_document()
    return _figures(run.rows(), document, _topic_dicts(document), run.manifest, names)


def _topic_dicts(document: TopicsDocument) -> list[dict]:
    return [t.model_dump(mode="json") for t in document.topics]


def _figures(
    rows: list[dict],
    document: TopicsDocument,
    topics: list[dict],
    manifest: Manifest,
    names: list[str] | None,
    available: list[str] | None = None,
) -> dict:
    """``build_figures`` on documents read once (the report reads them for its own use too);
    ``available``: ``available_figures`` when the caller has it."""
    broad_themes = [b.model_dump(mode="json") for b in document.broad_themes]
    labels = {t["id"]: t["label"] for t in topics}
    settings = report_settings(manifest)
    titles = question_titles(manifest)
    builders = {
        "map": lambda: paragraph_map(
            proportional_sample(rows, settings.max_map_points),
            labels,
            settings.max_hover_chars,
            total=len(rows),
            broad_themes=broad_themes,
        ),
        "broad_themes": lambda: theme_tree(topics, broad_themes),
        "time": lambda: topics_over_time(rows, labels, settings.time_period),
        "questions": lambda: topics_by_question(rows, labels, titles),
        "keywords": lambda: keyword_bars(topics),
        "authors": lambda: topics_by_author(rows, labels),
        "flow": lambda: answer_flow(rows, labels, settings.max_hover_chars, titles),
        "answers": lambda: answer_mix(rows, topics, broad_themes),
        "similarity": lambda: topic_similarity_map(topics, document.similarity),
    }
    shown = available_figures(rows, document) if available is None else available
    return {name: builders[name]() for name in shown if names is None or name in names}


def available_figures(rows: list[dict], document: TopicsDocument) -> list[str]:
    """The figures a run's report shows, in ``FIGURES``'s order: a view only where it has
    something to show, no empty sections."""
    absent = set()
    if not document.broad_themes:  # under 4 topics there is no level above them
        absent.add("broad_themes")
    if not dated_rows(rows):
        absent.add("time")
    if len({r["question_id"] for r in rows}) < 2:
        absent.add("questions")
    return [name for name in FIGURES if name not in absent]


def report_settings(manifest: Manifest) -> ReportConfig:
    """The report settings the run was made with; the config's defaults for keys a run
    written before them lacks (and none for keys this version does not know)."""
    written = manifest.config.get("report") or {}
    known = (
        {k: v for k, v in written.items() if k in ReportConfig.model_fields}
        if isinstance(written, dict)
        else {}
    )
    try:
        return ReportConfig.model_validate(known)
    except ValueError:  # a value this version reads otherwise: the defaults
        return ReportConfig()


def question_titles(manifest: Manifest) -> dict[str, str]:
    """Question id -> title, from the manifest (runs written before it listed them: none)."""
    return {q.id: q.title or "" for q in manifest.questions}


def proportional_sample(rows: list[dict], max_points: int, also: frozenset[str] = frozenset()) -> list[dict]:
    """At most ``max_points`` rows (one more per small topic at most), the same share of
    every topic, in the rows' own order, plus the rows whose paragraph ids are in ``also``
    (what the page's figures point at); all rows when they are that few."""
    if len(rows) <= max_points:
        return rows
    import random

    rng = random.Random(0)
    by_topic: dict[int, list[int]] = {}
    for i, row in enumerate(rows):
        by_topic.setdefault(row["topic"], []).append(i)
    share = max_points / len(rows)
    kept = []
    for members in by_topic.values():
        kept.extend(rng.sample(members, max(1, round(len(members) * share))))
    kept.extend(i for i, row in enumerate(rows) if row["paragraph_id"] in also)
    return [rows[i] for i in sorted(set(kept))]


def curation_state(document: TopicsDocument, manifest: Manifest) -> dict:
    """What the page's curation panel starts from: the steps in force (the report's snippet
    repeats them before the reader's new ones), the id its next split takes (as
    ``curation.replay`` counts it), and the palette its new topics are drawn in."""
    steps = ((manifest.config or {}).get("curation") or {}).get("steps") or []
    # A split the config left unnamed was named from its keywords; the page pins that name
    # when it writes the step again, as later edits would otherwise rename it on the next run.
    labels = {t.id: t.label for t in document.topics}
    curation = document.curation
    outcomes = curation.steps if curation else []
    made = {o.get("step"): o.get("topic") for o in outcomes if isinstance(o, dict)}
    steps = [
        s | {"label": labels[made[n]]}
        if s.get("split") and not s.get("label") and made.get(n) in labels
        else s
        for n, s in enumerate(steps, start=1)
    ]
    next_id = curation.next_topic_id if curation else None
    if not isinstance(next_id, int):
        next_id = max([t.id for t in document.topics] + [-1]) + 1
    return {"steps": steps, "next_topic_id": next_id, "palette": PALETTE, "outlier_color": OUTLIER_COLOR}


def build_spec(run: Run) -> ReportSpec:
    """The run's report spec (the page's ``data-spec`` block)."""
    return _Page(run, [n for n in FIGURES if n in ("time", "flow")]).spec


class _Page:
    """What the page is made of: the run's documents read once, the figures Python draws
    (``names``), the paragraphs in the page and on its map, and the spec."""

    def __init__(self, run: Run, names: list[str]) -> None:
        self.rows, self.document, self.manifest = run.rows(), run.topics_document(), run.manifest
        rows, document, manifest = self.rows, self.document, self.manifest
        self.topics = topics = _topic_dicts(document)
        self.available = available_figures(rows, document)
        self.figures = figures = _figures(rows, document, topics, manifest, names, self.available)
        self.settings = settings = report_settings(manifest)
        # The figures count every paragraph; the page's own rows are a sample above the cap.
        # The flow's squares and the cards' examples are looked up in the page's rows: kept.
        pointed_at = {p for t in topics for p in t["representative"] + t["exemplars"]}
        if "flow" in figures:
            pointed_at.update(figures["flow"].data[0].ids or ())
        self.in_page = proportional_sample(rows, settings.max_table_rows, frozenset(pointed_at))
        self.on_map = proportional_sample(self.in_page, settings.max_map_points)
        self.map_type = map_trace_type(len(self.on_map))
        self.curation = curation_state(document, manifest)
        self.time_period = (figures["time"].layout.meta or {}).get("period") if "time" in figures else None
        self.spec = report_spec(
            topics,
            [b.model_dump(mode="json") for b in document.broad_themes],
            self.curation,
            self.map_type,
            settings.max_hover_chars,
            self.time_period,
            figures=self.available,
            rows_in_page=len(self.in_page),
            rows_in_run=len(rows),
        )


def render_report(run: Run) -> str:
    """The run's report.html: one offline page."""
    # The map's traces are built in the page from the paragraph data: only its layout here.
    parts = _Page(run, [n for n in FIGURES if n != "map"])
    rows, document, manifest, topics, figures = (
        parts.rows,
        parts.document,
        parts.manifest,
        parts.topics,
        parts.figures,
    )
    settings, in_page, on_map, map_type = parts.settings, parts.in_page, parts.on_map, parts.map_type
    by_id = {r["paragraph_id"]: r for r in rows}
    titles = question_titles(manifest)
    topic_cards = [
        {
            **t,
            "color": topic_color(t["id"]),
            # The exemplars (central, unlike each other); a run written before them: the nearest.
            "examples": [by_id[p] for p in t["exemplars"] or t["representative"] if p in by_id],
        }
        for t in topics
    ]
    broad_themes = [b.model_dump(mode="json") for b in document.broad_themes]
    if "flow" in figures:  # its hover text comes from the paragraph data in the page
        figures["flow"].data[0].customdata = None
    data_blocks = {name: safe_json(fig.to_plotly_json()) for name, fig in figures.items()}
    data_blocks["map"] = safe_json(
        {
            "data": [],
            "layout": map_layout(len(on_map), len(rows)),
            "trace": {"type": map_type, "marker": MARKER if map_type == "scatter" else GL_MARKER},
            "max_hover_chars": settings.max_hover_chars,
        }
    )
    data_blocks["rows"] = pack(paragraph_columns(in_page, on_map, has_dates="time" in figures, all_rows=rows))
    data_blocks["topics"] = safe_json(
        [
            {"id": t["id"], "label": t["label"], "representative": t["representative"], "parent": t["parent"]}
            for t in topics
        ]
    )
    data_blocks["curation"] = safe_json(parts.curation)
    data_blocks["template"] = safe_json(plotly_template())
    data_blocks["spec"] = safe_json(parts.spec.model_dump(mode="json"))
    page = _environment().get_template("report.html.j2")
    return page.render(
        csp=CSP,
        title=manifest.title or "themescope report",
        manifest=manifest,
        topics=topic_cards,
        metric_notes=metric_notes(document.metrics),
        outlier_share=document.outlier_share,
        answers_total=len({(r["question_id"], r["answer_id"]) for r in rows}),
        authors_total=len({r["author"] for r in rows if r["author"]}),
        support_rows=support_rows(topics, broad_themes),
        authors=list(dict.fromkeys(r["author"] for r in rows)),
        dropped=manifest.dropped,
        curation_outcomes=document.curation.steps if document.curation else [],
        broad_themes=document.broad_themes,
        # How topics.json's persistence figures were measured; None in a run written before them.
        persistence=document.persistence,
        questions=[
            {"id": q, "title": titles.get(q, "")} for q in dict.fromkeys(r["question_id"] for r in rows)
        ]
        if "questions" in figures
        else [],
        time_period=parts.time_period,
        data_blocks=data_blocks,
        rows_in_page=len(in_page),
        rows_in_run=len(rows),
        config_json=json.dumps(manifest.config, ensure_ascii=False, indent=2),
        spec=parts.spec,
        page_modules=page_modules(),
        plotly_js=plotly_js(frozenset({map_type, *(t.type for fig in figures.values() for t in fig.data)})),
    )


def paragraph_columns(
    rows: list[dict], on_map: list[dict], has_dates: bool, all_rows: list[dict] | None = None
) -> dict:
    """The paragraphs as the page reads them: column by column, numbers as little-endian typed
    arrays in base64 (plotly.js's own typed-array form), repeated strings (authors, headings,
    questions) once each with an index per row. Hover text is built in the page from these,
    so no paragraph's text is in the file twice."""
    import numpy as np

    def typed(values, dtype: str) -> dict:
        array = np.asarray(values, dtype=np.dtype(dtype).newbyteorder("<"))
        return {"dtype": dtype, "bdata": base64.b64encode(array.tobytes()).decode("ascii")}

    def indexed(key: str) -> tuple[list[str], dict]:
        values = list(dict.fromkeys(r[key] or "" for r in rows))
        index = {v: i for i, v in enumerate(values)}
        return values, typed([index[r[key] or ""] for r in rows], "i4")

    shown = {r["paragraph_id"] for r in on_map}
    authors, author = indexed("author")
    headings, heading = indexed("heading")
    questions, question = indexed("question_id")
    columns = {
        "id": [r["paragraph_id"] for r in rows],
        "text": [r["text"] for r in rows],
        "authors": authors,
        "author": author,
        "headings": headings,
        "heading": heading,
        "questions": questions,
        "question": question,
        # 1 where a row starts another answer (rows come in reading order): an index per row
        # would cost 2 MB at 143,705 one-paragraph answers, as its base64 hardly compresses.
        "answer_start": typed(
            [i == 0 or r["answer_id"] != rows[i - 1]["answer_id"] for i, r in enumerate(rows)], "u1"
        ),
        "topic": typed([int(r["topic"]) for r in rows], "i4"),
        "position": typed([int(r["position"]) for r in rows], "i4"),  # in its answer (the flow)
        "x": typed([float(r["x"]) for r in rows], "f4"),
        "y": typed([float(r["y"]) for r in rows], "f4"),
        "on_map": typed([r["paragraph_id"] in shown for r in rows], "u1"),
    }
    if has_dates:
        epoch = date(1970, 1, 1)
        # The time view's days: none for a date far from the others (left out of the view).
        day_of = {id(r): day for r, day in dated_rows(rows, all_rows)}
        days = [day_of.get(id(r)) for r in rows]
        columns["day"] = typed([NO_DAY if d is None else (d - epoch).days for d in days], "i4")
    return columns


# Above this many characters a data block is gzipped: text compresses 3-4 times, which keeps a
# 143,705-paragraph report near 20 MB instead of 45. The page inflates it with the browser's
# own DecompressionStream (no library, no network).
PACK_ABOVE = 262_144


def pack(value: object) -> str:
    """A data block's content: inert JSON, or a JSON string of its gzip in base64."""
    text = safe_json(value)
    if len(text) <= PACK_ABOVE:
        return text
    packed = gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)  # mtime 0: reproducible
    return json.dumps({"gzip": base64.b64encode(packed).decode("ascii")})
