"""Shared test helpers: lint a text in-process, locate the shared corpus (or skip)."""

from __future__ import annotations

from pathlib import Path

import pytest

from argolint.config import Config
from argolint.engine import Input, RunResult, run

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "argo-examples"


def lint_text(
    text: str, path: str = "test.yaml", select: set[str] | None = None, **config: object
) -> RunResult:
    """Lint one in-memory file; ``select`` limits the rules, ``config`` sets Config fields."""
    cfg = Config(select=select, **config)  # type: ignore[arg-type]
    return run([Input(path, text.encode())], cfg)


def findings_of(text: str, rule: str, **kwargs: object) -> list:
    """The findings of one rule on a text (other rules run too, but are filtered out)."""
    return [f for f in lint_text(text, **kwargs).findings if f.rule == rule]


@pytest.fixture
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not present at {CORPUS} (only in the development workplace)")
    return CORPUS


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared folder not present at {SHARED} (only in the development workplace)")
    return SHARED
