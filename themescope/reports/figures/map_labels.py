"""The names on the paragraph map: where each topic's (or broad theme's) name goes in a view.

The page places them again at every zoom (``reports/page/labels.js``, the same steps in the
same order); the notebook's figure places them once, at its initial view. The rules are
``rules.MAP_LABELS``; ``tests/golden/page.json`` holds this module's answer on a small case and
the page's tests check labels.js gives the same.
"""

from __future__ import annotations

import math

from themescope.reports.figures.style import esc
from themescope.reports.rules import MAP_LABELS


def text_width(text: str, rules: dict = MAP_LABELS) -> float:
    """A name's estimated width in font sizes: char_width a character, 1 a wide one."""
    return sum(1.0 if ord(ch) >= 0x1100 else rules["char_width"] for ch in text)


def _cell(value: float, low: float, high: float, grid: int) -> int:
    return min(grid - 1, max(0, math.floor((value - low) / (high - low) * grid)))


def place_labels(
    xs: list[float], ys: list[float], keys: list, names: dict, view: dict, rules: dict = MAP_LABELS
) -> list[dict]:
    """The names to draw for the points ``xs``, ``ys`` of groups ``keys`` (None: no group, as
    the outliers) in ``view`` ({x0, x1, y0, y1: the axes' ranges; width, height: the plot's
    px}). ``names``: a group's name (unescaped). Each: {key, text (escaped and cut), x, y (its
    centre, data coordinates), box ([left, top, right, bottom] px)}, the largest group first."""
    x0, x1, y0, y1 = view["x0"], view["x1"], view["y0"], view["y1"]
    width, height, grid = view["width"], view["height"], rules["grid"]
    members: dict = {}
    shown = 0
    for i in range(len(xs)):
        x, y = xs[i], ys[i]
        if not (x0 <= x <= x1 and y0 <= y <= y1):
            continue
        shown += 1
        if keys[i] is not None and keys[i] in names:
            members.setdefault(keys[i], []).append(i)
    candidates = []
    for key, points in members.items():
        if len(points) < rules["fill_share"] * shown:  # largest first: min_share ones come first
            continue
        cells: dict[int, list[int]] = {}
        for i in points:
            cells.setdefault(_cell(ys[i], y0, y1, grid) * grid + _cell(xs[i], x0, x1, grid), []).append(i)
        fullest = min(cells, key=lambda c: (-len(cells[c]), c))
        inside = cells[fullest]
        mx = my = 0.0
        for i in inside:  # in order, one by one: as the page adds (sum() compensates)
            mx += xs[i]
        for i in inside:
            my += ys[i]
        mx, my = mx / len(inside), my / len(inside)
        at = min(inside, key=lambda i: ((xs[i] - mx) * (xs[i] - mx) + (ys[i] - my) * (ys[i] - my), i))
        candidates.append((len(points), key, xs[at], ys[at]))
    candidates.sort(key=lambda c: (-c[0], c[1]))
    font, pad = rules["font_size"], rules["pad"]
    placed: list[dict] = []
    for _, key, ax, ay in candidates:
        if len(placed) >= rules["max_labels"]:
            break
        text = esc(names[key], rules["chars"])
        w = text_width(text, rules) * font + 2 * pad
        h = font * rules["line_height"] + 2 * pad
        px = (ax - x0) / (x1 - x0) * width
        py = (y1 - ay) / (y1 - y0) * height
        for dx, dy in _tries(w, h):
            left = min(max(px + dx - w / 2, 0), width - w)
            top = min(max(py + dy - h / 2, 0), height - h)
            box = [left, top, left + w, top + h]
            if left < 0 or top < 0:
                break  # wider or taller than the plot
            if not any(_overlap(box, p["box"]) for p in placed):
                cx, cy = left + w / 2, top + h / 2
                placed.append(
                    {
                        "key": key,
                        "text": text,
                        "x": x0 + cx / width * (x1 - x0),
                        "y": y1 - cy / height * (y1 - y0),
                        "box": box,
                    }
                )
                break
    return placed


def _tries(w: float, h: float) -> list[tuple[float, float]]:
    """Where a name is tried, in px from its anchor: on it, above, below, right, left, the
    four corners, two lines above and below."""
    return [
        (0, 0),
        (0, -h),
        (0, h),
        (w / 2, 0),
        (-w / 2, 0),
        (w / 2, -h),
        (-w / 2, -h),
        (w / 2, h),
        (-w / 2, h),
        (0, -2 * h),
        (0, 2 * h),
    ]


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def annotations(placed: list[dict], rules: dict = MAP_LABELS) -> list[dict]:
    """Plotly's annotations for ``place_labels``'s names (the text already escaped)."""
    return [
        {
            "x": p["x"],
            "y": p["y"],
            "xref": "x",
            "yref": "y",
            "text": p["text"],
            "showarrow": False,
            "xanchor": "center",
            "yanchor": "middle",
            "font": {"size": rules["font_size"], "color": "#222"},
            "bgcolor": "rgba(255,255,255,0.78)",
            "borderpad": rules["pad"],
        }
        for p in placed
    ]


def initial_view(xs: list[float], ys: list[float], rules: dict = MAP_LABELS) -> dict:
    """The notebook figure's first view as Plotly draws it, near enough: the points' extent
    with a twentieth each side, widened on one axis to keep one unit the same on both (the
    map's y axis is anchored to x), over a plot of ``figure_px``."""
    width, height = rules["figure_px"]
    if not xs:
        return {"x0": 0.0, "x1": 1.0, "y0": 0.0, "y1": 1.0, "width": width, "height": height}
    spans = []
    for values in (xs, ys):
        low, high = min(values), max(values)
        pad = (high - low) / 20 or 1.0
        spans.append((low - pad, high + pad))
    (ax0, ax1), (ay0, ay1) = spans
    per_px = max((ax1 - ax0) / width, (ay1 - ay0) / height)
    cx, cy = (ax0 + ax1) / 2, (ay0 + ay1) / 2
    return {
        "x0": cx - per_px * width / 2,
        "x1": cx + per_px * width / 2,
        "y0": cy - per_px * height / 2,
        "y1": cy + per_px * height / 2,
        "width": width,
        "height": height,
    }
