"""The "auto" topic parameters (themescope/topics/params.py): pure arithmetic on the corpus
size, so in the fast tier (test_model.py, which fits topics, is slow as a whole)."""

import pytest

from themescope.config import TopicsConfig
from themescope.topics.params import resolve_params

# (paragraphs, min_topic_size, min_samples, n_neighbors), from params.py's rules: √n / 2
# topics' size in [3, 500] and √n neighbours in [5, 30]; above GROUPED_ABOVE paragraphs (topics
# among groups of neighbours) √n / 6; min_samples is half the size, at most 5.
AUTO_PARAMETERS = [
    (10, 3, 1, 5),
    (50, 4, 2, 7),
    (100, 5, 2, 10),
    (700, 13, 5, 26),
    (2_000, 22, 5, 30),
    (8_000, 45, 5, 30),
    (8_001, 15, 5, 30),
    (10_000, 17, 5, 30),
    (150_000, 65, 5, 30),
    (10_000_000, 500, 5, 30),
]


@pytest.mark.parametrize(("n", "size", "samples", "neighbors"), AUTO_PARAMETERS)
def test_auto_parameters_have_the_documented_values(n, size, samples, neighbors):
    params = resolve_params(n, TopicsConfig())
    assert (params.min_topic_size, params.min_samples, params.n_neighbors) == (size, samples, neighbors)


def test_auto_parameters_grow_with_corpus_size():
    """Monotone in the corpus size on each side of GROUPED_ABOVE (where topics come from
    groups of neighbours, a third as large), and growing: not a constant within bounds."""
    from themescope.topics.groups import GROUPED_ABOVE

    assert GROUPED_ABOVE == 8_000
    sizes = sorted({round(1.07**k) for k in range(10, 250)})
    resolved = {n: resolve_params(n, TopicsConfig()) for n in sizes}
    for regime in ([n for n in sizes if n <= GROUPED_ABOVE], [n for n in sizes if n > GROUPED_ABOVE]):
        for field in ("min_topic_size", "min_samples", "n_neighbors"):
            values = [getattr(resolved[n], field) for n in regime]
            assert values == sorted(values), field
        assert resolved[regime[-1]].min_topic_size > resolved[regime[0]].min_topic_size
    neighbors = [resolved[n].n_neighbors for n in sizes]
    assert neighbors == sorted(neighbors) and neighbors[0] < neighbors[-1]
    # Past the threshold the size starts again at about a third: √n / 6 against √n / 2.
    below, above = (
        resolve_params(GROUPED_ABOVE, TopicsConfig()),
        resolve_params(GROUPED_ABOVE + 1, TopicsConfig()),
    )
    assert above.min_topic_size == round(below.min_topic_size / 3)
