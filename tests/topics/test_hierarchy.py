import numpy as np
import pytest
from scipy.cluster.hierarchy import fcluster, linkage

from themescope.topics.hierarchy import auto_groups, broad_themes, cut_tree, ward_tree


@pytest.mark.parametrize("seed", range(5))
def test_ward_tree_is_scipys(seed):
    rng = np.random.default_rng(seed)
    points = rng.normal(size=(int(rng.integers(4, 40)), 8))
    ours = np.array([[m.left, m.right, m.height, m.size] for m in ward_tree(points)])
    theirs = linkage(points, "ward")
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)
    for groups in range(1, len(points) + 1):
        expected = fcluster(theirs, groups, criterion="maxclust")
        ours_cut = cut_tree(ward_tree(points), len(points), groups)
        # The same partition (numbered differently).
        assert len(set(zip(expected, ours_cut, strict=True))) == len(set(expected)) == len(set(ours_cut))


def test_auto_cuts_where_the_tree_jumps():
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(4, 8)) * 10
    points = np.vstack([c + rng.normal(size=(3, 8)) * 0.1 for c in centres])  # 4 tight groups of 3
    merges = ward_tree(points)
    assert auto_groups(merges, len(points)) == 4
    assert sorted(np.bincount(cut_tree(merges, len(points), 4))) == [3, 3, 3, 3]


def test_few_topics_get_no_level_above_and_noise_changes_nothing():
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(200, 16)).astype(np.float32)
    assignments = rng.integers(0, 9, size=200)
    vectors += (assignments[:, None] % 3) * 2.0
    assert broad_themes(assignments, vectors, [0, 1, 2], "auto") == {}
    themes = broad_themes(assignments, vectors, list(range(9)), "auto")
    assert 3 <= len(set(themes.values())) <= 6
    noisy = vectors * (1 + rng.normal(size=vectors.shape).astype(np.float32) * 1e-6)
    assert broad_themes(assignments, noisy, list(range(9)), "auto") == themes
    assert len(set(broad_themes(assignments, vectors, list(range(9)), 2).values())) == 2
