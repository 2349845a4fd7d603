"""Reports: pure functions from a run's findings (and the rule catalogue) to text."""

from __future__ import annotations

from collections.abc import Callable

from argolint.engine import RunResult

FORMATS = ("text", "json", "sarif", "github")


def renderer(name: str) -> Callable[..., str]:
    if name == "json":
        from argolint.report.json import render
    elif name == "sarif":
        from argolint.report.sarif import render
    elif name == "github":
        from argolint.report.github import render
    else:
        from argolint.report.text import render
    return render


__all__ = ["FORMATS", "RunResult", "renderer"]
