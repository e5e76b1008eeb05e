"""Start-up benchmark: c5 commands side by side with `python -c pass` and a one-command Typer app.

Each round runs every command once, in a rotated order, as a fresh process with stdout
piped; the report gives medians and ratios to the Typer baseline on the same interpreter.

    python benchmarks/startup.py            # 31 rounds
    python benchmarks/startup.py --rounds 51

Exits 1 if `c5 ask` or the completion request is slower than 1.3x the Typer app.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BAR = 1.3


def c5_command() -> list[str]:
    script = Path(sys.executable).with_name("c5")
    return [str(script)] if script.exists() else [sys.executable, "-m", "c5cli"]


def cases() -> dict[str, tuple[list[str], dict[str, str]]]:
    c5 = c5_command()
    completion = {"_C5_COMPLETE": "complete_bash", "COMP_WORDS": "c5 show cmd-", "COMP_CWORD": "2"}
    return {
        "python -c pass": ([sys.executable, "-c", "pass"], {}),
        "typer hello app": ([sys.executable, str(HERE / "hello_typer.py")], {}),
        'c5 ask --json "what is C5+1"': ([*c5, "ask", "--json", "what is C5+1"], {}),
        'c5 ask "what is C5+1" (piped)': ([*c5, "ask", "what is C5+1"], {}),
        "c5 countries": ([*c5, "countries"], {}),
        "c5 --help": ([*c5, "--help"], {}),
        "completion: c5 show cmd-<TAB>": ([*c5], completion),
    }


def time_once(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=31)
    args = parser.parse_args()
    # Measure what a user runs: cached bytecode (pip precompiles on install) and buffered stdout.
    dropped = ("C5_DATA", "NO_COLOR", "PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED")
    base_env = {k: v for k, v in os.environ.items() if k not in dropped}
    with tempfile.TemporaryDirectory() as cache:
        base_env["C5_CACHE_DIR"] = cache
        table = cases()
        names = list(table)
        for name in names:  # warm the OS cache and c5's index cache; not timed
            time_once(table[name][0], {**base_env, **table[name][1]})
        samples: dict[str, list[float]] = {name: [] for name in names}
        for round_number in range(args.rounds):
            shift = round_number % len(names)
            for name in names[shift:] + names[:shift]:
                argv, extra = table[name]
                samples[name].append(time_once(argv, {**base_env, **extra}))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    hello = medians["typer hello app"]
    bare = medians["python -c pass"]
    print(f"{sys.version.split()[0]} on {os.cpu_count()} cores, {args.rounds} rounds, medians")
    print(f"{'command':36} {'ms':>7} {'x hello':>8} {'x python':>9}")
    for name in names:
        print(f"{name:36} {medians[name] * 1000:7.1f} {medians[name] / hello:8.2f} {medians[name] / bare:9.2f}")
    gated = ['c5 ask --json "what is C5+1"', 'c5 ask "what is C5+1" (piped)', "completion: c5 show cmd-<TAB>"]
    failed = [name for name in gated if medians[name] / hello > BAR]
    print(f"bar: c5 ask and completion <= {BAR}x the Typer hello app: {'FAIL ' + ', '.join(failed) if failed else 'met'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
