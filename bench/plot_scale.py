"""Draw the scale curve from a bench/scale.py result: seconds per stage and peak memory
against the number of sentences, themescope beside plain BERTopic.

    python bench/plot_scale.py [bench/results/scale-....json]   -> bench/results/scale.png
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from benchlib import ROOT

STAGES = ["read", "embed", "tokens", "reduce", "cluster", "represent", "report"]


def main() -> None:
    from plotly.subplots import make_subplots

    results = sorted((ROOT / "bench" / "results").glob("scale-2*.json"))
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else results[-1]
    data = json.loads(source.read_text(encoding="utf-8"))
    sizes = [s for s in data["sizes"] if s["themescope"].get("exit") == 0]
    n = [s["n"] for s in sizes]
    fig = make_subplots(rows=1, cols=2, subplot_titles=("Seconds (embeddings cached)", "Peak memory (MiB)"))
    for stage in STAGES:
        fig.add_bar(x=[str(v) for v in n], y=[s["themescope"]["stages"].get(stage, 0) for s in sizes],
                    name=f"themescope: {stage}", row=1, col=1)  # fmt: skip
    plain = [(str(s["n"]), s["plain_bertopic"]) for s in sizes if "plain_bertopic" in s]
    finished = [(x, p) for x, p in plain if p.get("exit") == 0]
    fig.add_scatter(x=[x for x, _ in finished], y=[p["wall_s"] for _, p in finished],
                    name="plain BERTopic (whole run)", mode="lines+markers", row=1, col=1)  # fmt: skip
    fig.add_scatter(x=[str(v) for v in n], y=[s["themescope"]["wall_s"] for s in sizes],
                    name="themescope (whole run)", mode="lines+markers", row=1, col=1)  # fmt: skip
    fig.add_scatter(x=[str(v) for v in n], y=[s["themescope"]["peak_rss_mib"] for s in sizes],
                    name="themescope peak RSS", mode="lines+markers", row=1, col=2)  # fmt: skip
    fig.add_scatter(x=[x for x, _ in plain], y=[p["peak_rss_mib"] for _, p in plain],
                    name="plain BERTopic peak RSS", mode="lines+markers", row=1, col=2)  # fmt: skip
    fig.update_layout(barmode="stack", width=1300, height=520, template="plotly_white",
                      title=f"Scale on SIB-200 ({source.name}); x: sentences")  # fmt: skip
    out = ROOT / "bench" / "results" / "scale.png"
    fig.write_image(out)
    print(f"written: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
