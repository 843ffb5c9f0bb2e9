"""Seconds to split one 300,000-character line without a sentence end into 400-token pieces
(it took 25 s when the token estimate read the whole rest of the line at each cut; the test,
tests/corpus/test_reader.py, counts the characters read instead of timing it).

    python bench/split_long.py
"""

import json
import time

from themescope.corpus.clean import estimate_tokens, split_long

line = "美國對俄羅斯實施制裁" * 30_000
split_long(line[:1000], 400)  # loads jieba and OpenCC once (about 1 s), which cut between words
start = time.perf_counter()
pieces = split_long(line, 400)
seconds = time.perf_counter() - start
assert "".join(pieces) == line and max(map(estimate_tokens, pieces)) <= 400
print(json.dumps({"characters": len(line), "pieces": len(pieces), "seconds": round(seconds, 2)}))
