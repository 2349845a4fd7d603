"""The security analyses tolerate any shape: every fixture of the family with any one line
removed, or cut short anywhere, lints without an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES, lint_text

FAMILIES = ("pod-security", "rbac", "secrets", "injection", "checkov-argo")
FILES = sorted(p for family in FAMILIES for p in (FIXTURES / family).rglob("*.yaml"))
RULES = {
    "privileged-container",
    "allow-privilege-escalation",
    "dangerous-capabilities",
    "host-namespace",
    "host-path-volume",
    "run-as-root",
    "image-not-pinned",
    "missing-resource-limits",
    "secret-in-plain-env",
    "parameter-injection",
    "default-service-account",
    "automount-token",
    "missing-service-account",
    "overbroad-rbac-binding",
    "rbac-wildcard",
}


def _crashes(text: str) -> list[str]:
    result = lint_text(text, select=RULES, extend_select={"missing-resource-limits"})
    return [f.message for f in result.findings if f.rule == "internal-error"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_any_line_removed(path: Path):
    lines = path.read_text().splitlines(keepends=True)
    for i in range(len(lines)):
        variant = "".join(lines[:i] + lines[i + 1 :])
        assert _crashes(variant) == [], f"line {i + 1} removed"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_cut_short(path: Path):
    text = path.read_text()
    for end in range(0, len(text), max(1, len(text) // 40)):
        assert _crashes(text[:end]) == [], f"cut at {end}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_values_of_the_wrong_shape(path: Path):
    """Each `key: value` line's value replaced by a list, a mapping, null and a number."""
    lines = path.read_text().splitlines(keepends=True)
    for i, line in enumerate(lines):
        key, sep, value = line.partition(": ")
        if not sep or not value.strip() or value.strip().startswith(("|", ">")):
            continue
        for replacement in ("[1, [2]]", "{a: {b: 1}}", "null", "7"):
            variant = "".join([*lines[:i], f"{key}: {replacement}\n", *lines[i + 1 :]])
            assert _crashes(variant) == [], f"line {i + 1} value → {replacement}"
