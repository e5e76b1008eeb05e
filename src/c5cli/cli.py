"""The `c5` command line: parse arguments, call `api`, render the result. Nothing else."""

from __future__ import annotations

import functools
import os
import sys
from operator import itemgetter
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple

import typer

from . import __version__, api, knowledge, matching
from .errors import C5Error, ExitCode
from .render import COLOR_CHOICES, Renderer, citation, message

app = typer.Typer(
    name="c5",
    help="Cited answers about the US-Central Asia C5+1 format and its Critical Minerals Dialogue.\n\n"
    'Example: c5 ask "what is C5+1"',
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)

JsonFlag = typer.Option(False, "--json", help="Print one JSON document to stdout.")


class Settings(NamedTuple):
    """The global options, shared by every command through the Click context."""

    data: Optional[str]
    color: str

    def renderer(self, as_json: bool) -> Renderer:
        return Renderer(as_json=as_json, color=self.color)

    def knowledge_base(self) -> knowledge.KnowledgeBase:
        return knowledge.load(knowledge.resolve_data_path(self.data))


def _settings(ctx: typer.Context) -> Settings:
    return ctx.find_root().obj or Settings(None, "auto")


def guarded(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn expected failures into one stderr line and a documented exit code; survive closed pipes."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            try:
                return command(*args, **kwargs)
            except C5Error as error:
                message(f"c5: {error.message}")
                raise typer.Exit(int(error.code)) from None
            finally:
                sys.stdout.flush()  # surface a closed pipe here, not as a warning at exit
        except BrokenPipeError:
            # The reader left (`c5 faq | head -1`): silence the flush at exit and stop quietly.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(int(ExitCode.BROKEN_PIPE)) from None

    return wrapper


def command(*args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`app.command`, with every command guarded the same way."""

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        return app.command(*args, **kwargs)(guarded(function))

    return register


def _complete(ctx: typer.Context, incomplete: str, names: Callable[[knowledge.KnowledgeBase], List[str]]) -> List[str]:
    """Shell-completion candidates; completion must never fail loudly."""
    try:
        data = (ctx.find_root().params or {}).get("data")
        kb = knowledge.load(knowledge.resolve_data_path(data))
        key = incomplete.casefold()
        return [name for name in names(kb) if name.casefold().startswith(key)]
    except Exception:
        return []


def complete_entry_ids(ctx: typer.Context, incomplete: str) -> List[str]:
    return _complete(ctx, incomplete, lambda kb: kb.document_ids)


def complete_countries(ctx: typer.Context, incomplete: str) -> List[str]:
    return _complete(ctx, incomplete, lambda kb: [c["name"] for c in kb.countries])


def complete_minerals(ctx: typer.Context, incomplete: str) -> List[str]:
    return _complete(ctx, incomplete, lambda kb: sorted({m["name"] for c in kb.countries for m in c["minerals"]}))


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"c5 {__version__}\n")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    data: Optional[str] = typer.Option(
        None, "--data", metavar="FILE", help=f"Use this knowledge-base file instead of the bundled one (or set {knowledge.DATA_ENV})."
    ),
    color: str = typer.Option("auto", "--color", metavar="WHEN", help="Colour and boxes: auto, always or never. NO_COLOR is honoured."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """Cited answers about the US-Central Asia C5+1 format and its Critical Minerals Dialogue."""
    if color not in COLOR_CHOICES:
        raise typer.BadParameter(f"must be one of {', '.join(COLOR_CHOICES)}", param_hint="--color")
    ctx.obj = Settings(data, color)


def _source_ids(row: Dict[str, Any]) -> List[str]:
    return [source["id"] for source in row["sources"]]


Column = Tuple[str, Callable[[Dict[str, Any]], Any]]


def _print_rows(ctx: typer.Context, as_json: bool, rows: List[Dict[str, Any]], columns: List[Column], title: str) -> None:
    """The shared shape of list commands: the rows as JSON, or a table of the chosen columns."""
    renderer = _settings(ctx).renderer(as_json)
    if as_json:
        renderer.json(rows)
        return
    renderer.table([header for header, _ in columns], [[get(row) for _, get in columns] for row in rows], title=title)


def _read_questions(words: List[str]) -> List[str]:
    """The question from the arguments, or one question per line from stdin for `-`."""
    if words == ["-"]:
        text = sys.stdin.buffer.read().decode("utf-8", errors="replace")
        return [line.strip() for line in text.splitlines() if line.strip()]
    return [" ".join(words).strip()]


@command()
def ask(
    ctx: typer.Context,
    question: Optional[List[str]] = typer.Argument(None, help="The question; quotes optional. Use - to read questions from stdin, one per line."),
    top: int = typer.Option(1, "--top", "-n", min=1, max=50, help="Show the N best matches, ranked."),
    explain: bool = typer.Option(False, "--explain", help="Show why the top entry won, and what the runner-up scored."),
    as_json: bool = JsonFlag,
) -> None:
    """Answer a question with the best-matching entry and its sources.

    Example: c5 ask what is c5+1

    Exits 1 with "did you mean" suggestions when nothing matches confidently.
    """
    settings = _settings(ctx)
    from_stdin = question == ["-"]
    questions = _read_questions(question or [])
    renderer = settings.renderer(as_json)
    if not questions or not any(questions):
        if as_json:
            renderer.json({"query": "", "matches": [], "suggestions": []}, compact=from_stdin)
        message('c5: the question is empty; try: c5 ask "what is C5+1"')
        raise typer.Exit(int(ExitCode.USAGE))
    kb = settings.knowledge_base()
    unanswered = 0
    for number, text in enumerate(questions):
        result = api.ask(kb, text, top=top, explain=explain)
        if as_json:
            renderer.json(result, compact=from_stdin)  # JSON Lines for `ask -`
        elif result["matches"]:
            if number:
                sys.stdout.write("\n")
            renderer.answers(result["matches"], result.get("explain"))
        if result.get("ambiguous"):
            message("c5: several entries match about equally well; showing them all.")
        if not result["matches"]:
            unanswered += 1
            _report_no_answer(result, renderer if explain and not as_json else None)
    if unanswered:
        raise typer.Exit(int(ExitCode.NOT_FOUND))


def _report_no_answer(result: dict[str, Any], renderer: Optional[Renderer]) -> None:
    shown = result["query"] if len(result["query"]) <= 80 else result["query"][:77] + "..."
    message(f"c5: no confident answer for {shown!r}.")
    if result["suggestions"]:
        message("Did you mean:")
        for suggestion in result["suggestions"]:
            message(f"  c5 show {suggestion['id']}    # {suggestion['question']}")
    else:
        message("Try `c5 faq` to list every question c5 can answer.")
    if renderer and result.get("explain"):
        renderer.explanation(result["explain"])


@command()
def countries(ctx: typer.Context, as_json: bool = JsonFlag) -> None:
    """List the five Central Asian members: name, capital, ISO codes and headline minerals.

    Example: c5 countries
    """
    rows = [api.country_summary(c) for c in _settings(ctx).knowledge_base().countries]
    columns = [("Name", itemgetter("name")), ("Official name", itemgetter("official_name")),
               ("Capital", itemgetter("capital")), ("ISO2", itemgetter("iso2")), ("ISO3", itemgetter("iso3")),
               ("Minerals", itemgetter("minerals"))]
    _print_rows(ctx, as_json, rows, columns, "C5 countries")


def _resolve(kind: str, query: str, names: dict[str, str]) -> str:
    found, suggestions = matching.resolve_name(query, names)
    if found is None:
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        raise C5Error(f"unknown {kind} {query!r}{hint}", ExitCode.NOT_FOUND)
    return found


@command()
def country(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Name, official name, alias or ISO code.", autocompletion=complete_countries),
    as_json: bool = JsonFlag,
) -> None:
    """Show one country's whole profile. Names are forgiving: KG, kgz, kyrgyz republic, kazakstan.

    Example: c5 country uzbek
    """
    settings = _settings(ctx)
    kb = settings.knowledge_base()
    profile = api.country_profile(kb, kb.country(_resolve("country", name, kb.country_names())))
    renderer = settings.renderer(as_json)
    if as_json:
        renderer.json(profile)
        return
    pairs = [("Official name", profile["official_name"]), ("Capital", profile["capital"]),
             ("ISO codes", " / ".join(filter(None, [profile["iso2"], profile["iso3"], profile.get("iso_numeric")])))]
    if "area_km2" in profile:
        pairs.append(("Area", f"{profile['area_km2']:,} km²" + (f" ({profile['area_note']})" if profile.get("area_note") else "")))
    if "population" in profile:
        population = profile["population"]
        pairs.append(("Population", f"{population['value']:,} (as of {population['as_of']})"
                      + (f" {population['note']}" if population.get("note") else "")))
    if "currency" in profile:
        pairs.append(("Currency", knowledge.currency_text(profile["currency"])))
    if "head_of_state" in profile:
        leader = profile["head_of_state"]
        pairs.append(("Head of state", knowledge.leader_text(leader) + (f" {leader['note']}" if leader.get("note") else "")))
    for mineral in profile["minerals"]:
        pairs.append((f"Mineral: {mineral['name']}", mineral["note"]))
    for number, source in enumerate(profile["sources"], 1):
        pairs.append((f"Source {number}", citation(source)))
    renderer.fields(profile["name"], pairs)


@command()
def sources(ctx: typer.Context, as_json: bool = JsonFlag) -> None:
    """List every cited source: id, title, publisher, date, URL, whether the URL is verified, and use count.

    Example: c5 sources --json | jq '.[] | select(.url_verified == false)'
    """
    rows = api.sources(_settings(ctx).knowledge_base())
    columns = [("ID", itemgetter("id")), ("Title", itemgetter("title")), ("Publisher", itemgetter("publisher")),
               ("Date", lambda r: r["date"] or "n.d."), ("URL", itemgetter("url")),
               ("Verified", itemgetter("url_verified")), ("Cited by", itemgetter("cited_by"))]
    _print_rows(ctx, as_json, rows, columns, "Sources")


@command()
def faq(ctx: typer.Context, as_json: bool = JsonFlag) -> None:
    """List every FAQ entry's id and question.

    Example: c5 faq | grep -i tungsten
    """
    rows = api.faq(_settings(ctx).knowledge_base())
    _print_rows(ctx, as_json, rows, [("ID", itemgetter("id")), ("Question", itemgetter("question"))], "FAQ")


@command()
def show(
    ctx: typer.Context,
    entry_id: str = typer.Argument(..., metavar="ID", help="An id from `c5 faq` (or a country fact such as kz-capital).", autocompletion=complete_entry_ids),
    as_json: bool = JsonFlag,
) -> None:
    """Print one entry in full, with its sources.

    Example: c5 show cmd-people
    """
    settings = _settings(ctx)
    kb = settings.knowledge_base()
    document = kb.find(entry_id) or kb.find(_resolve("id", entry_id, {i: i for i in kb.document_ids}))
    result = api.entry(kb, document)
    renderer = settings.renderer(as_json)
    if as_json:
        renderer.json(result)
    else:
        renderer.answers([result], None)


@command()
def timeline(
    ctx: typer.Context,
    since: Optional[int] = typer.Option(None, "--since", metavar="YEAR", min=1900, max=2100, help="Only milestones from this year on."),
    as_json: bool = JsonFlag,
) -> None:
    """Dated milestones of C5+1 and of critical minerals, oldest first.

    Example: c5 timeline --since 2025
    """
    rows = api.timeline(_settings(ctx).knowledge_base(), since)
    columns = [("Date", itemgetter("date")), ("Event", itemgetter("event")), ("Sources", _source_ids)]
    _print_rows(ctx, as_json, rows, columns, "Timeline")


@command()
def minerals(
    ctx: typer.Context,
    mineral: Optional[str] = typer.Argument(None, help="A mineral; typos are forgiven (urainum).", autocompletion=complete_minerals),
    as_json: bool = JsonFlag,
) -> None:
    """Which member holds which minerals. With a mineral, the countries that hold it, with notes.

    Example: c5 minerals uranium
    """
    settings = _settings(ctx)
    kb = settings.knowledge_base()
    renderer = settings.renderer(as_json)
    if mineral is None:
        overview = api.minerals_overview(kb)
        if as_json:
            renderer.json(overview)
            return
        ids = [c["id"] for c in overview["countries"]]
        renderer.table(
            ["Mineral", *(c["name"] for c in overview["countries"])],
            [[m["name"], *("x" if cid in m["countries"] else "" for cid in ids)] for m in overview["minerals"]],
            title="Minerals by country",
        )
        return
    result = api.mineral_holders(kb, _resolve("mineral", mineral, kb.mineral_names()))
    if as_json:
        renderer.json(result)
        return
    renderer.table(
        ["Country", "Note", "Sources"],
        [[c["name"], c["note"], _source_ids(c)] for c in result["countries"]],
        title=result["mineral"],
    )


@command()
def validate(
    ctx: typer.Context,
    file: Optional[str] = typer.Argument(None, metavar="FILE", help="The file to check (default: the data in use)."),
    as_json: bool = JsonFlag,
) -> None:
    """Check a knowledge-base file against the schema and its cross-references.

    Prints every problem with its JSON path. Exits 0 if valid, 5 if not.

    Example: c5 validate my-notes.json
    """
    settings = _settings(ctx)
    path = knowledge.resolve_data_path(file or settings.data)
    problems = knowledge.validate_file(path)
    renderer = settings.renderer(as_json)
    if as_json:
        renderer.json({"file": str(path), "valid": not problems,
                       "problems": [{"path": p.path, "message": p.message} for p in problems]})
    else:
        renderer.lines([str(p) for p in problems])
    if problems:
        message(f"c5: {path}: {len(problems)} problem(s)")
        raise typer.Exit(int(ExitCode.DATA_INVALID))
    message(f"c5: {path}: valid")


@command()
def schema(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Accepted for uniformity: the schema is JSON.")) -> None:
    """Print the JSON Schema of the knowledge-base format.

    Example: c5 schema > c5.schema.json
    """
    sys.stdout.write(knowledge.SCHEMA_PATH.read_text(encoding="utf-8"))
