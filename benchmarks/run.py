"""The argolint benchmark: whole-process wall time and peak memory on four workloads.

    python benchmarks/run.py            # all cases, 3 runs each (median wall, highest peak)
    python benchmarks/run.py --repeat 5 --corpus path/to/manifests

(a) the examples corpus; (b) the corpus copied 20 times (cold cache, then warm);
(c) one generated workflow with 2,500 templates and tags everywhere; (d) one small file,
the pre-commit case. Every run is a fresh ``python -m argolint`` process with all rules on.
Peak memory is the highest total proportional set size (PSS: pages shared after fork count
once) of the process and its workers, sampled every 50 ms, and never below the largest
single process's peak resident set as the kernel reports it.
Then a per-phase breakdown (import, load, schema, rules, engine, report) per case, measured
in one process with ``--jobs 1``. Bytecode is compiled and the grammar cache filled first,
as for any installed copy after its first run. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import big_workflow, small_workflow  # noqa: E402

DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus" / "argo-examples"


@dataclass
class Case:
    label: str
    paths: list[Path]
    target: float  # seconds
    cache: bool = False  # warm-cache case: the cache is filled by an untimed run first


@dataclass
class Measurement:
    wall: float
    cpu: float  # user + system seconds of the process and its workers
    peak_mb: float
    exit_code: int


def _memory_kb(pid: int) -> int:
    """Proportional set size of one process (pages shared with its forked workers are
    split between them, so a sum over the tree counts each page once); RSS where the
    kernel gives no PSS."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    with open(f"/proc/{pid}/statm") as statm:
        return int(statm.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)


def _tree_memory_kb(root: int) -> int:
    """Memory of ``root`` and its descendants, from /proc (Linux)."""
    total, stack, seen = 0, [root], set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            total += _memory_kb(pid)
            with open(f"/proc/{pid}/task/{pid}/children") as children:
                stack.extend(int(c) for c in children.read().split())
        except (OSError, ValueError):
            continue
    return total


#: Installed packages have compiled bytecode; a checkout run with PYTHONDONTWRITEBYTECODE
#: would recompile argolint on every run (a third of a second), which no user pays.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def warm_up() -> None:
    """Bytecode for argolint, and the grammar cache, as a user's second run finds them."""
    import argolint

    package = Path(argolint.__file__).parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], env=ENV, check=True)
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from argolint.analysis.expr.grammars import GRAMMARS, parser\n"
            "for g in GRAMMARS: parser(g)",
        ],
        env=ENV,
        check=False,
    )


def run_once(command: list[str], cwd: Path) -> Measurement:
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV
    )
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_memory_kb(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}:\n{stderr}")
    cpu = usage.ru_utime + usage.ru_stime
    return Measurement(wall, cpu, max(peak[0], usage.ru_maxrss) / 1024, process.returncode)


def measure(case: Case, repeat: int, work: Path, jobs: int | None) -> Measurement:
    command = [sys.executable, "-m", "argolint", *map(str, case.paths)]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    if case.cache:
        shutil.rmtree(work / ".argolint_cache", ignore_errors=True)
        run_once(command, work)  # fill the cache
    else:
        command.append("--no-cache")
    runs = [run_once(command, work) for _ in range(repeat)]
    return Measurement(
        statistics.median(r.wall for r in runs),
        statistics.median(r.cpu for r in runs),
        max(r.peak_mb for r in runs),
        runs[0].exit_code,
    )


def phases(case: Case, work: Path) -> dict:
    out = subprocess.run(
        [sys.executable, str(HERE / "phases.py"), *map(str, case.paths)],
        cwd=work,
        env=ENV,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def prepare(corpus: Path, work: Path, copies: int, templates: int) -> list[Case]:
    many = work / "copies"
    for i in range(copies):
        shutil.copytree(corpus, many / f"copy-{i:02d}")
    big = work / "big.yaml"
    big.write_text(big_workflow(templates), encoding="utf-8")
    small = work / "small.yaml"
    small.write_text(small_workflow(), encoding="utf-8")
    return [
        Case("(a) examples corpus", [corpus], 0.5),
        Case(f"(b) corpus x{copies}", [many], 3.0),
        Case(f"(b) corpus x{copies}, warm cache", [many], 1.0, cache=True),
        Case(f"(c) {templates:,}-template workflow", [big], 3.0),
        Case("(d) one small file", [small], 0.3),
    ]


def count_files(paths: list[Path]) -> int:
    from argolint.source.discover import discover

    return sum(1 for _ in discover(paths))


def main() -> None:
    parser = argparse.ArgumentParser(description="argolint benchmark (see module docstring)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--templates", type=int, default=2500)
    parser.add_argument("--jobs", type=int, help="passed to argolint (default: its own)")
    parser.add_argument("--no-phases", action="store_true", help="skip the per-phase table")
    parser.add_argument("--only", default="", help="only the cases whose label contains this")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        raise SystemExit(f"corpus not found: {args.corpus} (use --corpus)")

    with tempfile.TemporaryDirectory(prefix="argolint-bench-") as tmp:
        work = Path(tmp)
        cases = prepare(args.corpus.resolve(), work, args.copies, args.templates)
        cases = [c for c in cases if args.only in c.label]
        warm_up()
        print(
            f"argolint benchmark: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
            f"median of {args.repeat} runs\n"
        )
        header = (
            f"{'case':<34} {'files':>6} {'wall s':>7} {'cpu s':>6} {'peak MB':>8} {'target':>8}  ok"
        )
        print(header)
        print("-" * len(header))
        for case in cases:
            m = measure(case, args.repeat, work, args.jobs)
            ok = "yes" if m.wall < case.target else "NO"
            print(
                f"{case.label:<34} {count_files(case.paths):>6} {m.wall:>7.2f} {m.cpu:>6.2f} "
                f"{m.peak_mb:>8.0f} {'< ' + format(case.target, 'g') + ' s':>8}  {ok}",
                flush=True,
            )
        if args.no_phases:
            return
        print("\nper phase, one process (--jobs 1, no cache), CPU seconds")
        header = (
            f"{'case':<34} {'import':>7} {'load':>7} {'schema':>7} {'rules':>7} "
            f"{'engine':>7} {'report':>7}"
        )
        print(header)
        print("-" * len(header))
        slowest = {}
        for case in cases:
            if case.cache:
                continue
            p = phases(case, work)
            slowest[case.label] = p["slowest"]
            print(
                f"{case.label:<34} {p['import']:>7.3f} {p['load']:>7.3f} {p['schema']:>7.3f} "
                f"{p['rules']:>7.3f} {p['engine']:>7.3f} {p['report']:>7.3f}",
                flush=True,
            )
        print("\nslowest rules (seconds, analyses included where first asked for)")
        for label, rows in slowest.items():
            top = ", ".join(f"{rid} {sec:.3f}" for rid, sec in rows[:5] if sec >= 0.001)
            print(f"  {label}: {top or '-'}")


if __name__ == "__main__":
    main()
