"""`report --export` replaces only the figure files an earlier export wrote, as it wrote them."""

import json

import plotly.graph_objects as go
import pytest

from themescope.errors import UserError
from themescope.reports.export import EXPORTED_LIST, _check_ours


def test_a_users_own_file_at_a_figures_name_is_refused_not_overwritten(tmp_path):
    figures = tmp_path / "figures"
    figures.mkdir()
    mine = figures / "map.png"
    mine.write_text("mine", "utf-8")
    with pytest.raises(UserError, match=r"map.png exists and is not a figure an earlier export wrote"):
        _check_ours([mine], figures)
    assert mine.read_text("utf-8") == "mine"


def test_a_figure_an_earlier_export_wrote_is_replaced_unless_changed_since(tmp_path):
    from themescope.stages import file_digest

    figures = tmp_path / "figures"
    figures.mkdir()
    ours = figures / "map.svg"
    ours.write_text("<svg/>", "utf-8")
    (figures / EXPORTED_LIST).write_text(json.dumps({"files": {"map.svg": file_digest(ours)}}), "utf-8")
    _check_ours([ours, figures / "keywords.svg"], figures)  # listed as written, and a new name
    ours.write_text("<svg>edited by hand</svg>", "utf-8")
    with pytest.raises(UserError):
        _check_ours([ours], figures)


@pytest.mark.slow  # kaleido draws with Chromium
def test_export_lists_what_it_wrote_and_draws_again_over_it(tmp_path):
    from themescope.reports.export import export_figures

    figure = go.Figure(go.Bar(x=["a"], y=[1]))
    paths = export_figures({"keywords": figure}, tmp_path / "figures", ["svg"])
    listed = json.loads((tmp_path / "figures" / EXPORTED_LIST).read_text("utf-8"))["files"]
    assert list(listed) == ["keywords.svg"] and paths[0].is_file()
    export_figures({"keywords": figure}, tmp_path / "figures", ["svg"])  # its own file: replaced
