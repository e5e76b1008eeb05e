"""Shared fixtures. Every test runs hermetically: its own cache dir, no C5_DATA, no colour env."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from c5cli import knowledge
from c5cli.cli import app

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def hermetic(tmp_path_factory, monkeypatch):
    """Isolate the cache and the data location from the developer's environment."""
    monkeypatch.setenv(knowledge.CACHE_ENV, str(tmp_path_factory.mktemp("cache")))
    for name in (knowledge.DATA_ENV, "NO_COLOR", "FORCE_COLOR", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def run():
    """Invoke the CLI in-process; returns the Click result (stdout and stderr kept apart)."""
    runner = CliRunner()

    def invoke(*args: str, input: str | bytes | None = None, env: dict | None = None):
        return runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)

    return invoke


@pytest.fixture(scope="session")
def bundled() -> dict:
    return json.loads(knowledge.bundled_data_path().read_text(encoding="utf-8"))


@pytest.fixture
def kb():
    return knowledge.load(knowledge.bundled_data_path())


@pytest.fixture
def write_data(tmp_path):
    """Write a knowledge base (dict, str or bytes) to a file and return its path."""

    def write(content, name: str = "kb.json") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_text(json.dumps(content), encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def c5_script() -> str:
    """The installed `c5` console script next to this interpreter."""
    script = Path(sys.executable).with_name("c5")
    found = str(script) if script.exists() else shutil.which("c5")
    if not found:
        pytest.fail("the c5 console script is not installed; run the README's set-up command")
    return found


def small_kb() -> dict:
    """A minimal valid knowledge base a user might keep for their own notes."""
    return {
        "meta": {"schema_version": 1, "as_of": "2026-01-01"},
        "faq": [
            {"id": "lecture-1", "question": "What did the first lecture cover?", "aliases": ["lecture one topics"],
             "answer": "Treaty law and the Vienna Convention.", "sources": ["notes"], "tags": ["class"]},
            {"id": "exam-date", "question": "When is the final exam?", "aliases": ["exam day"],
             "answer": "On 12 June.", "sources": ["notes"], "tags": ["class"], "as_of": "2026-01-01"},
        ],
        "sources": [{"id": "notes", "title": "My class notes", "publisher": "me", "date": "2026-01",
                     "url": None, "url_verified": False}],
    }


@pytest.fixture
def env_without_colour() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", knowledge.DATA_ENV)}
    return env
