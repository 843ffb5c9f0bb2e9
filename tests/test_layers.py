"""Dependencies inside themescope run one way: no import cycle, and the layers hold.

grimp reads every ``import`` in the package, those inside functions and under
``TYPE_CHECKING`` included, so a cycle hidden behind a lazy import is still one.
"""

from __future__ import annotations

from itertools import pairwise

import grimp
import pytest

ROOT = "themescope"

# The layers, top to bottom: a module may import from its own layer (siblings) and from the
# layers below it, never from one above. "x" names module x and everything under it, "x.*"
# only what is under x; the most specific name decides a module's layer, and the package's own
# __init__ (ROOT) is only itself. Every module must be named here: a new one takes a place.
LAYERS: list[tuple[str, set[str]]] = [
    (
        "the command line",
        {f"{ROOT}.__main__", f"{ROOT}.cli", f"{ROOT}.watch", f"{ROOT}.starter", f"{ROOT}.process"},
    ),
    ("the Python API", {ROOT}),
    ("the pipeline", {f"{ROOT}.pipeline", f"{ROOT}.documents"}),
    (
        "runs read back",
        {
            f"{ROOT}.compare",
            f"{ROOT}.compare_view",
            f"{ROOT}.summary",
            f"{ROOT}.reports.rerender",
            f"{ROOT}.reports.export",
        },
    ),
    ("the run", {f"{ROOT}.runs", f"{ROOT}.runfiles"}),
    (
        "the report",
        {
            f"{ROOT}.reports.html",
            f"{ROOT}.reports.overview",
            f"{ROOT}.reports.spec",
            f"{ROOT}.reports.figures.*",
        },
    ),
    # The view rules the figures and the page share (reports/rules.py: constants alone).
    ("the view rules", {f"{ROOT}.reports.rules"}),
    ("the stages", {f"{ROOT}.corpus", f"{ROOT}.embeddings", f"{ROOT}.topics", f"{ROOT}.curation"}),
    ("the run folder's rules", {f"{ROOT}.rundir"}),
    # Packages whose __init__ holds nothing but names (the figures' names).
    ("names", {f"{ROOT}.reports", f"{ROOT}.reports.figures"}),
    (
        "the base",
        {
            f"{ROOT}.config",
            f"{ROOT}.errors",
            f"{ROOT}.files",
            f"{ROOT}.interrupt",
            f"{ROOT}.progress",
            f"{ROOT}.renamed",
            f"{ROOT}.schema",
            f"{ROOT}.stages",
            f"{ROOT}.terminal",
        },
    ),
]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(ROOT, cache_dir=None)


def _where(graph: grimp.ImportGraph, importer: str, imported: str) -> str:
    """``importer -> imported (line N)``."""
    lines = ", ".join(
        f"line {d['line_number']}" for d in graph.get_import_details(importer=importer, imported=imported)
    )
    return f"{importer} -> {imported} ({lines})"


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The groups of modules that import each other, directly or around a cycle (the strongly
    connected components of more than one module, or one that imports itself), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(start: str) -> None:  # Tarjan's algorithm, iterative (no recursion limit)
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, imported = work[-1]
            for other in imported:
                if other not in index:
                    index[other] = low[other] = len(index)
                    stack.append(other)
                    on_stack.add(other)
                    work.append((other, iter(sorted(graph.find_modules_directly_imported_by(other)))))
                    break
                if other in on_stack:
                    low[module] = min(low[module], index[other])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[module])
                if low[module] == index[module]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == module:
                            break
                    if len(group) > 1 or graph.direct_import_exists(importer=module, imported=module):
                        groups.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return sorted(groups)


def cycle_chain(graph: grimp.ImportGraph, group: list[str]) -> str:
    """One cycle through the group's first module, an import per line."""
    first = group[0]
    following = sorted(m for m in graph.find_modules_directly_imported_by(first) if m in group)[0]
    # Within a group every module reaches every other, so the chain back exists.
    chain = [first, *graph.find_shortest_chain(importer=following, imported=first)]
    return "\n".join("  " + _where(graph, a, b) for a, b in pairwise(chain))


def test_no_import_cycle_inside_the_package(graph):
    cycles = import_cycles(graph)
    assert not cycles, "import cycles inside themescope:\n" + "\n\n".join(
        cycle_chain(graph, g) for g in cycles
    )


def layer_of(module: str) -> int | None:
    """The index in LAYERS of the most specific name that covers ``module``; None if none does."""
    best: tuple[int, int] | None = None  # (how specific, layer)
    for number, (_, names) in enumerate(LAYERS):
        for name in names:
            if name.endswith(".*"):
                covers, specific = module.startswith(name[:-1]), len(name) - 1
            elif name == ROOT:
                covers, specific = module == ROOT, len(name)
            else:
                covers, specific = module == name or module.startswith(name + "."), len(name)
            if covers and (best is None or specific > best[0]):
                best = (specific, number)
    return None if best is None else best[1]


def test_every_module_has_a_layer(graph):
    unplaced = sorted(m for m in graph.modules if layer_of(m) is None)
    assert not unplaced, f"modules in no layer of tests/test_layers.py's LAYERS: {unplaced}"


def test_layers_import_only_downwards(graph):
    upward = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            below, above = layer_of(importer), layer_of(imported)
            if below is not None and above is not None and above < below:
                upward.append(
                    f"  {_where(graph, importer, imported)}: {LAYERS[below][0]!r} imports "
                    f"from {LAYERS[above][0]!r} above it"
                )
    assert not upward, "imports against the layers (tests/test_layers.py's LAYERS):\n" + "\n".join(upward)


def test_the_checks_find_what_they_look_for():
    """A cycle and an upward import, added to a copy of the graph, are found and named."""
    probe = grimp.build_graph(ROOT, cache_dir=None)
    probe.add_import(importer="themescope.errors", imported="themescope.cli", line_number=1, line_contents="")
    groups = import_cycles(probe)
    assert any({"themescope.errors", "themescope.cli"} <= set(g) for g in groups)
    assert "themescope.errors -> themescope.cli (line 1)" in "\n".join(cycle_chain(probe, g) for g in groups)
    assert layer_of("themescope.errors") > layer_of("themescope.cli")
    assert layer_of("themescope.reports.figures") > layer_of("themescope.rundir")
    assert layer_of("themescope.reports.figures.style") == layer_of("themescope.reports.html")
    assert layer_of("themescope.topics.model") == layer_of("themescope.corpus.reader")
    assert layer_of("themescope.nothing_like_it") is None
