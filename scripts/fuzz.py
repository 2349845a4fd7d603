#!/usr/bin/env python3
"""Long fuzzing run: mutate the seed manifests for a while and keep every input that
crashes argolint, puts a finding outside the file, or is slow.

    python scripts/fuzz.py                          # 10 minutes, seeds: fixtures/ + corpus
    python scripts/fuzz.py --minutes 60 --seed 7 --out fuzz-failures
    python scripts/fuzz.py --seeds path/to/manifests --slow 1.0

Run it before each release (and after adding rules). Each failure is written to
``--out`` as ``<n>-<kind>.yaml`` with the message beside it (``.txt``); fix it, then turn
the file into a regression test. Exit code 1 when something was found. The mutations are
those of the CI property test (``tests/mutations.py``), drawn from a seeded
``random.Random`` so a run can be repeated exactly with the same ``--seed``.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from mutations import check_invariants, lint_mutant, mutate, seeds  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "argo-examples"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seeds", type=Path, action="append", help="folders of manifests")
    parser.add_argument("--out", type=Path, default=ROOT / "fuzz-failures")
    parser.add_argument("--slow", type=float, default=2.0, help="seconds that count as slow")
    parser.add_argument("--max-steps", type=int, default=6, help="mutations per input")
    args = parser.parse_args()

    folders = args.seeds or [ROOT / "fixtures", *([CORPUS] if CORPUS.is_dir() else [])]
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in seeds(*folders)]
    if not texts:
        print("no seed manifests found", file=sys.stderr)
        return 2
    rnd = random.Random(args.seed)
    deadline = time.monotonic() + args.minutes * 60
    runs = failures = 0
    slowest = 0.0
    while time.monotonic() < deadline:
        text = mutate(rnd.choice(texts), rnd, args.max_steps)
        started = time.perf_counter()
        problem = None
        try:
            check_invariants(lint_mutant(text))
        except AssertionError as err:
            problem = ("invariant", str(err))
        except Exception:  # an exception escaping the engine itself
            problem = ("crash", traceback.format_exc())
        elapsed = time.perf_counter() - started
        slowest = max(slowest, elapsed)
        if problem is None and elapsed > args.slow:
            problem = ("slow", f"{elapsed:.2f}s")
        runs += 1
        if problem is not None:
            failures += 1
            args.out.mkdir(parents=True, exist_ok=True)
            stem = args.out / f"{failures:04d}-{problem[0]}"
            stem.with_suffix(".yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
            stem.with_suffix(".txt").write_text(problem[1], encoding="utf-8")
            print(f"[{runs}] {problem[0]}: {problem[1].splitlines()[0][:120]}", flush=True)
    print(
        f"{runs} inputs from {len(texts)} seeds in {args.minutes:g} min (seed {args.seed}); "
        f"slowest {slowest:.2f}s; {failures} problem(s)"
        + (f", written to {args.out}" if failures else "")
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
