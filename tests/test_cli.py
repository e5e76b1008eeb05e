"""Behaviour of every command through CliRunner: outputs, JSON contracts and exit codes."""

from __future__ import annotations

import json

import pytest
import typer.main

from c5cli import __version__
from c5cli.cli import app
from c5cli.errors import ExitCode


def ask_json(run, *words: str) -> tuple[dict, int]:
    result = run("ask", "--json", *words)
    return json.loads(result.stdout), result.exit_code


# -- every command has help with an example (sqlite-utils style) -------------------------

COMMANDS = sorted(typer.main.get_command(app).commands)


def test_command_list_is_complete():
    assert set(COMMANDS) >= {"ask", "countries", "country", "sources", "faq", "show", "timeline",
                             "minerals", "validate", "schema"}


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(run, name):
    result = run(name, "--help")
    assert result.exit_code == 0
    assert "Example: c5 " in result.stdout


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"c5 {__version__}"


def test_no_arguments_shows_help_and_usage_errors_exit_2(run):
    assert "Usage" in run().output
    assert run("ask", "--top", "0", "x").exit_code == ExitCode.USAGE
    assert run("nonsense").exit_code == ExitCode.USAGE
    assert run("--color", "purple", "faq").exit_code == ExitCode.USAGE


# -- ask ------------------------------------------------------------------------------------

def test_ask_prints_answer_with_full_citations(run):
    result = run("ask", "what is C5+1")
    assert result.exit_code == 0
    out = result.stdout
    assert out.splitlines()[0] == "What is the C5+1 framework?"
    assert "diplomatic platform established in 2015" in out
    # title, publisher, date and URL of a source
    assert "Joint Statement on the C5+1 Meeting during UNGA 77 — U.S. Department of State, 2022-09" in out
    assert "https://www.state.gov/joint-statement-on-the-c51-meeting-during-unga-77/" in out
    assert result.stderr == ""


def test_ask_accepts_unquoted_words_and_stdin(run):
    unquoted = run("ask", "what", "is", "c5+1")
    piped = run("ask", "-", input="what is c5+1\n")
    assert unquoted.exit_code == piped.exit_code == 0
    assert unquoted.stdout == piped.stdout == run("ask", "what is c5+1").stdout


def test_ask_json_contract(run):
    doc, code = ask_json(run, "who chaired the first minerals dialogue")
    assert code == 0
    assert set(doc) >= {"query", "matches", "suggestions"}
    assert doc["query"] == "who chaired the first minerals dialogue"
    match = doc["matches"][0]
    assert match["id"] == "cmd-people"
    assert set(match) >= {"id", "question", "answer", "score", "sources"}
    assert 0 <= match["score"] <= 100
    assert "Fernandez" in match["answer"]
    for source in match["sources"]:
        assert set(source) >= {"id", "title", "publisher", "date", "url"}


def test_ask_top_returns_ranked_matches(run):
    doc, code = ask_json(run, "--top", "3", "critical minerals dialogue")
    assert code == 0
    scores = [m["score"] for m in doc["matches"]]
    assert len(scores) == 3
    assert scores == sorted(scores, reverse=True)
    assert len({m["id"] for m in doc["matches"]}) == 3


@pytest.mark.parametrize(
    "question, expected_id, fact",
    [
        ("capital of Tajikistan", "tj-capital", "Dushanbe"),
        ("what currency does Tajikistan use", "tj-currency", "somoni"),
        ("who is the president of Uzbekistan", "uz-leader", "Mirziyoyev"),
        ("what minerals does Kyrgyzstan have", "kg-minerals", "Kumtor"),
        ("population of kazakstan", "kz-population", "20,495,975"),
    ],
)
def test_ask_answers_country_facts_naming_country_and_fact(run, question, expected_id, fact):
    doc, code = ask_json(run, question)
    assert code == 0
    top = doc["matches"][0]
    assert top["id"] == expected_id
    assert fact in top["answer"]
    country = {"tj": "Tajikistan", "uz": "Uzbekistan", "kg": "Kyrgyz", "kz": "Kazakhstan"}[expected_id[:2]]
    assert country in top["answer"]


def test_ask_without_confident_match_exits_1_with_suggestions(run):
    result = run("ask", "Kazakhstan GDP")
    assert result.exit_code == ExitCode.NOT_FOUND
    assert result.stdout == ""
    assert "no confident answer" in result.stderr
    assert "Did you mean:" in result.stderr
    assert result.stderr.count("c5 show ") <= 3
    doc, code = ask_json(run, "Kazakhstan GDP")
    assert code == 1
    assert doc["matches"] == []
    assert 1 <= len(doc["suggestions"]) <= 3
    assert all(set(s) >= {"id", "question"} for s in doc["suggestions"])


def test_ask_explain_shows_components_and_runner_up(run):
    result = run("ask", "--explain", "kazakhstn uranium")
    assert result.exit_code == 0
    out = result.stdout
    assert "winner: kz-uranium" in out
    assert "runner-up: " in out
    assert "query coverage" in out and "phrase coverage" in out and "bm25" in out
    assert "corrected: kazakhstn -> kazakhstan" in out
    doc, _ = ask_json(run, "--explain", "kazakhstn uranium")
    assert [item["role"] for item in doc["explain"]] == ["winner", "runner-up"]
    assert doc["explain"][0]["matched"]


def test_ask_is_not_answered_by_an_entry_about_another_place(run):
    # every word but the place matches Kazakhstan's rare-earth entry
    doc, code = ask_json(run, "--explain", "rare earth deposits in mongolia")
    assert code == ExitCode.NOT_FOUND and doc["matches"] == []
    assert doc["explain"][0]["misses_place"] and doc["explain"][0]["features"]["misses_name"] == 1.0
    assert "never mentions a place or subject the question names" in run(
        "ask", "--explain", "rare earth deposits in mongolia").stdout
    doc, code = ask_json(run, "rare earth deposits in kazakhstan")
    assert code == 0 and doc["matches"][0]["id"] == "kz-rare-earths"


def test_ask_stdin_many_questions_gives_json_lines(run):
    result = run("ask", "--json", "-", input="what is c5+1\ncapital of turkmenistan\nwho wrote hamlet\n")
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    docs = [json.loads(line) for line in lines]
    assert [bool(d["matches"]) for d in docs] == [True, True, False]
    assert result.exit_code == ExitCode.NOT_FOUND  # one question went unanswered


# -- countries / country ----------------------------------------------------------------------

def test_countries_json_fields(run):
    result = run("countries", "--json")
    rows = json.loads(result.stdout)
    assert [r["name"] for r in rows] == ["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan"]
    for row in rows:
        assert set(row) >= {"id", "name", "official_name", "capital", "iso2", "iso3", "minerals"}
    assert rows[1]["official_name"] == "Kyrgyz Republic"


def test_countries_piped_is_tab_separated(run):
    lines = run("countries").stdout.splitlines()
    assert lines[0].split("\t") == ["Name", "Official name", "Capital", "ISO2", "ISO3", "Minerals"]
    assert len(lines) == 6
    assert lines[3].split("\t")[:3] == ["Tajikistan", "Republic of Tajikistan", "Dushanbe"]


@pytest.mark.parametrize("name", ["kyrgyzstan", "Kyrgyz Republic", "KG", "kgz", "417", "kirgizstan", "Kyrgystan"])
def test_country_names_are_forgiving(run, name):
    result = run("country", "--json", name)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["name"] == "Kyrgyzstan"


@pytest.mark.parametrize("name, expected", [("uzbek", "Uzbekistan"), ("kazakstan", "Kazakhstan"), ("TKM", "Turkmenistan")])
def test_country_prefixes_and_typos(run, name, expected):
    assert json.loads(run("country", "--json", name).stdout)["name"] == expected


def test_country_profile_is_complete(run):
    profile = json.loads(run("country", "--json", "tj").stdout)
    assert profile["capital"] == "Dushanbe"
    assert profile["currency"] == {"code": "TJS", "name": "somoni"}
    assert profile["population"]["as_of"] == "2026-01-01"
    assert profile["sources"][0]["title"]
    text = run("country", "tajikistan").stdout
    assert "Capital: Dushanbe" in text
    assert "Mineral: antimony:" in text


def test_country_shows_the_note_on_its_head_of_state(run):
    text = run("country", "kyrgyzstan").stdout
    assert "Head of state: President Sadyr Japarov (as of 2026-02) Elected in a snap election" in text
    assert "24 January 2027" in text


def test_unknown_country_exits_1_with_suggestions(run):
    result = run("country", "mongolia")
    assert result.exit_code == ExitCode.NOT_FOUND
    assert "unknown country 'mongolia'" in result.stderr
    result = run("country", "tajikstn")
    assert result.exit_code in (0, 1)
    if result.exit_code == 1:
        assert "did you mean" in result.stderr


# -- sources / faq / show -------------------------------------------------------------------------

def test_sources_json_has_cited_by_and_verification_flag(run, bundled):
    rows = json.loads(run("sources", "--json").stdout)
    assert len(rows) == len(bundled["sources"])
    for row in rows:
        assert set(row) >= {"id", "title", "publisher", "date", "url", "url_verified", "cited_by"}
        assert row["cited_by"] >= 1
    diplomat = next(r for r in rows if r["id"] == "diplomat-2024-03")
    assert diplomat["url_verified"] is False


def test_sources_table_shows_the_flag(run):
    lines = run("sources").stdout.splitlines()
    assert lines[0].split("\t") == ["ID", "Title", "Publisher", "Date", "URL", "Verified", "Cited by"]
    state = next(line for line in lines if line.startswith("state-cmd-2024\t"))
    assert state.split("\t")[5] == "no"


def test_faq_lists_ids_and_questions(run, bundled):
    rows = json.loads(run("faq", "--json").stdout)
    assert rows == [{"id": e["id"], "question": e["question"]} for e in bundled["faq"]]
    assert run("faq").stdout.splitlines()[0] == "ID\tQuestion"


def test_show_prints_one_entry(run):
    entry = json.loads(run("show", "--json", "cmd-people").stdout)
    assert set(entry) >= {"id", "question", "aliases", "answer", "sources"}
    assert "Pyatt" in entry["answer"]
    assert run("show", "kz-capital").stdout.startswith("What is the capital of Kazakhstan?")


def test_show_unknown_id_exits_1_with_suggestions(run):
    result = run("show", "cmd-peple")
    assert result.exit_code in (0, 1)
    result = run("show", "no-such-entry-at-all")
    assert result.exit_code == ExitCode.NOT_FOUND
    assert "unknown id" in result.stderr


# -- timeline / minerals ---------------------------------------------------------------------------

def test_timeline_is_dated_and_ordered(run):
    rows = json.loads(run("timeline", "--json").stdout)
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates)
    assert dates[0].startswith("2015") and dates[-1].startswith("2026")
    assert all(r["event"] and r["sources"] for r in rows)
    recent = json.loads(run("timeline", "--json", "--since", "2025").stdout)
    assert recent and all(r["date"] >= "2025" for r in recent)
    assert run("timeline").stdout.splitlines()[0] == "Date\tEvent\tSources"


@pytest.mark.parametrize("name", ["uranium", "urainum", "Uranium"])
def test_minerals_lists_holders(run, name):
    result = json.loads(run("minerals", "--json", name).stdout)
    assert result["mineral"] == "uranium"
    assert [c["name"] for c in result["countries"]] == ["Kazakhstan", "Uzbekistan"]


def test_minerals_overview_and_unknown(run):
    overview = json.loads(run("minerals", "--json").stdout)
    antimony = next(m for m in overview["minerals"] if m["name"] == "antimony")
    assert set(antimony["countries"]) == {"kg", "tj"}
    lines = run("minerals").stdout.splitlines()
    assert lines[0].split("\t")[1:] == ["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan"]
    result = run("minerals", "plutonium")
    assert result.exit_code == ExitCode.NOT_FOUND


# -- validate / schema ---------------------------------------------------------------------------

def test_schema_prints_the_shipped_schema(run):
    assert run("schema", "--json").stdout == run("schema").stdout
    schema = json.loads(run("schema").stdout)
    assert schema["title"] == "c5 knowledge base"
    assert "faq" in schema["properties"]


def test_validate_bundled_data(run):
    result = run("validate")
    assert result.exit_code == 0
    assert "valid" in result.stderr


# -- colour -----------------------------------------------------------------------------------------

def test_color_always_draws_a_table_and_never_stays_plain(run):
    forced = run("--color", "always", "countries").stdout
    assert "\x1b[" in forced and "━" in forced
    plain = run("--color", "never", "countries").stdout
    assert "\x1b[" not in plain
    assert plain.splitlines()[0] == "Name\tOfficial name\tCapital\tISO2\tISO3\tMinerals"


@pytest.mark.parametrize("env, color, expected", [({}, "auto", False), ({"NO_COLOR": "1"}, "auto", True),
                                                  ({"NO_COLOR": "1"}, "always", False), ({}, "never", True)])
def test_no_color_is_honoured(monkeypatch, env, color, expected):
    from c5cli.render import Renderer

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert Renderer(color=color)._console().no_color is expected
