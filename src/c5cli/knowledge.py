"""Find, read, validate and cache the knowledge base, and derive searchable country facts.

The bundled ``data/faq.json`` is the one canonical copy. A wheel carries it inside the
package (``c5cli/data/faq.json``); an editable install or a source checkout reads it from
the repository's top-level ``data/``. ``--data FILE`` or ``C5_DATA`` points at any other
file in the same format.

A file is validated (JSON Schema plus cross-references) and indexed once; the result is
cached under the user's cache directory, keyed by the file's size, mtime, ctime and inode
(and by c5's own version), so any write to the file invalidates it. A missing, stale or
corrupt cache is rebuilt, never fatal.
"""

from __future__ import annotations

import gc
import marshal
import os
import stat
import sys
import zlib
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Iterator, NamedTuple

from . import __version__, matching
from .errors import DataError, ExitCode

DATA_ENV = "C5_DATA"
CACHE_ENV = "C5_CACHE_DIR"
CACHE_FORMAT = 17  # bump when the cached structure or the matcher's index changes
_PACKAGE_DIR = Path(__file__).resolve().parent
SCHEMA_PATH = _PACKAGE_DIR / "schema.json"


class Problem(NamedTuple):
    """One validation problem, located by a JSON path such as ``$.faq[3].sources[0]``."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def bundled_data_path() -> Path:
    """The bundled file: inside the installed package, else the source tree's ``data/``."""
    packaged = _PACKAGE_DIR / "data" / "faq.json"
    if packaged.is_file():
        return packaged
    return _PACKAGE_DIR.parent.parent / "data" / "faq.json"


def resolve_data_path(explicit: str | None = None) -> Path:
    """``--data`` wins over ``C5_DATA``, which wins over the bundled file."""
    chosen = explicit or os.environ.get(DATA_ENV)
    return Path(chosen).expanduser() if chosen else bundled_data_path()


def cache_dir() -> Path:
    """``C5_CACHE_DIR``, else ``$XDG_CACHE_HOME/c5``, else ``~/.cache/c5``."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "c5"


def load_schema() -> dict[str, Any]:
    import json  # json is only needed when a file is parsed or validated, not on a cached run

    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{path}: data file not found", ExitCode.DATA_MISSING) from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a directory, not a data file", ExitCode.DATA_MISSING) from None
    except OSError as error:
        raise DataError(f"{path}: cannot read data file ({error.strerror})", ExitCode.DATA_MISSING) from None


def parse_json(path: Path, raw: bytes) -> Any:
    """Parse bytes as UTF-8 JSON, turning every failure into one located message."""
    import json

    if not raw.strip():
        raise DataError(f"{path}: data file is empty", ExitCode.DATA_NOT_JSON)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DataError(
            f"{path}: not a UTF-8 text file (undecodable byte at offset {error.start})", ExitCode.DATA_NOT_JSON
        ) from None
    try:
        with _no_gc():
            return json.loads(text)
    except json.JSONDecodeError as error:
        raise DataError(
            f"{path}: not valid JSON at line {error.lineno}, column {error.colno} ({error.msg})",
            ExitCode.DATA_NOT_JSON,
        ) from None
    except RecursionError:
        raise DataError(f"{path}: JSON nested too deeply", ExitCode.DATA_NOT_JSON) from None


def _json_path(parts: Iterator[Any] | list[Any]) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def schema_problems(data: Any) -> list[Problem]:
    """Every JSON Schema violation, in document order."""
    from jsonschema import Draft202012Validator  # only paid for on a cache miss or `validate`

    validator = Draft202012Validator(load_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    return [Problem(_json_path(e.absolute_path), _describe(e)) for e in errors]


_JSON_TYPES = {dict: "object", list: "array", str: "string", int: "integer", float: "number", bool: "boolean",
               type(None): "null"}


def _describe(error: Any) -> str:
    """A short message: jsonschema's own quotes the whole offending value, which may be huge."""
    if error.validator == "type":
        return f"expected {error.validator_value}, got {_JSON_TYPES.get(type(error.instance), 'value')}"
    import json

    if error.validator in ("pattern", "minLength", "const", "oneOf", "minimum", "minItems", "uniqueItems"):
        shown = json.dumps(error.instance, ensure_ascii=False)
        shown = shown if len(shown) <= 40 else shown[:39] + "…"
        rule = {"pattern": f"does not match {error.validator_value}", "minLength": "is too short",
                "const": f"must be {error.validator_value!r}", "oneOf": "is not a valid value here",
                "minimum": f"is below {error.validator_value}", "minItems": "must not be empty",
                "uniqueItems": "has repeated items"}[error.validator]
        return f"{shown} {rule}"
    return error.message if len(error.message) <= 160 else error.message[:159] + "…"


def cross_reference_problems(data: dict[str, Any]) -> list[Problem]:
    """What a schema cannot say: unique ids, known source ids, no alias on two entries."""
    problems: list[Problem] = []
    source_ids: set[str] = set()
    for i, source in enumerate(data.get("sources", [])):
        if source["id"] in source_ids:
            problems.append(Problem(f"$.sources[{i}].id", f"duplicate source id {source['id']!r}"))
        source_ids.add(source["id"])

    seen_ids: dict[str, str] = {}
    seen_aliases: dict[str, str] = {}
    cited: set[str] = set()

    def claim_id(identifier: str, where: str) -> None:
        if identifier in seen_ids:
            problems.append(Problem(where, f"duplicate id {identifier!r} (also at {seen_ids[identifier]})"))
        else:
            seen_ids[identifier] = where

    def check_refs(refs: list[str], where: str) -> None:
        for j, ref in enumerate(refs):
            cited.add(ref)
            if ref not in source_ids:
                problems.append(Problem(f"{where}[{j}]", f"unknown source id {ref!r}"))

    for i, entry in enumerate(data.get("faq", [])):
        claim_id(entry["id"], f"$.faq[{i}].id")
        check_refs(entry["sources"], f"$.faq[{i}].sources")
        for j, alias in enumerate(entry["aliases"]):
            key = " ".join(matching.normalize(alias).split())
            if key in seen_aliases and seen_aliases[key] != entry["id"]:
                problems.append(
                    Problem(f"$.faq[{i}].aliases[{j}]", f"alias {alias!r} is also used by {seen_aliases[key]!r}")
                )
            seen_aliases.setdefault(key, entry["id"])
    for i, country in enumerate(data.get("countries", [])):
        claim_id(country["id"], f"$.countries[{i}].id")
        for derived in country_documents(country):
            if derived["id"] != country["id"]:
                claim_id(derived["id"], f"$.countries[{i}] (derived fact {derived['id']!r})")
        check_refs(country["sources"], f"$.countries[{i}].sources")
        if "population" in country:
            check_refs([country["population"]["source"]], f"$.countries[{i}].population.source")
        for j, mineral in enumerate(country["minerals"]):
            check_refs(mineral["sources"], f"$.countries[{i}].minerals[{j}].sources")
        for fact, refs in country.get("fact_sources", {}).items():
            check_refs(refs, f"$.countries[{i}].fact_sources.{fact}")
    for derived in region_documents(data.get("countries", [])):
        claim_id(derived["id"], f"$.countries (derived fact {derived['id']!r})")
    for i, milestone in enumerate(data.get("timeline", [])):
        check_refs(milestone["sources"], f"$.timeline[{i}].sources")
    for i, source in enumerate(data.get("sources", [])):
        if source["id"] not in cited:
            problems.append(Problem(f"$.sources[{i}]", f"source {source['id']!r} is never cited"))
    return problems


def find_problems(data: Any) -> list[Problem]:
    """Schema problems first; cross-references only once the shape is right."""
    problems = schema_problems(data)
    return problems or cross_reference_problems(data)


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def currency_text(currency: dict[str, str]) -> str:
    """A currency as every answer writes it: "tenge (KZT)"."""
    return f"{currency['name']} ({currency['code']})"


def leader_text(leader: dict[str, str]) -> str:
    """A head of state as every answer writes it: "President Kassym-Jomart Tokayev (as of 2026-03)"."""
    return f"{leader['title']} {leader['name']} (as of {leader['as_of']})"


def country_documents(country: dict[str, Any]) -> list[dict[str, Any]]:
    """Searchable fact entries derived from a country record, so `ask` answers "capital of X"."""
    name, cid = country["name"], country["id"]
    spellings = [name, country["official_name"], *country.get("aliases", ())]
    profile = [f"{name} ({country['official_name']}): capital {country['capital']}"]
    docs = []

    def add(fact: str, question: str, aliases: list[str], answer: str, refs: list[str], as_of: str | None = None) -> None:
        doc = {"id": f"{cid}-{fact}" if fact else cid, "question": question, "aliases": aliases,
               "answer": answer, "sources": refs, "tags": [name]}
        if as_of:
            doc["as_of"] = as_of
        docs.append(doc)

    add("name", f"What is the official name of {name}?",
        [f"{name} official name", f"{name} full name"],
        f"The official name of {name} is \"{country['official_name']}\".", _fact_refs(country, "codes"))
    add("capital", f"What is the capital of {name}?",
        [f"{name} capital city", f"{country['capital']} capital", f"capital city of {name}"],
        f"The capital of {name} is {country['capital']}.", _fact_refs(country, "capital"))
    add("codes", f"What are the ISO country codes of {name}?",
        [f"{name} iso code", f"{name} country code", f"{name} two-letter and three-letter codes",
         country["iso2"], country["iso3"]],
        f"{name}'s ISO 3166-1 codes are {country['iso2']} (alpha-2), {country['iso3']} (alpha-3)"
        + (f" and {country['iso_numeric']} (numeric)." if "iso_numeric" in country else "."), _fact_refs(country, "codes"))
    if "currency" in country:
        currency = country["currency"]
        profile.append(f"currency {currency_text(currency)}")
        add("currency", f"What currency does {name} use?",
            [f"{name} currency", f"{name} money", currency["code"], f"{currency['name']} currency"],
            f"{name} uses the {currency['name']} (ISO 4217 code {currency['code']}).", _fact_refs(country, "currency"))
    if "head_of_state" in country:
        leader = country["head_of_state"]
        profile.append(f"{leader['title'].lower()} {leader['name']} (as of {leader['as_of']})")
        add("leader", f"Who is the head of state of {name}?",
            [f"{leader['title']} of {name}", f"{name} leader", f"who leads {name}", leader["name"]],
            f"{name}'s head of state is {leader_text(leader)}."
            + (f" {_sentence(leader['note'])}" if leader.get("note") else ""),
            _fact_refs(country, "head_of_state"), leader["as_of"])
    if "population" in country:
        population = country["population"]
        profile.append(f"population {population['value']:,} ({population['as_of']})")
        note = f" {_sentence(population['note'])}" if population.get("note") else ""
        add("population", f"What is the population of {name}?",
            [f"{name} population", f"how many people live in {name}", f"{name} inhabitants"],
            f"{name} had a population of {population['value']:,} as of {population['as_of']}.{note}",
            [population["source"]], population["as_of"])
    if "area_km2" in country:
        note = f" {_sentence(country['area_note'])}" if country.get("area_note") else ""
        add("area", f"How big is {name} (area)?",
            [f"area of {name}", f"{name} size in square kilometres", f"{name} surface area"],
            f"{name} covers about {country['area_km2']:,} km².{note}", _fact_refs(country, "area"))
    minerals = ", ".join(m["name"] for m in country["minerals"])
    if minerals:
        profile.append(f"headline minerals {minerals}")
    add("", f"{name}: country profile", [*spellings, f"{name} profile", f"{name} overview", f"facts about {name}"],
        "; ".join(profile) + ".", country["sources"])
    return docs


#: Questions about all five countries at once ("capitals of Central Asia"), answered from the
#: country records: (id, question, aliases, the fact_sources key, one country's line or None).
_REGION_FACTS: tuple[tuple[str, str, list[str], str, Callable[[dict[str, Any]], str | None]], ...] = (
    ("c5-capitals", "What are the capitals of the five Central Asian countries?",
     ["capitals of central asia", "c5 capital cities", "central asian capitals"], "capital",
     lambda c: c["capital"]),
    ("c5-currencies", "What currencies do the five Central Asian countries use?",
     ["central asian currencies", "c5 currencies", "money in central asia"], "currency",
     lambda c: currency_text(c["currency"]) if "currency" in c else None),
    ("c5-leaders", "Who are the presidents of the five Central Asian countries?",
     ["central asian heads of state", "c5 leaders", "presidents of central asia", "central asian presidents"],
     "head_of_state",
     lambda c: leader_text(c["head_of_state"]) if "head_of_state" in c else None),
    ("c5-populations", "What are the populations of the five Central Asian countries?",
     ["central asia population", "most populous central asian country", "c5 populations"], "population",
     lambda c: f"{c['population']['value']:,} ({c['population']['as_of']})" if "population" in c else None),
    ("c5-areas", "How big are the five Central Asian countries?",
     ["largest central asian country", "smallest central asian country", "c5 areas", "central asia size"], "area",
     lambda c: f"about {c['area_km2']:,} km²" if "area_km2" in c else None),
    ("c5-codes", "What are the ISO codes of the five Central Asian countries?",
     ["central asian country codes", "c5 iso codes"], "codes",
     lambda c: f"{c['iso2']} / {c['iso3']}"),
)


def _fact_refs(country: dict[str, Any], fact: str) -> list[str]:
    """The sources behind one fact of a country (its population record names its own)."""
    if fact == "population":
        return [country["population"]["source"]]
    return country.get("fact_sources", {}).get(fact, country["sources"])


def region_documents(countries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per fact across every country, so "capitals of Central Asia" lists all five."""
    docs = []
    for identifier, question, aliases, fact, line in _REGION_FACTS:
        lines = [(country, line(country)) for country in countries]
        lines = [(country, text) for country, text in lines if text]
        if not lines:
            continue
        refs: list[str] = []
        for country, _ in lines:
            refs.extend(ref for ref in _fact_refs(country, fact) if ref not in refs)
        answer = "; ".join(f"{country['name']}: {text}" for country, text in lines) + "."
        doc = {"id": identifier, "question": question, "aliases": aliases, "answer": answer, "sources": refs,
               "tags": ["countries", "central asia"]}
        records = [country.get(fact) for country, _ in lines]
        dates = [record["as_of"] for record in records if isinstance(record, dict) and "as_of" in record]
        if dates:
            doc["as_of"] = min(dates)  # the oldest figure dates the list
        docs.append(doc)
    return docs


def country_synonyms(countries: list[dict[str, Any]]) -> dict[str, str]:
    """One-word spellings of a country ("kazakstan", "kgz") mapped to its name's token."""
    synonyms: dict[str, str] = {}
    for country in countries:
        name = matching.tokenize(country["name"])
        if len(name) != 1:
            continue
        for spelling in (country["official_name"], country["iso3"], *country.get("aliases", ())):
            tokens = matching.tokenize(spelling)
            if len(tokens) == 1 and tokens[0] != name[0]:
                synonyms.setdefault(tokens[0], name[0])
    return synonyms


def derive_documents(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Everything `ask` searches: FAQ entries first, then the facts derived from each country."""
    documents = [dict(entry, kind="faq") for entry in data["faq"]]
    for country in data.get("countries", []):
        documents.extend(dict(doc, kind="country") for doc in country_documents(country))
    documents.extend(dict(doc, kind="country") for doc in region_documents(data.get("countries", [])))
    return documents


class KnowledgeBase:
    """A validated knowledge base: its search index, its documents, and the file's data on demand.

    `ask` needs only the index, a few documents and the sources, all of which come from
    the cache; the whole file is parsed only for commands that list everything.
    """

    def __init__(self, path: Path, index: dict[str, Any], packed_documents: list[bytes], document_ids: list[str],
                 packed_sources: bytes, data: dict[str, Any] | None = None) -> None:
        self.path = path
        self.index = index
        self.document_ids = document_ids
        self._packed_documents = packed_documents  # one marshalled dict per document, unpacked when needed
        self._packed_sources = packed_sources
        self._parsed: dict[int, dict[str, Any]] = {}
        if data is not None:
            self.__dict__["data"] = data  # fills the cached_property below

    @cached_property
    def data(self) -> dict[str, Any]:
        return parse_json(self.path, read_bytes(self.path))

    def document(self, position: int) -> dict[str, Any]:
        if position not in self._parsed:
            self._parsed[position] = marshal.loads(self._packed_documents[position])
        return self._parsed[position]

    @property
    def documents(self) -> list[dict[str, Any]]:
        return [self.document(position) for position in range(len(self.document_ids))]

    def find(self, document_id: str) -> dict[str, Any] | None:
        position = self._positions.get(document_id)
        return None if position is None else self.document(position)

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {doc_id: position for position, doc_id in enumerate(self.document_ids)}

    @property
    def countries(self) -> list[dict[str, Any]]:
        return self.data.get("countries", [])

    @property
    def timeline(self) -> list[dict[str, Any]]:
        return sorted(self.data.get("timeline", []), key=lambda m: m["date"])

    @cached_property
    def sources_by_id(self) -> dict[str, dict[str, Any]]:
        return {source["id"]: source for source in marshal.loads(self._packed_sources)}

    def cite(self, source_ids: list[str]) -> list[dict[str, Any]]:
        """The full source records for a list of source ids, in order."""
        return [self.sources_by_id[s] for s in source_ids]

    def country_names(self) -> dict[str, str]:
        """Every spelling a user may type for a country, mapped to the country id."""
        names: dict[str, str] = {}
        for country in self.countries:
            for spelling in (country["id"], country["name"], country["official_name"], country["iso2"],
                             country["iso3"], country.get("iso_numeric", ""), *country.get("aliases", ())):
                if spelling:
                    names[spelling] = country["id"]
        return names

    def mineral_names(self) -> dict[str, str]:
        """Mineral spellings (with and without a plural s) mapped to the canonical name."""
        names: dict[str, str] = {}
        for country in self.countries:
            for mineral in country["minerals"]:
                canonical = mineral["name"]
                names[canonical] = canonical
                names[canonical.removesuffix("s")] = canonical
        return names

    def country(self, country_id: str) -> dict[str, Any]:
        return next(c for c in self.countries if c["id"] == country_id)

    def holders(self, mineral: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """(country, mineral record) for every country that lists this mineral."""
        return [(c, m) for c in self.countries for m in c["minerals"] if m["name"] == mineral]


def _stat(path: Path) -> os.stat_result:
    try:
        status = path.stat()
    except FileNotFoundError:
        raise DataError(f"{path}: data file not found", ExitCode.DATA_MISSING) from None
    except OSError as error:
        raise DataError(f"{path}: cannot read data file ({error.strerror})", ExitCode.DATA_MISSING) from None
    if not stat.S_ISREG(status.st_mode):
        raise DataError(f"{path}: is a directory, not a data file" if stat.S_ISDIR(status.st_mode)
                        else f"{path}: not a regular file", ExitCode.DATA_MISSING)
    return status


def _fingerprint(status: os.stat_result) -> list[Any]:
    """What identifies one version of the file, as git's index does: any write changes ctime.

    Reading and hashing a 60 MB file would cost more than the whole cached query. The
    matcher's own source is part of the key too, so an upgraded c5 never reads an index
    that an older tokeniser built.
    """
    code = [os.stat(module).st_mtime_ns for module in (matching.__file__, __file__)]
    return [CACHE_FORMAT, __version__, sys.version_info[:2], code, status.st_size, status.st_mtime_ns,
            status.st_ctime_ns, status.st_ino, status.st_dev]


def _cache_file(path: Path) -> Path:
    return cache_dir() / f"kb-{zlib.crc32(str(path.resolve()).encode()):08x}.marshal"


def _read_cache(cache_file: Path, fingerprint: list[Any]) -> dict[str, Any] | None:
    """The cached entry if it was built from this version of the file; anything odd is a miss."""
    try:
        with _no_gc():
            cached = marshal.loads(cache_file.read_bytes())  # loads(bytes) is ~5x faster than load(file)
        if cached["fingerprint"] == fingerprint:
            return cached
    except Exception:  # a corrupt or foreign cache file is just a miss
        return None
    return None


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic GC while unpacking large acyclic data: it would rescan every new object."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _write_cache(cache_file: Path, entry: dict[str, Any]) -> None:
    """Write atomically (temp file, then rename); a read-only cache dir only costs speed."""
    temporary = cache_file.with_name(f"{cache_file.name}.{os.getpid()}.tmp")
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(marshal.dumps(entry))
        os.replace(temporary, cache_file)
    except (OSError, ValueError):
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            pass


def quick_problem(data: Any) -> Problem | None:
    """The first problem, fast: a compiled validator for the happy path, jsonschema to word a failure."""
    import fastjsonschema  # 13x faster than jsonschema on 10k entries (benchmarks/scale.py)

    try:
        fastjsonschema.compile(load_schema())(data)
    except fastjsonschema.JsonSchemaException:
        problems = schema_problems(data)
        return problems[0] if problems else Problem("$", "does not match the schema")
    problems = cross_reference_problems(data)
    return problems[0] if problems else None


def load(path: Path) -> KnowledgeBase:
    """Load a knowledge base, validated and indexed, from the cache when the file is unchanged."""
    fingerprint = _fingerprint(_stat(path))
    cache_file = _cache_file(path)
    cached = _read_cache(cache_file, fingerprint)
    if cached is not None:
        return KnowledgeBase(path, cached["index"], cached["documents"], cached["ids"], cached["sources"])
    data = parse_json(path, read_bytes(path))
    problem = quick_problem(data)
    if problem is not None:
        raise DataError(f"{path}: invalid knowledge base: {problem} (run `c5 validate` for every problem)",
                        ExitCode.DATA_INVALID)
    documents = derive_documents(data)
    entry = {
        "fingerprint": fingerprint,
        "index": matching.build_index(
            documents,
            country_synonyms(data.get("countries", [])),
            data["meta"].get("topic", ""),
            [token for country in data.get("countries", []) for token in matching.tokenize(country["name"])],
        ),
        "documents": [marshal.dumps(doc) for doc in documents],
        "ids": [doc["id"] for doc in documents],
        "sources": marshal.dumps(data["sources"]),
    }
    _write_cache(cache_file, entry)
    return KnowledgeBase(path, entry["index"], entry["documents"], entry["ids"], entry["sources"], data)


def validate_file(path: Path) -> list[Problem]:
    """Every problem in a file, for `c5 validate`; raises DataError if it cannot be parsed at all."""
    _stat(path)
    return find_problems(parse_json(path, read_bytes(path)))
