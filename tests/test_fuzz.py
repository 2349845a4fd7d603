"""Property test: mutated manifests never crash argolint (no internal error, so the exit
code is 0 or 1) and every finding lies inside the file. Seeds are the repository's own
fixtures, plus Argo's examples when the shared corpus is present. Bounded for CI; the long
run is ``scripts/fuzz.py``."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mutations import check_invariants, lint_mutant, mutate, seeds

from argolint.cli import main

FIXTURE_SEEDS = [p.read_text(encoding="utf-8") for p in seeds(FIXTURES)]
CI = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI stays deterministic
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@CI
@given(seed=st.sampled_from(FIXTURE_SEEDS), rnd=st.randoms(use_true_random=False))
def test_mutated_fixtures_never_crash(seed: str, rnd: random.Random):
    check_invariants(lint_mutant(mutate(seed, rnd)))


@CI
@given(data=st.data())
def test_mutated_corpus_never_crashes(corpus_dir: Path, data):
    paths = sorted(corpus_dir.glob("*.yaml"))
    seed = data.draw(st.sampled_from(paths)).read_text(encoding="utf-8")
    rnd = data.draw(st.randoms(use_true_random=False))
    check_invariants(lint_mutant(mutate(seed, rnd)))


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    pieces=st.lists(
        st.sampled_from([*"abc:-[]{}'\"#&*!|>?,.\n \t=%@`\\", "{{", "}}", "  ", "- "]),
        max_size=80,
    )
)
def test_arbitrary_yamlish_text_never_crashes(pieces: list[str]):
    check_invariants(lint_mutant("".join(pieces)))


@pytest.mark.parametrize("cut", [0, 1, 7, 64, 333])
def test_every_fixture_cut_short_is_still_handled(cut: int):
    for seed in FIXTURE_SEEDS:
        check_invariants(lint_mutant(seed[: len(seed) * cut // 1000 or cut]))


def test_regression_syntax_error_after_a_final_carriage_return():
    """Found by scripts/fuzz.py: a file cut right after a "\\r" has its syntax error at the
    end of the text, after the "\\r"."""
    text = "kind: Workflow\nspec:\n  event:\n      name:& x\n  arguments:\n"
    text += "    - name: a\n      valueFr\r"
    result = lint_mutant(text)
    [error] = [f for f in result.findings if f.rule == "yaml-syntax"]
    assert error.span.line == 7
    check_invariants(result)


def test_regression_container_waiting_for_itself():
    """Found by scripts/fuzz.py: a one-container dependency cycle crashed `container-set`."""
    text = (
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: x\nspec:\n"
        "  entrypoint: main\n  templates:\n    - name: main\n      containerSet:\n"
        "        containers:\n          - name: a\n            image: alpine\n"
        "            dependencies: [a]\n"
    )
    result = lint_mutant(text)
    check_invariants(result)
    [cycle] = [f for f in result.findings if f.rule == "container-set" and "cycle" in f.message]
    assert cycle.span.line == 13 and "a -> a" in cycle.message


@settings(max_examples=25, deadline=None, derandomize=True)
@given(seed=st.sampled_from(FIXTURE_SEEDS), rnd=st.randoms(use_true_random=False))
def test_mutants_through_the_command_line_exit_0_or_1(seed: str, rnd: random.Random):
    outcome = CliRunner().invoke(
        main,
        ["-", "--stdin-filename", "mutant.yaml", "--no-cache", "--format", "json"],
        input=mutate(seed, rnd).encode("utf-8", "surrogatepass"),
    )
    assert outcome.exit_code in (0, 1), outcome.output + str(outcome.exception)
    assert "Traceback" not in outcome.output
