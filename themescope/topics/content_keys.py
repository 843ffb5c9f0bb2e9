"""A 64-bit key per paragraph from its text alone.

What a choice among paragraphs hangs on when it must not hang on their positions: which rows
k-means starts from (``groups``) and which rows a resample keeps (``persistence``). A key
changes with nothing but the text: not with the seed, the order of the files, another CPU's
rounding of the vectors, or other paragraphs coming and going, so one answer more or less
leaves every other paragraph's choices as they were. Copies of a paragraph share a key.
"""

from __future__ import annotations

import hashlib

import numpy as np


def content_keys(texts: list[str], salt: bytes = b"") -> np.ndarray:
    """blake2b of each text (keyed by ``salt``, so that two uses draw independently), as
    uint64."""
    return np.array(
        [
            int.from_bytes(hashlib.blake2b(t.encode("utf-8"), digest_size=8, key=salt).digest(), "little")
            for t in texts
        ],
        dtype=np.uint64,
    )
