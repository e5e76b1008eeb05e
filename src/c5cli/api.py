"""The library behind the CLI: every command's result as plain JSON-ready data.

``cli.py`` parses arguments, calls one function here and hands the result to the renderer,
so scripts can ``from c5cli import api`` and get exactly what ``--json`` prints.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from . import matching
from .knowledge import KnowledgeBase

#: Fields of a document that `ask` and `show` return.
PUBLIC_FIELDS = ("id", "question", "aliases", "answer", "tags", "as_of", "kind")


def _sources(kb: KnowledgeBase, ids: list[str]) -> list[dict[str, Any]]:
    keys = ("id", "title", "publisher", "date", "url", "url_verified")
    return [{key: source.get(key) for key in keys} for source in kb.cite(ids)]


def entry(kb: KnowledgeBase, document: dict[str, Any]) -> dict[str, Any]:
    """A document as `show` prints it, with its sources resolved."""
    result = {key: document[key] for key in PUBLIC_FIELDS if key in document}
    result["sources"] = _sources(kb, document["sources"])
    return result


def ask(kb: KnowledgeBase, question: str, *, top: int = 1, explain: bool = False) -> dict[str, Any]:
    """Answer one question: ``{"query", "matches", "suggestions"}``; ``matches`` is empty when unsure."""
    ranking = matching.rank(kb.index, kb.document, question)
    chosen = ranking.answers(top)
    matches = []
    for candidate in chosen:
        document = kb.document(candidate.position)
        match = {key: document[key] for key in ("id", "question", "answer") if key in document}
        match["score"] = candidate.score
        if document.get("as_of"):
            match["as_of"] = document["as_of"]
        match["sources"] = _sources(kb, document["sources"])
        matches.append(match)
    suggestions = []
    if not chosen:
        for candidate in ranking.candidates[:3]:
            document = kb.document(candidate.position)
            suggestions.append({"id": document["id"], "question": document["question"], "score": candidate.score})
    result: dict[str, Any] = {"query": question, "matches": matches, "suggestions": suggestions}
    if len(chosen) > 1 and ranking.ambiguous:
        result["ambiguous"] = True
    if explain:
        result["explain"] = explanation(kb, ranking)
    return result


def explanation(kb: KnowledgeBase, ranking: matching.Ranking) -> list[dict[str, Any]]:
    """Score components of the winner and the runner-up."""
    query = {"terms": ranking.terms, "corrections": ranking.corrections, "unknown": ranking.unknown}
    items = []
    for role, candidate in zip(("winner", "runner-up"), ranking.candidates[:2]):
        document = kb.document(candidate.position)
        items.append({
            "role": role,
            "id": document["id"],
            "score": candidate.score,
            "threshold": matching.ANSWER_THRESHOLD,
            "relevance": candidate.relevance,
            "query_coverage": candidate.query_coverage,
            "phrase_coverage": candidate.phrase_coverage,
            "bm25": candidate.bm25,
            "features": candidate.features,
            "misses_place": candidate.misses_place,
            "weights": matching.CALIBRATION,
            "best_phrase": candidate.best_phrase,
            "matched": matching.matched_words(document, ranking.query_tokens, kb.index["synonyms"]),
            "query": query,
        })
    return items


def country_summary(country: dict[str, Any]) -> dict[str, Any]:
    """The fields `countries --json` promises, plus the rest of the record."""
    summary = {key: country.get(key) for key in ("id", "name", "official_name", "capital", "iso2", "iso3")}
    summary["minerals"] = [mineral["name"] for mineral in country["minerals"]]
    return summary


def country_profile(kb: KnowledgeBase, country: dict[str, Any]) -> dict[str, Any]:
    """One country's whole record, with its source records resolved."""
    profile = dict(country)
    profile["minerals"] = [dict(m, sources=_sources(kb, m["sources"])) for m in country["minerals"]]
    profile["sources"] = _sources(kb, country["sources"])
    return profile


def sources(kb: KnowledgeBase) -> list[dict[str, Any]]:
    """Every source with ``cited_by``: how many entries, countries and milestones cite it."""
    counts: Counter[str] = Counter()
    for item in [*kb.data["faq"], *kb.countries, *kb.data.get("timeline", [])]:
        counts.update(set(item["sources"]))
    for country in kb.countries:
        extra = {s for m in country["minerals"] for s in m["sources"]}
        extra.update(s for refs in country.get("fact_sources", {}).values() for s in refs)
        if "population" in country:
            extra.add(country["population"]["source"])
        counts.update(extra - set(country["sources"]))
    rows = []
    for source in kb.data["sources"]:
        row = {key: source.get(key) for key in ("id", "title", "publisher", "author", "date", "url", "url_verified")}
        row["cited_by"] = counts[source["id"]]
        rows.append(row)
    return rows


def faq(kb: KnowledgeBase) -> list[dict[str, str]]:
    return [{"id": item["id"], "question": item["question"]} for item in kb.data["faq"]]


def timeline(kb: KnowledgeBase, since: int | None = None) -> list[dict[str, Any]]:
    """Milestones oldest first, each with its sources resolved; ``since`` is a year."""
    return [
        dict(milestone, sources=_sources(kb, milestone["sources"]))
        for milestone in kb.timeline
        if since is None or int(milestone["date"][:4]) >= since
    ]


def mineral_holders(kb: KnowledgeBase, mineral: str) -> dict[str, Any]:
    """Which countries hold a mineral, with each country's note and sources."""
    return {
        "mineral": mineral,
        "countries": [
            {"id": c["id"], "name": c["name"], "note": m["note"], "sources": _sources(kb, m["sources"])}
            for c, m in kb.holders(mineral)
        ],
    }


def minerals_overview(kb: KnowledgeBase) -> dict[str, Any]:
    """A country x mineral matrix: for each mineral, the ids of countries that list it."""
    names = sorted({m["name"] for c in kb.countries for m in c["minerals"]})
    return {
        "countries": [{"id": c["id"], "name": c["name"]} for c in kb.countries],
        "minerals": [{"name": n, "countries": [c["id"] for c, _ in kb.holders(n)]} for n in names],
    }
