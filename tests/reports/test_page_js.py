"""The page's code as modules: plain JavaScript with no template syntax, inlined in an order
that gives each module what it requires, and tested in node (tests/js) against the golden
fixtures Python writes (test_golden.py); the curation TOML the page writes reads back with
tomllib and replays, in curation/replay.py, to the topics the page shows."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib

import numpy as np

from themescope.config import CurationStep
from themescope.curation.anchors import resolve_steps
from themescope.curation.replay import replay
from themescope.reports.html import page_module_names, page_modules

from ..conftest import ROOT

PAGE = ROOT / "themescope" / "reports" / "page"
JS_TESTS = ROOT / "tests" / "js"


def _node() -> str:
    node = shutil.which("node")
    assert node, "node (20 or later) is needed for the page's tests: apt-get install nodejs"
    return node


def test_the_page_modules_hold_no_template_syntax_and_are_all_inlined():
    names = page_module_names()
    assert sorted(names) == sorted(p.name for p in PAGE.glob("*.js"))  # every module, once
    for path in PAGE.glob("*.js"):
        code = path.read_text(encoding="utf-8")
        assert "{{" not in code and "{%" not in code and "{#" not in code, path.name
    assert names[-1] == "main.js"
    assert len(page_modules()) == len(names)


def test_each_module_comes_after_the_modules_it_requires():
    names = page_module_names()
    for at, name in enumerate(names):
        code = (PAGE / name).read_text(encoding="utf-8")
        for required in re.findall(r'require\("\./([\w.]+)"\)', code):
            assert required in names[:at], f"{name} requires {required}, inlined after it"


def test_the_template_holds_no_javascript_but_the_loader():
    template = (ROOT / "themescope" / "reports" / "templates" / "report.html.j2").read_text(encoding="utf-8")
    scripts = re.findall(r"(?s)<script[^>]*>(.*?)</script>", template)
    assert [s.strip() for s in scripts] == ["{{ data|safe }}", "{{ plotly_js|safe }}", "{{ module|safe }}"]


def test_the_page_modules_pass_their_node_tests():
    proc = subprocess.run(
        [_node(), "--test", str(JS_TESTS)], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert re.search(r"^# fail 0$", proc.stdout, re.M)


def test_the_curation_the_page_writes_replays_to_the_topics_it_shows():
    proc = subprocess.run(
        [_node(), str(JS_TESTS / "emit.js")], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    emitted = json.loads(proc.stdout)
    golden = json.loads((ROOT / "tests" / "golden" / "page.json").read_text(encoding="utf-8"))["replay"]
    # TOML round trip: every string as it was, but a lone surrogate (no character) as U+FFFD.
    strings = tomllib.loads(emitted["strings_toml"])
    assert [strings[f"s{i}"] for i in range(len(emitted["strings"]))] == [
        s.encode("utf-16", "surrogatepass").decode("utf-16", "replace") for s in emitted["strings"]
    ]
    steps = [CurationStep.model_validate(s) for s in tomllib.loads(emitted["toml"])["curation"]["steps"]]
    assert len(steps) == len(golden["edits"])
    ids = [p[0] for p in golden["paragraphs"]]
    texts = [p[1] for p in golden["paragraphs"]]
    resolved = resolve_steps(steps, ids, texts)
    assert all(a.status == "held" for s in resolved for a in s.anchors)  # each text excerpt found
    labels = {t["id"]: t["label"] for t in golden["topics"]}
    curated = replay(np.array([p[2] for p in golden["paragraphs"]]), labels, resolved)
    shown = {
        "assignments": emitted["assignments"],
        "labels": emitted["labels"],
        "next_id": emitted["next_id"],
    }
    assert shown == {
        "assignments": curated.assignments.tolist(),
        "labels": {str(t): label for t, label in curated.labels.items()},
        "next_id": curated.next_id,
    }
    assert shown == {k: golden[k] for k in ("assignments", "labels", "next_id")}
