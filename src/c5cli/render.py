"""All output formatting in one place: JSON, plain text for pipes, and Rich for terminals.

Plain mode is chosen whenever stdout is not a terminal (unless ``--color always``): no
colour, no box drawing, no hard wrap, and tables as a header plus tab-separated rows, so
``cut``, ``awk`` and ``grep`` work. Rich is imported only when it is used, which keeps
piped and ``--json`` runs fast.
"""

from __future__ import annotations

import os
import sys
from typing import Any, NamedTuple, Sequence

COLOR_CHOICES = ("auto", "always", "never")


class Renderer(NamedTuple):
    """Writes one command's output to stdout in the chosen style."""

    as_json: bool = False
    color: str = "auto"

    @property
    def rich(self) -> bool:
        """Rich layout: on a terminal, or when colour is forced."""
        if self.as_json:
            return False
        return self.color == "always" or (self.color == "auto" and sys.stdout.isatty())

    def _console(self):  # -> rich.console.Console, imported lazily
        from rich.console import Console

        no_color = self.color == "never" or (self.color == "auto" and "NO_COLOR" in os.environ)
        return Console(no_color=no_color, force_terminal=self.color == "always" or None, highlight=False,
                       soft_wrap=not sys.stdout.isatty())

    # -- primitives -------------------------------------------------------------------

    def json(self, document: Any, *, compact: bool = False) -> None:
        import json  # not needed on the plain and Rich paths

        text = json.dumps(document, ensure_ascii=False, indent=None if compact else 2)
        sys.stdout.write(text + "\n")

    def lines(self, lines: Sequence[str]) -> None:
        sys.stdout.write("".join(line + "\n" for line in lines))

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None) -> None:
        """A Rich table on a terminal; a header line plus tab-separated rows otherwise."""
        if not self.rich:
            clean = [[_cell(value) for value in row] for row in rows]
            self.lines(["\t".join(headers), *("\t".join(row) for row in clean)])
            return
        from rich.table import Table

        table = Table(title=title, header_style="bold", show_lines=False)
        for header in headers:
            table.add_column(header, overflow="fold")
        for row in rows:
            table.add_row(*(_cell(value) for value in row))
        self._console().print(table)

    def fields(self, title: str, pairs: Sequence[tuple[str, str]]) -> None:
        """A titled record: ``Key: value`` lines, or a Rich panel on a terminal."""
        if not self.rich:
            self.lines([title, *(f"{key}: {value}" for key, value in pairs)])
            return
        from rich.panel import Panel
        from rich.table import Table

        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        for key, value in pairs:
            grid.add_row(key, value)
        self._console().print(Panel(grid, title=f"[bold]{_escape(title)}[/bold]", title_align="left"))

    # -- answers ----------------------------------------------------------------------

    def answers(self, matches: Sequence[dict[str, Any]], explanation: list[dict[str, Any]] | None) -> None:
        """Matches of `c5 ask` / `c5 show`: question, answer, as-of date and sources."""
        for number, match in enumerate(matches):
            if number:
                sys.stdout.write("\n")
            self._answer(match, len(matches) > 1 and number + 1)
        if explanation:
            sys.stdout.write("\n")
            self.explanation(explanation)

    def _answer(self, match: dict[str, Any], rank: int | bool) -> None:
        heading = f"{rank}. {match['question']}" if rank else match["question"]
        as_of = f"As of {match['as_of']}." if match.get("as_of") else ""
        citations = [citation(source) for source in match["sources"]]
        if not self.rich:
            lines = [heading, match["answer"]]
            if as_of:
                lines.append(as_of)
            lines.append("Sources:")
            lines.extend(f"- {c}" for c in citations)
            self.lines(lines)
            return
        from rich.panel import Panel
        from rich.text import Text

        body = Text(match["answer"])
        if as_of:
            body.append(f"\n{as_of}", style="dim")
        body.append("\n\nSources:", style="bold")
        for source, text in zip(match["sources"], citations):
            line = Text("\n• ")
            line.append(text, style=f"link {source['url']}" if source.get("url") else "")
            body.append(line)
        subtitle = f"[dim]{match['id']} · score {match['score']:.0f}[/dim]" if "score" in match else f"[dim]{match['id']}[/dim]"
        self._console().print(Panel(body, title=f"[bold]{_escape(heading)}[/bold]", title_align="left",
                                    subtitle=subtitle, subtitle_align="right"))

    def explanation(self, explanation: list[dict[str, Any]]) -> None:
        """Why the winner won: matched words per field and each score component."""
        lines = []
        for item in explanation:
            lines.append(f"{item['role']}: {item['id']}  score {item['score']} (threshold {item['threshold']})")
            lines.append(f"  relevance {item['relevance']} = {item['query_coverage']} query coverage and "
                         f"{item['phrase_coverage']} phrase coverage; bm25 {item['bm25']}")
            terms = " ".join(f"{value:+.3g}x{name}" for name, value in item["weights"].items() if name != "bias")
            features = ", ".join(f"{name} {value}" for name, value in item["features"].items())
            lines.append(f"  confidence = sigmoid({item['weights']['bias']:+.3g} {terms}) with {features}")
            if item["misses_place"]:
                lines.append("  never mentions a place or subject the question names, so it is not an answer")
            lines.append(f"  best phrase: {item['best_phrase']}")
            for field_name, words in item["matched"].items():
                lines.append(f"  matched in {field_name}: {', '.join(words)}")
        query = explanation[0]["query"]
        lines.append(f"query terms: {', '.join(query['terms']) or '(none)'}")
        if query["corrections"]:
            lines.append("corrected: " + ", ".join(f"{a} -> {b}" for a, b in query["corrections"].items()))
        if query["unknown"]:
            lines.append(f"unknown words: {', '.join(query['unknown'])}")
        self.lines(lines)


def citation(source: dict[str, Any]) -> str:
    """One-line citation: title, publisher, date and URL, flagging unverified URLs."""
    text = f"{source['title']} — {source['publisher']}, {source.get('date') or 'n.d.'}"
    if source.get("url"):
        text += f" — {source['url']}"
    if not source.get("url_verified", True):
        text += " (URL or attribution not verified)"
    return text


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    return " ".join(str(value).split())


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def message(text: str) -> None:
    """A message for people: stderr, never stdout."""
    sys.stderr.write(text + "\n")
    sys.stderr.flush()
