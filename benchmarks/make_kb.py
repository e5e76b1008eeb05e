"""Generate a synthetic knowledge base of N entries in c5's format, for the scale benchmark.

    python benchmarks/make_kb.py 100000 /tmp/kb-100k.json

Text is drawn from a fixed vocabulary with a fixed seed, so sizes are comparable and
runs are repeatable. Every entry cites one of 200 sources; every source is cited.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

SOURCES = 200


def vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    consonants, vowels = "bcdfghjklmnprstvz", "aeiou"
    words = set()
    while len(words) < size:
        length = rng.randint(2, 4)
        words.add("".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(length)))
    return sorted(words)


def sentence(rng: random.Random, words: list[str], low: int, high: int) -> str:
    # Zipf-like: low indices are common words, the tail is rare
    chosen = [words[min(int(rng.paretovariate(1.1)) - 1, len(words) - 1)] for _ in range(rng.randint(low, high))]
    return " ".join(chosen).capitalize()


def make(entries: int, seed: int = 5) -> dict:
    rng = random.Random(seed)
    words = vocabulary(rng)
    rng.shuffle(words)
    faq = []
    for number in range(entries):
        faq.append({
            "id": f"entry-{number}",
            "question": sentence(rng, words, 6, 12) + "?",
            "aliases": [f"{sentence(rng, words, 2, 5).lower()} {number}" for _ in range(3)],
            "answer": sentence(rng, words, 25, 60) + ".",
            "sources": [f"source-{number % SOURCES}"],
            "tags": [words[number % 50]],
        })
    sources = [{"id": f"source-{n}", "title": f"Synthetic source {n}", "publisher": "benchmark", "date": "2026-01",
                "url": f"https://example.org/{n}", "url_verified": True} for n in range(SOURCES)]
    return {"meta": {"schema_version": 1, "as_of": "2026-01-01"}, "faq": faq, "sources": sources}


def main() -> None:
    entries, target = int(sys.argv[1]), Path(sys.argv[2])
    target.write_text(json.dumps(make(entries)), encoding="utf-8")


if __name__ == "__main__":
    main()
