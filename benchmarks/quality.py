"""Answer-quality report: c5's matcher against two simple baselines on the same questions.

    python benchmarks/quality.py                                   # the dev set
    python benchmarks/quality.py --set ../shared/eval/sample.jsonl # any set in that format
    python benchmarks/quality.py --check --set tests/eval/new.jsonl # before a new set's first run

A question is ``{"q", "kind": "in" | "out"}``; an in-scope question names the entry that
answers it (``"id"``) or, as in the shared sample, lists keyword groups the answer must
contain (``"expect"``: one alternative from every group).

Metrics, each for c5 and for each baseline at its best single threshold:
  P@1        in-scope questions whose shown answer is right (a rejection counts as wrong)
  MRR@3      mean reciprocal rank of the right entry in the top three (threshold ignored)
  rejection  out-of-scope questions given no answer
  false      answers that are wrong: out-of-scope answered plus in-scope answered wrongly,
             over all questions
and the median time each matcher takes to rank one question (c5 with cold caches, as in one
`c5 ask`), with c5's time as a multiple of plain BM25's from the same run.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from c5cli import api, knowledge, matching

DEV_SET = Path(__file__).resolve().parent.parent / "tests" / "eval" / "questions.jsonl"

#: (ranked document positions, best score, answered?) for one question
Ranked = tuple[list[int], float, bool]


def load_questions(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@dataclass
class Scores:
    p_at_1: float
    mrr_at_3: float
    rejection: float
    false_rate: float
    threshold: float | None = None
    median_ms: float = 0.0  # ranking time per question, median


def is_right(question: dict[str, Any], document: dict[str, Any]) -> bool:
    if "id" in question:
        return document["id"] == question["id"] or document["id"] in question.get("also", ())
    text = f"{document['question']} {document['answer']}".casefold()
    return all(any(option in text for option in group) for group in question["expect"])


def score(questions: Sequence[dict[str, Any]], ranked: Sequence[Ranked], document: Callable[[int], dict]) -> Scores:
    hits = reciprocal = rejected = wrong = 0
    inside = [q for q in questions if q["kind"] == "in"]
    outside = len(questions) - len(inside)
    for question, (positions, _, answered) in zip(questions, ranked):
        if question["kind"] == "out":
            rejected += not answered
            wrong += answered
            continue
        right_top = bool(positions) and is_right(question, document(positions[0]))
        hits += answered and right_top
        wrong += answered and not right_top
        for rank, position in enumerate(positions[:3], 1):
            if is_right(question, document(position)):
                reciprocal += 1 / rank
                break
    return Scores(hits / max(len(inside), 1), reciprocal / max(len(inside), 1), rejected / max(outside, 1),
                  wrong / max(len(questions), 1))


def best_threshold(questions, raw: Sequence[tuple[list[int], float]], document) -> Scores:
    """A baseline's best single threshold: the one that maximises P@1 + rejection."""
    best: Scores | None = None
    for threshold in sorted({s for _, s in raw} | {math.inf}):
        ranked = [(positions, s, s >= threshold) for positions, s in raw]
        result = score(questions, ranked, document)
        result.threshold = threshold
        if best is None or result.p_at_1 + result.rejection > best.p_at_1 + best.rejection:
            best = result
    return best


def c5_ranked(kb: knowledge.KnowledgeBase, question: str) -> Ranked:
    """c5's top three, its confidence, and whether `c5 ask` would answer (as api.ask decides)."""
    ranking = matching.rank(kb.index, kb.document, question)
    positions = [c.position for c in ranking.candidates[:3]]
    top_score = ranking.candidates[0].score if ranking.candidates else 0.0
    return positions, top_score, ranking.confident


def wratio_baseline(kb: knowledge.KnowledgeBase) -> Callable[[str], tuple[list[int], float]]:
    """RapidFuzz WRatio of the question against each entry's question text alone."""
    from rapidfuzz import fuzz, process, utils

    questions = [kb.document(p)["question"] for p in range(len(kb.document_ids))]

    def rank(query: str) -> tuple[list[int], float]:
        found = process.extract(query, questions, scorer=fuzz.WRatio, processor=utils.default_process, limit=3)
        return [index for _, _, index in found], (found[0][1] if found else 0.0)

    return rank


def bm25_baseline(kb: knowledge.KnowledgeBase) -> Callable[[str], tuple[list[int], float]]:
    """Textbook BM25 over question + aliases + answer, lower-cased words, no stemming or fields."""
    words = re.compile(r"[a-z0-9]+")
    docs = []
    for position in range(len(kb.document_ids)):
        doc = kb.document(position)
        docs.append(words.findall(" ".join([doc["question"], *doc["aliases"], doc["answer"]]).casefold()))
    frequency: dict[str, int] = {}
    for tokens in docs:
        for token in set(tokens):
            frequency[token] = frequency.get(token, 0) + 1
    average = sum(map(len, docs)) / len(docs)
    total = len(docs)

    def rank(query: str) -> tuple[list[int], float]:
        terms = set(words.findall(query.casefold()))
        scores = []
        for position, tokens in enumerate(docs):
            value = 0.0
            for term in terms & set(tokens):
                tf = tokens.count(term)
                idf = math.log(1 + (total - frequency[term] + 0.5) / (frequency[term] + 0.5))
                value += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * len(tokens) / average))
            scores.append((value, position))
        scores.sort(reverse=True)
        return [p for _, p in scores[:3]], scores[0][0] if scores else 0.0

    return rank


def timed(rank: Callable[[str], Any], questions: Sequence[dict[str, Any]]) -> tuple[list[Any], float]:
    """Each question's ranking, and the median time one ranking took, in milliseconds."""
    outcomes, times = [], []
    for question in questions:
        start = time.perf_counter()
        outcomes.append(rank(question["q"]))
        times.append((time.perf_counter() - start) * 1000)
    return outcomes, statistics.median(times) if times else 0.0


def evaluate(questions: Sequence[dict[str, Any]], kb: knowledge.KnowledgeBase | None = None) -> dict[str, Scores]:
    kb = kb or knowledge.load(knowledge.bundled_data_path())

    def c5_cold(query: str) -> Ranked:
        matching._cached_words.cache_clear()  # as in a fresh `c5 ask`, not a warm `c5 ask -` run
        return c5_ranked(kb, query)

    ranked, median_ms = timed(c5_cold, questions)
    results = {"c5": score(questions, ranked, kb.document)}
    results["c5"].median_ms = median_ms
    for name, make in (("WRatio on questions", wratio_baseline), ("BM25 (plain)", bm25_baseline)):
        raw, median_ms = timed(make(kb), questions)
        results[name] = best_threshold(questions, raw, kb.document)
        results[name].median_ms = median_ms
    return results


def question_key(text: str) -> str:
    """A question's words as written, one spelling per name: two questions with one key echo each other."""
    return " ".join(matching.spelling(text).replace("?", " ").split())


def unfit_questions(questions: Sequence[dict[str, Any]], kb: knowledge.KnowledgeBase,
                    others: Sequence[Path]) -> tuple[list[str], list[str]]:
    """Check a new set before its first run: the questions that echo an alias or question of the
    data, or a question of another set (an echo measures nothing), and the in-scope questions no
    answer can satisfy (worth keeping as probes of the data's gaps, but worth knowing)."""
    phrases = {question_key(p) for doc in kb.documents for p in [doc["question"], *doc["aliases"]]}
    elsewhere = {question_key(q["q"]): path.name for path in others for q in load_questions(path)}
    echoes, unanswerable = [], []
    for question in questions:
        key = question_key(question["q"])
        if key in phrases:
            echoes.append(f"echoes the data: {question['q']!r}")
        elif key in elsewhere:
            echoes.append(f"echoes {elsewhere[key]}: {question['q']!r}")
        elif question["kind"] == "in" and not any(is_right(question, doc) for doc in kb.documents):
            unanswerable.append(f"no answer can satisfy: {question['q']!r}")
    return echoes, unanswerable


def failures(questions: Sequence[dict[str, Any]], kb: knowledge.KnowledgeBase) -> list[str]:
    """c5's misses, for tuning by hand: what was asked, what was expected, what came back."""
    lines = []
    for question in questions:
        result = api.ask(kb, question["q"])
        top = result["matches"][0] if result["matches"] else None
        if question["kind"] == "out" and top:
            lines.append(f"OUT answered  {question['q']!r} -> {top['id']} ({top['score']})")
        elif question["kind"] == "in" and (top is None or not is_right(question, top)):
            got = f"{top['id']} ({top['score']})" if top else f"nothing; best {result['suggestions'][:1]}"
            lines.append(f"IN  missed    {question['q']!r} expected {question.get('id', question.get('expect'))} -> {got}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=DEV_SET, help="questions in JSON Lines (default: the dev set)")
    parser.add_argument("--misses", action="store_true", help="also list c5's misses")
    parser.add_argument("--check", action="store_true",
                        help="before a new set's first run: list its echoes of the data or of the sets beside it "
                             "(exit 1 if any) and the questions no answer can satisfy; score nothing")
    args = parser.parse_args()
    questions = load_questions(args.set)
    kb = knowledge.load(knowledge.bundled_data_path())
    if args.check:
        others = sorted(path for path in args.set.resolve().parent.glob("*.jsonl") if path != args.set.resolve())
        echoes, unanswerable = unfit_questions(questions, kb, others)
        print("\n".join([*echoes, *unanswerable]) or f"{args.set.name}: no echoes; every question can be answered")
        return 1 if echoes else 0
    results = evaluate(questions, kb)
    inside = sum(q["kind"] == "in" for q in questions)
    print(f"{args.set.name}: {inside} in-scope, {len(questions) - inside} out-of-scope questions")
    print("| matcher | P@1 | MRR@3 | out-of-scope rejection | false answers | threshold | ms per question |")
    print("|---|---|---|---|---|---|---|")
    for name, s in results.items():
        threshold = "c5's own" if s.threshold is None else f"{s.threshold:.3g}"
        print(f"| {name} | {s.p_at_1:.3f} | {s.mrr_at_3:.3f} | {s.rejection:.3f} | {s.false_rate:.1%} | {threshold} "
              f"| {s.median_ms:.2f} |")
    bm25 = results["BM25 (plain)"].median_ms
    print(f"c5 ranks a question in {results['c5'].median_ms / bm25:.1f}x the time of plain BM25 (medians, same run)")
    if args.misses:
        print("\n".join(failures(questions, kb)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
