"""Guidance search quality and speed: top-1 / top-3 accuracy and latency p50 / p99.

Run: .venv/bin/python bench/bench_search.py [--rounds N]

Accuracy uses tests/data/guide_questions.yaml. Latency is the search call itself (typo
correction, synonym expansion, FTS5 query, snippets) on an index that is already built;
nothing is cached per query. The one-off build time is printed separately.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from letdown.guidance.search import default_index  # noqa: E402

QUESTIONS = ROOT / "tests" / "data" / "guide_questions.yaml"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


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
    if misses:
        print("missed (not in top 3):")
        print("\n".join(misses))


if __name__ == "__main__":
    main()
