"""Hostile input, bad data files, closed pipes, Ctrl-C and shell completion."""

from __future__ import annotations

import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from c5cli import api, knowledge
from c5cli.errors import ExitCode
from conftest import small_kb

CLEAN_ASK_CODES = {ExitCode.OK, ExitCode.NOT_FOUND, ExitCode.USAGE}


def assert_clean_json_ask(result) -> dict:
    assert result.exit_code in CLEAN_ASK_CODES, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


# -- hostile questions --------------------------------------------------------------------------

@pytest.mark.parametrize(
    "question",
    [
        "", "   \t  ", "a", "the", "?", "x" * 1_000_000, "what is c5+1 " * 80_000, "c5\x00+1\x00",
        "🦄🚀 c5+1 ❤️", "Что такое C5+1?", "ما هو C5+1", "\u202ewhat is c5+1\u202c",
        "$(rm -rf /); `ls` | & > < * ? ~ ! # ;", "' OR 1=1 --", "\\n\\t%s%n{0}", "c5" + "+" * 5000,
    ],
)
def test_hostile_questions_exit_cleanly_with_valid_json(run, question):
    doc = assert_clean_json_ask(run("ask", "--json", question))
    assert isinstance(doc["matches"], list)


def test_empty_question_is_a_usage_error(run):
    result = run("ask", "   ")
    assert result.exit_code == ExitCode.USAGE
    assert "empty" in result.stderr


def test_question_that_looks_like_an_option(run):
    result = run("ask", "--json", "--", "--json")
    doc = assert_clean_json_ask(result)
    assert doc["query"] == "--json"


def test_stop_word_only_question_gets_no_answer(run):
    result = run("ask", "the")
    assert result.exit_code == ExitCode.NOT_FOUND


@pytest.mark.parametrize(
    "stdin, expected_lines",
    [(b"\xff\xfe\xfa what is c5+1\n", 1), (b"", 0), (b"\n\n  \n", 0), ("\n".join(["capital of uzbekistan"] * 10_000).encode(), 10_000)],
)
def test_hostile_stdin(run, stdin, expected_lines):
    result = run("ask", "--json", "-", input=stdin)
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    if expected_lines == 0:
        assert result.exit_code == ExitCode.USAGE
        assert json.loads(result.stdout)["matches"] == []
    else:
        assert result.exit_code in CLEAN_ASK_CODES
        assert len(lines) == expected_lines
        assert all(json.loads(line)["query"] for line in lines[:3])


SETTINGS = settings(max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck))
ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=200)
WORDY_TEXT = st.lists(
    st.sampled_from(["c5+1", "kazakhstan", "uranium", "the", "who", "minerals", "dialogue", "capital", "+", "?", "ß",
                     "кз", "2024", "granholm", "--json", "-", "china", "rare", "earth"]), max_size=12
).map(" ".join)


@functools.cache
def bundled_kb() -> knowledge.KnowledgeBase:
    return knowledge.load(knowledge.bundled_data_path())


@SETTINGS
@given(question=st.one_of(ANY_TEXT, WORDY_TEXT))
def test_generated_questions_through_the_library(question):
    kb = bundled_kb()
    result = api.ask(kb, question, top=3, explain=True)
    encoded = json.loads(json.dumps(result))
    assert encoded["query"] == question
    assert len(encoded["matches"]) <= 3 or result.get("ambiguous")
    for match in encoded["matches"]:
        assert 0 <= match["score"] <= 100 and match["sources"]


@SETTINGS
@given(question=st.one_of(ANY_TEXT, WORDY_TEXT))
def test_generated_questions_through_the_cli(question):
    from typer.testing import CliRunner

    from c5cli.cli import app

    assume(question != "-")  # `ask -` reads stdin, tested above
    result = CliRunner().invoke(app, ["ask", "--json", "--", question], catch_exceptions=False)
    doc = assert_clean_json_ask(result)
    assert doc["query"] == question.strip()


# -- bad data -----------------------------------------------------------------------------------------

def _bad_files(write_data):
    good = small_kb()
    wrong_types = dict(good, faq=[dict(good["faq"][0], aliases="not a list")])
    duplicate = dict(good, faq=[good["faq"][0], dict(good["faq"][1], id=good["faq"][0]["id"])])
    dangling = dict(good, faq=[dict(good["faq"][0], sources=["nowhere"]), good["faq"][1]])
    return {
        "missing": (write_data(good, "present.json").with_name("absent.json"), ExitCode.DATA_MISSING, "not found"),
        "empty": (write_data(b"", "empty.json"), ExitCode.DATA_NOT_JSON, "empty"),
        "truncated": (write_data(json.dumps(good)[:-40], "truncated.json"), ExitCode.DATA_NOT_JSON, "not valid JSON at line 1"),
        "array": (write_data([good], "array.json"), ExitCode.DATA_INVALID, "$: expected object, got array"),
        "wrong types": (write_data(wrong_types, "types.json"), ExitCode.DATA_INVALID, "$.faq[0].aliases: expected array, got string"),
        "duplicate ids": (write_data(duplicate, "duplicate.json"), ExitCode.DATA_INVALID, "duplicate id 'lecture-1'"),
        "dangling": (write_data(dangling, "dangling.json"), ExitCode.DATA_INVALID, "unknown source id 'nowhere'"),
        "binary": (write_data(os.urandom(10 * 1024 * 1024), "garbage.bin"), ExitCode.DATA_NOT_JSON, "not a UTF-8 text file"),
        "directory": (write_data(good, "present.json").parent, ExitCode.DATA_MISSING, "is a directory"),
    }


BAD_KINDS = ["missing", "empty", "truncated", "array", "wrong types", "duplicate ids", "dangling", "binary", "directory"]


@pytest.mark.parametrize("kind", BAD_KINDS)
@pytest.mark.parametrize("via", ["--data", "C5_DATA"])
def test_bad_data_gives_one_clear_line(run, write_data, kind, via):
    path, code, needle = _bad_files(write_data)[kind]
    if via == "--data":
        result = run("--data", str(path), "ask", "what is c5+1")
    else:
        result = run("faq", env={knowledge.DATA_ENV: str(path)})
    assert result.exit_code == code
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert str(path) in lines[0] and needle in lines[0]


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_validate_reports_bad_data(run, write_data, kind):
    path, code, needle = _bad_files(write_data)[kind]
    result = run("validate", "--json", str(path))
    assert result.exit_code == code != 0
    assert "Traceback" not in result.stderr
    if code == ExitCode.DATA_INVALID:
        report = json.loads(result.stdout)
        assert report["valid"] is False and report["problems"]
        assert any(needle in f"{p['path']}: {p['message']}" for p in report["problems"])


def test_validate_lists_every_problem(run, write_data):
    good = small_kb()
    bad = dict(good, faq=[dict(e, sources=["nowhere"]) for e in good["faq"]])
    result = run("validate", str(write_data(bad)))
    assert result.exit_code == ExitCode.DATA_INVALID
    assert result.stdout.splitlines() == [
        "$.faq[0].sources[0]: unknown source id 'nowhere'",
        "$.faq[1].sources[0]: unknown source id 'nowhere'",
        "$.sources[0]: source 'notes' is never cited",
    ]


# -- your own knowledge base --------------------------------------------------------------------------

def test_user_knowledge_base_via_flag_and_env(run, write_data):
    path = write_data(small_kb())
    by_flag = run("--data", str(path), "ask", "--json", "when is the final exam")
    by_env = run("ask", "--json", "when is the final exam", env={knowledge.DATA_ENV: str(path)})
    assert by_flag.exit_code == by_env.exit_code == 0
    assert json.loads(by_flag.stdout)["matches"][0]["id"] == "exam-date"
    assert by_flag.stdout == by_env.stdout
    assert json.loads(run("--data", str(path), "faq", "--json").stdout)[0]["id"] == "lecture-1"
    assert json.loads(run("--data", str(path), "countries", "--json").stdout) == []
    assert run("--data", str(path), "validate").exit_code == 0


def test_cache_follows_file_changes_and_survives_corruption(run, write_data, tmp_path, monkeypatch):
    monkeypatch.setenv(knowledge.CACHE_ENV, str(tmp_path / "cache"))
    path = write_data(small_kb())
    assert "12 June" in run("--data", str(path), "ask", "when is the final exam").stdout
    changed = small_kb()
    changed["faq"][1]["answer"] = "On 19 June."
    path.write_text(json.dumps(changed), encoding="utf-8")
    assert "19 June" in run("--data", str(path), "ask", "when is the final exam").stdout
    for cache_file in (tmp_path / "cache").iterdir():
        cache_file.write_bytes(b"\x00garbage")
    assert "19 June" in run("--data", str(path), "ask", "when is the final exam").stdout
    path.write_text("{broken", encoding="utf-8")
    assert run("--data", str(path), "ask", "when is the final exam").exit_code == ExitCode.DATA_NOT_JSON


def test_unwritable_cache_directory_is_not_fatal(run, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv(knowledge.CACHE_ENV, str(blocker / "cache"))
    assert run("ask", "what is c5+1").exit_code == 0


# -- pipes, signals, completion (real processes) ---------------------------------------------------

def _env(tmp_path, env_without_colour, **extra):
    return dict(env_without_colour, C5_CACHE_DIR=str(tmp_path / "cache"), **extra)


def test_closed_pipe_exits_quietly(c5_script, tmp_path, env_without_colour):
    """The reader is gone before c5 writes a byte (pipe buffers here can hold megabytes)."""
    proc = subprocess.Popen([c5_script, "faq"], env=_env(tmp_path, env_without_colour),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == ExitCode.BROKEN_PIPE
    assert stderr == ""


def test_shell_head_sees_no_errors(c5_script, tmp_path, env_without_colour):
    env = _env(tmp_path, env_without_colour, C5=c5_script)
    for pipeline in ['"$C5" faq | head -1', '"$C5" countries | head -c 10', '"$C5" sources --json | head -1']:
        result = subprocess.run(["bash", "-c", pipeline], env=env, capture_output=True, timeout=60)
        assert result.stderr == b"", pipeline
        assert result.stdout


def test_ctrl_c_while_waiting_on_stdin_exits_130(c5_script, tmp_path, env_without_colour):
    proc = subprocess.Popen([c5_script, "ask", "-"], env=_env(tmp_path, env_without_colour),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.0)  # let it start and block on stdin
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == ExitCode.INTERRUPTED
    assert b"Traceback" not in stderr


def test_ctrl_c_while_importing_exits_130(monkeypatch, capsys):
    """Ctrl-C while c5 is still importing Typer and its own modules."""
    from c5cli.__main__ import main

    class InterruptImport:
        def find_spec(self, name, path=None, target=None):
            if name == "c5cli.cli":
                raise KeyboardInterrupt
            return None

    monkeypatch.delitem(sys.modules, "c5cli.cli")
    monkeypatch.setattr(sys, "meta_path", [InterruptImport(), *sys.meta_path])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == ExitCode.INTERRUPTED
    assert "Traceback" not in capsys.readouterr().err


def _complete(c5_script, tmp_path, env_without_colour, words: str) -> list[str]:
    env = _env(tmp_path, env_without_colour, _C5_COMPLETE="complete_bash", COMP_WORDS=words,
               COMP_CWORD=str(len(words.split()) - (0 if words.endswith(" ") else 1)))
    result = subprocess.run([c5_script], env=env, capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.decode().split()


def test_completion_offers_data(c5_script, tmp_path, env_without_colour):
    assert "cmd-people" in _complete(c5_script, tmp_path, env_without_colour, "c5 show cmd-")
    assert _complete(c5_script, tmp_path, env_without_colour, "c5 country Ky") == ["Kyrgyzstan"]
    minerals = _complete(c5_script, tmp_path, env_without_colour, "c5 minerals ")
    assert {"uranium", "antimony", "tungsten"} <= set(minerals)


def test_zsh_completion_protocol_offers_data(c5_script, tmp_path, env_without_colour):
    env = _env(tmp_path, env_without_colour, _C5_COMPLETE="complete_zsh", _TYPER_COMPLETE_ARGS="c5 show cmd-p")
    result = subprocess.run([c5_script], env=env, capture_output=True, timeout=60)
    assert result.returncode == 0
    assert '"cmd-people"' in result.stdout.decode()


@pytest.mark.parametrize("shell, installed", [("bash", ".bash_completions/c5.sh"), ("zsh", ".zfunc/_c5")])
def test_install_completion(c5_script, tmp_path, env_without_colour, shell, installed):
    """`c5 --install-completion` detects the shell it is run from."""
    if not shutil.which(shell):
        pytest.skip(f"{shell} is not installed here")
    home = tmp_path / "home"
    home.mkdir()
    env = _env(tmp_path, env_without_colour, HOME=str(home), C5=c5_script)
    # "; true" keeps the shell as c5's parent process (a lone command would be exec'd in its place)
    result = subprocess.run([shell, "-c", '"$C5" --install-completion; true'], env=env, capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "_C5_COMPLETE" in (home / installed).read_text()


def test_cache_is_rebuilt_for_another_c5_version(write_data, monkeypatch):
    path = write_data(small_kb())
    knowledge.load(path)
    builds = []
    real_build = knowledge.matching.build_index
    monkeypatch.setattr(knowledge.matching, "build_index", lambda *a, **k: builds.append(1) or real_build(*a, **k))
    knowledge.load(path)
    assert builds == []  # unchanged file, same c5: the cache is used
    monkeypatch.setattr(knowledge, "__version__", "99.0")
    knowledge.load(path)
    assert builds == [1]  # an upgraded c5 rebuilds the index
