"""The rule catalogue: every rule has a page that agrees with the code, and every page's
failing example raises its rule while the fixed example does not. Examples are linted the
way a user would lint them: named blocks (``file=.argolint.yaml``) are written next to the
manifest, a configuration among them is loaded, ``encoding=`` sets the bytes on disk."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from argolint import catalogue, rules
from argolint.config import CONFIG_FILES, Config, load_config
from argolint.engine import Input, run
from argolint.finding import Finding, Severity
from argolint.source.loader import KNOWN_KINDS, load_bytes

ROOT = Path(__file__).resolve().parents[1]
REQUIRED_SECTIONS = ("What it checks", "Why it matters", "Failing example", "Fixed example")
PAGES = catalogue.pages()
RULES = rules.all_rules()


def _crash(ctx: object) -> list[Finding]:
    raise RuntimeError("injected failure")


def lint_example(
    files: list[catalogue.ExampleFile], rule_id: str, directory: Path, crash: bool = False
) -> list[Finding]:
    """Write the example's files into ``directory`` and lint them as the CLI would."""
    directory.mkdir()
    config_path = None
    inputs = []
    for file in files:
        target = directory / file.name
        target.write_bytes(file.data)
        if file.name in (*CONFIG_FILES, "pyproject.toml"):
            config_path = target
        else:
            inputs.append(Input(file.name, None, target))
    config = load_config(config_path) if config_path else Config()
    config.extend_select |= {rule_id}
    if not crash:
        return run(inputs, config).findings
    crashing = rules.Rule("injected-crash", "test", Severity.ERROR, "crashes", _crash)
    rules._REGISTRY["injected-crash"] = crashing
    try:
        return run(inputs, config).findings
    finally:
        del rules._REGISTRY["injected-crash"]


def test_every_rule_has_a_page_and_every_page_a_rule():
    assert sorted(RULES) == sorted(PAGES), (
        f"rules without a page: {sorted(set(RULES) - set(PAGES))}; "
        f"pages without a rule: {sorted(set(PAGES) - set(RULES))}"
    )


@pytest.mark.parametrize("rule_id", sorted(PAGES))
def test_page_agrees_with_the_code(rule_id: str):
    page = PAGES[rule_id]
    rule = RULES.get(rule_id)
    assert rule is not None, f"{page.path}: no rule `{rule_id}` is registered"
    assert page.path.name == f"{rule_id}.md"
    assert page.category == rule.category, f"{page.path}: category differs from the code"
    assert page.severity == str(rule.severity), f"{page.path}: severity differs from the code"


@pytest.mark.parametrize("rule_id", sorted(PAGES))
def test_page_has_the_catalogue_structure(rule_id: str):
    page = PAGES[rule_id]
    assert page.body.startswith(f"# {rule_id}\n"), f"{page.path}: the title must be `# {rule_id}`"
    assert page.summary and not page.summary.startswith("#"), f"{page.path}: no summary paragraph"
    missing = [s for s in REQUIRED_SECTIONS if s not in page.sections]
    assert not missing, f"{page.path}: missing sections {missing}"
    assert page.failing_example, f"{page.path}: the failing example has no ```yaml block"
    assert page.fixed_example, f"{page.path}: the fixed example has no ```yaml block"


@pytest.mark.parametrize("rule_id", sorted(r for r in RULES if RULES[r].options))
def test_every_option_is_documented(rule_id: str):
    page = PAGES.get(rule_id)
    assert page is not None
    options = page.sections.get("Options", "")
    missing = [name for name in RULES[rule_id].options if f"`{name}`" not in options]
    assert not missing, f"{page.path}: `## Options` does not document {missing}"


@pytest.mark.parametrize("rule_id", sorted(PAGES))
def test_failing_example_raises_the_rule(rule_id: str, tmp_path: Path):
    page = PAGES[rule_id]
    findings = lint_example(
        page.failing_example, rule_id, tmp_path / "failing", crash=rule_id == "internal-error"
    )
    raised = [f for f in findings if f.rule == rule_id]
    assert raised, (
        f"{page.path}: the failing example does not raise `{rule_id}`; it raises "
        f"{sorted({f.rule for f in findings})}"
    )
    for f in raised:
        assert f.span.line >= 1 and f.span.column >= 1
        assert (f.span.end_line, f.span.end_column) > (f.span.line, f.span.column)


@pytest.mark.parametrize("rule_id", sorted(PAGES))
def test_fixed_example_does_not_raise_the_rule(rule_id: str, tmp_path: Path):
    page = PAGES[rule_id]
    findings = lint_example(page.fixed_example, rule_id, tmp_path / "fixed")
    raised = [f"{f.path}:{f.span.line}:{f.span.column} {f.message}" for f in findings]
    assert not [f for f in findings if f.rule == rule_id], (
        f"{page.path}: the fixed example still raises `{rule_id}`: {raised}"
    )


@pytest.mark.parametrize("rule_id", sorted(PAGES))
def test_fixed_manifests_are_complete_documents(rule_id: str):
    """A fixed example's manifest is one a user could apply: well-formed, with a kind."""
    for file in PAGES[rule_id].fixed_example:
        if file.name != catalogue.EXAMPLE_FILE:
            continue
        loaded = load_bytes(file.data, file.name)
        assert not loaded.findings, f"{rule_id}: fixed example: {loaded.findings[0].message}"
        kinds = [doc.kind for doc in loaded.documents]
        assert kinds and all(k in KNOWN_KINDS for k in kinds), f"{rule_id}: kinds {kinds}"


def test_catalogue_pages_parse_examples_with_names_and_encodings():
    page = PAGES["file-encoding"]
    [failing] = page.failing_example
    assert failing.name == catalogue.EXAMPLE_FILE and failing.encoding == "latin-1"
    assert b"R\xe9sum\xe9" in failing.data
    names = [f.name for f in PAGES["resource-limit"].failing_example]
    assert names == [".argolint.yaml", catalogue.EXAMPLE_FILE]


def _readme_script():
    spec = importlib.util.spec_from_file_location("readme_rules", ROOT / "scripts/readme_rules.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_rule_table_is_up_to_date():
    script = _readme_script()
    current = (ROOT / "README.md").read_text(encoding="utf-8")
    assert script.updated_readme(current) == current, (
        "README.md's rule table is out of date: run `python scripts/readme_rules.py`"
    )


def test_readme_rule_table_lists_every_rule_with_its_page():
    table = _readme_script().rule_table()
    for rule_id, rule in RULES.items():
        row = next((line for line in table.splitlines() if f"[`{rule_id}`]" in line), None)
        assert row is not None, f"{rule_id} missing from the README table"
        assert f"(rules/{rule_id}.md)" in row and f"| {rule.severity} |" in row
