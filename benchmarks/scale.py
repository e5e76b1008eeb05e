"""Scale benchmark: c5 on synthetic knowledge bases of 1k, 10k and 100k entries.

For each size it measures, as separate processes with stdout piped:
  - cold: the first `c5 ask`, which validates the file and builds the cached index;
  - one `c5 ask --json QUESTION` with the cache warm;
  - ten questions in one process (`c5 ask --json -`, one question per line);
and reports wall time (median of --runs) and peak RSS, side by side with the same
commands on the bundled knowledge base and with `python -c pass`, plus the growth ratios.

    python benchmarks/scale.py                 # 1k, 10k, 100k; 5 runs each
    python benchmarks/scale.py --sizes 1000 10000 --runs 3

Exits 1 if the 100k `c5 ask` takes over 1 s or 500 MB, or if ten times the entries cost
more than ten times the time (growth faster than linear).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import make_kb  # noqa: E402  (the generator beside this file)

QUESTIONS = ["what is C5+1", "who chaired the first minerals dialogue", "capital of tajikistan", "kazakstan uranium",
             "china export controls", "pabi keto sulo", "rare earth refining share", "b5+1 forum", "tungsten deal",
             "what is the population of uzbekistan"]


def measure(argv: list[str], env: dict[str, str], runs: int, stdin: bytes | None = None) -> tuple[float, float]:
    results = [run_and_wait(argv, env, stdin) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def run_and_wait(argv: list[str], env: dict[str, str], stdin: bytes | None) -> tuple[float, float]:
    """Like `run`, but reaps the child with wait4 so its own peak RSS is known."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    if stdin:
        proc.stdin.write(stdin)
    proc.stdin.close()
    while proc.stdout.read(1 << 16):
        pass
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0  # reaped above; keeps Popen from waiting again
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    script = Path(sys.executable).with_name("c5")
    c5 = [str(script)] if script.exists() else [sys.executable, "-m", "c5cli"]
    dropped = ("C5_DATA", "PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    ten = "\n".join(QUESTIONS).encode()
    rows = []
    with tempfile.TemporaryDirectory() as work:
        env["C5_CACHE_DIR"] = str(Path(work) / "cache")
        bare = measure([sys.executable, "-c", "pass"], env, args.runs)
        run_and_wait([*c5, "ask", "--json", QUESTIONS[0]], env, None)  # warm the bundled cache
        rows.append(("bundled", None, measure([*c5, "ask", "--json", QUESTIONS[0]], env, args.runs),
                     measure([*c5, "ask", "--json", "-"], env, args.runs, ten)))
        for size in args.sizes:
            path = Path(work) / f"kb-{size}.json"
            path.write_text(json.dumps(make_kb.make(size)), encoding="utf-8")
            cold = run_and_wait([*c5, "--data", str(path), "ask", "--json", QUESTIONS[0]], env, None)
            one = measure([*c5, "--data", str(path), "ask", "--json", QUESTIONS[5]], env, args.runs)
            many = measure([*c5, "--data", str(path), "ask", "--json", "-"], env, args.runs, ten)
            rows.append((f"{size:,} entries", cold, one, many))
    print(f"{sys.version.split()[0]} on {os.cpu_count()} cores; wall = median of {args.runs}, RSS = peak")
    print(f"python -c pass: {bare[0] * 1000:.0f} ms, {bare[1]:.0f} MB")
    print(f"{'knowledge base':16} {'cold build':>16} {'one ask':>16} {'ten asks':>16} {'x python':>9}")
    for name, cold, one, many in rows:
        cold_text = f"{cold[0]:6.2f} s {cold[1]:4.0f} MB" if cold else f"{'-':>16}"
        print(f"{name:16} {cold_text:>16} {one[0] * 1000:6.0f} ms {one[1]:4.0f} MB "
              f"{many[0] * 1000:6.0f} ms {many[1]:4.0f} MB {one[0] / bare[0]:9.1f}")
    failed = []
    sized = list(zip(args.sizes, rows[1:]))
    for (small, small_row), (large, large_row) in zip(sized, sized[1:]):
        ratio = large_row[2][0] / small_row[2][0]
        print(f"growth {small:,} -> {large:,} entries (x{large // small}): one ask x{ratio:.1f}, "
              f"cold build x{large_row[1][0] / small_row[1][0]:.1f}")
        if ratio > large / small:
            failed.append(f"superlinear growth {small}->{large}")
    if 100_000 in args.sizes:
        _, one, _ = rows[1 + args.sizes.index(100_000)][1:]
        if one[0] > 1.0 or one[1] > 500:
            failed.append("100k ask over 1 s or 500 MB")
    print("bar:", "FAIL " + "; ".join(failed) if failed else "met (100k: one ask <= 1 s and <= 500 MB; linear growth)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
