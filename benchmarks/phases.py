"""Where one run's time goes, measured inside a single process (``--jobs 1``, no cache).

Runs what the command line runs (``argolint.batch.lint``) with one job and no cache. Run by
``benchmarks/run.py`` in a fresh interpreter per case, so imports are cold as they are
for a user. Prints one JSON object: seconds for import, load, schema, rules, report and the
rest of the engine (suppressions, sorting), plus the slowest rules.

Timing wraps the engine's own entry points (``load_input`` and each rule's ``check``) from
outside, so the engine carries no profiling code.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path


def _is_schema(rule: object) -> bool:
    return getattr(rule, "category", "") == "schema" or "schema" in getattr(rule, "id", "")


def measure(paths: list[Path]) -> dict:
    started = time.process_time()
    from argolint import engine, rules
    from argolint.batch import lint
    from argolint.config import load_config
    from argolint.report import renderer

    known = rules.all_rules()
    imported = time.process_time()

    spent: dict[str, float] = defaultdict(float)
    real_load = engine.load_input

    def timed_load(*args, **kwargs):  # type: ignore[no-untyped-def]
        t = time.process_time()
        try:
            return real_load(*args, **kwargs)
        finally:
            spent["load"] += time.process_time() - t

    engine.load_input = timed_load  # type: ignore[assignment]
    for rule in known.values():
        if rule.check is None:
            continue

        def timed(ctx, _check=rule.check, _id=rule.id):  # type: ignore[no-untyped-def]
            t = time.process_time()
            try:
                return list(_check(ctx))
            finally:
                spent[f"rule:{_id}"] += time.process_time() - t

        object.__setattr__(rule, "check", timed)

    config = load_config()
    inputs = engine.inputs_from_paths(paths)
    t = time.process_time()
    result = lint(inputs, config, jobs=1, process_ends=True)
    ran = time.process_time() - t
    t = time.process_time()
    renderer("text")(result, sources=result.sources, colour=False)
    spent["report"] = time.process_time() - t

    by_rule = {k[5:]: v for k, v in spent.items() if k.startswith("rule:")}
    schema = sum(v for k, v in by_rule.items() if _is_schema(known[k]))
    rules_total = sum(by_rule.values()) - schema
    return {
        "files": result.files,
        "documents": result.documents,
        "findings": len(result.findings),
        "import": imported - started,
        "load": spent["load"],
        "schema": schema,
        "rules": rules_total,
        "engine": max(0.0, ran - spent["load"] - schema - rules_total),
        "report": spent["report"],
        "slowest": sorted(by_rule.items(), key=lambda kv: -kv[1])[:8],
    }


if __name__ == "__main__":
    json.dump(measure([Path(p) for p in sys.argv[1:]]), sys.stdout)
