"""The installed `c5` as a user and a script run it: real processes, stdout piped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO

BOX_DRAWING = set("─│┌┐└┘├┤┬┴┼━┃╭╮╯╰═║")


def c5(script: str, *args: str, cwd: Path, env: dict | None = None, input: bytes | None = None):
    return subprocess.run([script, *args], cwd=cwd, env=env, input=input, capture_output=True, timeout=60)


def test_installed_script_piped_output_is_plain(c5_script, tmp_path, env_without_colour):
    env = dict(env_without_colour, C5_CACHE_DIR=str(tmp_path / "cache"), COLUMNS="40")
    result = c5(c5_script, "ask", "what", "is", "C5+1", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert "\x1b[" not in out
    assert not BOX_DRAWING & set(out)
    lines = out.splitlines()
    # no hard wrap: the whole answer paragraph is one line, even with a 40-column hint
    assert lines[1].startswith("The C5+1 is a diplomatic platform") and lines[1].endswith("Uzbekistan.")
    assert result.stderr == b""


def test_installed_script_json_and_exit_codes(c5_script, tmp_path, env_without_colour):
    env = dict(env_without_colour, C5_CACHE_DIR=str(tmp_path / "cache"))
    answered = c5(c5_script, "ask", "--json", "capital of Tajikistan", cwd=tmp_path, env=env)
    assert answered.returncode == 0
    assert json.loads(answered.stdout)["matches"][0]["answer"] == "The capital of Tajikistan is Dushanbe."
    missing = c5(c5_script, "ask", "--json", "Who wrote Romeo and Juliet?", cwd=tmp_path, env=env)
    assert missing.returncode == 1
    assert json.loads(missing.stdout)["matches"] == []


def test_python_dash_m_works(tmp_path, env_without_colour):
    env = dict(env_without_colour, C5_CACHE_DIR=str(tmp_path / "cache"))
    result = subprocess.run([sys.executable, "-m", "c5cli", "countries"], cwd=tmp_path, env=env,
                            capture_output=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout.decode().splitlines()[0].startswith("Name\tOfficial name")


def test_source_tree_layout_finds_top_level_data(tmp_path, env_without_colour):
    """What an editable install does: import c5cli from src/ and read ../../data/faq.json."""
    env = dict(env_without_colour, PYTHONPATH=str(REPO / "src"), C5_CACHE_DIR=str(tmp_path / "cache"))
    code = "from c5cli import knowledge; print(knowledge.bundled_data_path())"
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.decode().strip()) == REPO / "data" / "faq.json"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
                   check=True, capture_output=True, timeout=600)
    return next(out.glob("c5cli-*.whl"))


def test_wheel_carries_the_data_and_schema(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "c5cli/data/faq.json" in names
    assert "c5cli/schema.json" in names
    bundled = zipfile.ZipFile(wheel).read("c5cli/data/faq.json")
    assert bundled == (REPO / "data" / "faq.json").read_bytes()


def test_wheel_runs_from_another_folder(wheel, tmp_path, env_without_colour):
    """Unpacked as pip would install it, the package reads its own copy of the data."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    deps = [p for p in sys.path if p.endswith("site-packages")]
    env = dict(env_without_colour, PYTHONPATH=os.pathsep.join([str(site), *deps]), C5_CACHE_DIR=str(tmp_path / "c"))
    result = subprocess.run([sys.executable, "-m", "c5cli", "ask", "--json", "what is C5+1"],
                            cwd=elsewhere, env=env, capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    where = subprocess.run([sys.executable, "-c", "from c5cli import knowledge; print(knowledge.bundled_data_path())"],
                           cwd=elsewhere, env=env, capture_output=True, timeout=60)
    assert Path(where.stdout.decode().strip()) == site / "c5cli" / "data" / "faq.json"
