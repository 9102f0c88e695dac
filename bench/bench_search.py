"""Guidance search quality and speed: top-1 / top-3 accuracy and latency p50 / p99.

Run: .venv/bin/python bench/bench_search.py [--rounds N]

Accuracy uses tests/data/guide_questions.yaml. Latency is the search call itself (typo
correction, synonym expansion, FTS5 query, snippets) on an index that is already built;
nothing is cached per query. The one-off build time is printed separately.

Hostile input: the time to answer a 3,000-character search (refused with a clear message,
never searched), the worst query that is searched (the longest allowed, made of words just
short enough to be spell-corrected), and the word-level correction of a 3,000-letter word
called directly, past the length check. Before the limits one 600-letter word took 34 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from letdown.domain.errors import InvalidInput  # noqa: E402
from letdown.guidance.library import MAX_QUERY_CHARS  # noqa: E402
from letdown.guidance.search import MAX_CORRECTED_LETTERS, SearchIndex, default_index  # noqa: E402

QUESTIONS = ROOT / "tests" / "data" / "guide_questions.yaml"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def worst_time_ms(action: Callable[[], object], repeats: int = 5) -> float:
    """The slowest of a few runs of ``action`` (a callable), in ms."""
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return max(timings)


def hostile_input(index: SearchIndex) -> list[str]:
    """Timings for over-long and worst-case queries, as report lines."""

    def refused() -> None:
        try:
            index.search("x" * 3000)
        except InvalidInput:
            return
        raise AssertionError("a 3,000-character search was not refused")

    # Unknown words of the longest corrected length, as many as fit in the longest query.
    word = "qzvxqzvxqzvxqzvxqzvx"[:MAX_CORRECTED_LETTERS]
    worst = " ".join([word] * (MAX_QUERY_CHARS // (len(word) + 1)))
    return [
        f"3,000-character search: refused in {worst_time_ms(refused):.2f} ms (max of 5; target < 50 ms)",
        f"longest searched query ({len(worst)} chars, {MAX_CORRECTED_LETTERS}-letter unknown words): "
        f"{worst_time_ms(lambda: index.search(worst)):.2f} ms (max of 5)",
        f"one 3,000-letter word through split and correction: "
        f"{worst_time_ms(lambda: index.words('e' * 3000)):.2f} ms (max of 5)",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50, help="passes over the question set")
    args = parser.parse_args()
    questions = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["questions"]

    started = time.perf_counter()
    index = default_index()
    build_ms = (time.perf_counter() - started) * 1000

    top1 = top3 = 0
    misses = []
    for row in questions:
        ids = [result.id for result in index.search(row["q"])]
        top1 += ids[:1] == [row["topic"]]
        top3 += row["topic"] in ids[:3]
        if row["topic"] not in ids[:3]:
            misses.append(f"  {row['q']!r}: wanted {row['topic']}, got {ids[:3]}")

    timings = []
    for _ in range(args.rounds):
        for row in questions:
            started = time.perf_counter()
            index.search(row["q"])
            timings.append((time.perf_counter() - started) * 1000)

    count = len(questions)
    print(f"questions: {count}")
    print(f"top-1 accuracy: {top1 / count:.1%} ({top1}/{count})")
    print(f"top-3 accuracy: {top3 / count:.1%} ({top3}/{count})")
    print(f"index build: {build_ms:.1f} ms (once per process)")
    print(
        f"search latency over {len(timings)} queries: p50 {statistics.median(timings):.2f} ms, "
        f"p99 {percentile(timings, 0.99):.2f} ms, max {max(timings):.2f} ms (target p99 < 20 ms)"
    )
    print("\n".join(hostile_input(index)))
    if misses:
        print("missed (not in top 3):")
        print("\n".join(misses))


if __name__ == "__main__":
    main()
