"""SARIF output, through the console script: valid against the official 2.1.0 schema and
shaped the way GitHub code scanning and the VS Code SARIF viewer read it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_cli import DUP, FIXTURES, GOOD, NO_SA, cli

from argolint import rules


@pytest.fixture
def work(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(FIXTURES, project)
    return project


@pytest.fixture(scope="module")
def sarif_validator(request: pytest.FixtureRequest):
    from conftest import SHARED

    schema_path = SHARED / "schemas" / "sarif-schema-2.1.0.json"
    if not schema_path.is_file():
        pytest.skip(f"official SARIF schema not present at {schema_path} (../shared is absent)")
    import jsonschema

    schema = json.loads(schema_path.read_text())
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def sarif(*args: str, cwd: Path) -> dict:
    proc = cli("--format", "sarif", "--no-cache", *args, cwd=cwd)
    assert proc.returncode in (0, 1), proc.stderr.decode()
    return json.loads(proc.stdout)


def test_sarif_validates_against_the_official_schema(work: Path, sarif_validator):
    document = sarif(DUP, NO_SA, GOOD, cwd=work)
    errors = sorted(sarif_validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
    empty = sarif(GOOD, cwd=work)
    assert not list(sarif_validator.iter_errors(empty))
    assert empty["runs"][0]["results"] == []


def test_sarif_with_related_locations_and_config_findings_validates(work: Path, sarif_validator):
    (work / ".argolint.yaml").write_text("ignores: []\n")
    (work / "binary.yaml").write_bytes(b"\x00\x01")
    document = sarif(DUP, "binary.yaml", cwd=work)
    assert not list(sarif_validator.iter_errors(document))
    paths = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in document["runs"][0]["results"]
    }
    assert {".argolint.yaml", "binary.yaml", DUP} <= paths


def test_every_rule_is_described_with_catalogue_metadata(work: Path):
    driver = sarif(GOOD, cwd=work)["runs"][0]["tool"]["driver"]
    assert driver["name"] == "argolint" and driver["version"] and driver["informationUri"]
    described = {d["id"]: d for d in driver["rules"]}
    assert set(described) == set(rules.all_rules())
    for rule_id, descriptor in described.items():
        rule = rules.get(rule_id)
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"]
        assert descriptor["helpUri"].endswith(f"/rules/{rule_id}.md")
        assert descriptor["help"]["markdown"].startswith(f"# {rule_id}\n")
        level = {"error": "error", "warning": "warning", "info": "note"}[str(rule.severity)]
        assert descriptor["defaultConfiguration"]["level"] == level
        assert rule.category in descriptor["properties"]["tags"]
        if rule.category == "security":
            assert 0 < float(descriptor["properties"]["security-severity"]) <= 10


def test_results_point_at_relative_files_with_full_regions(work: Path):
    run = sarif(DUP, NO_SA, cwd=work)["runs"][0]
    rule_ids = [d["id"] for d in run["tool"]["driver"]["rules"]]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == work.resolve().as_uri() + "/"
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["invocations"] == [{"executionSuccessful": True}]
    first, second = run["results"]
    assert first["ruleId"] == "duplicate-key" and first["level"] == "error"
    assert rule_ids[first["ruleIndex"]] == "duplicate-key"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": DUP, "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 7, "startColumn": 3, "endLine": 7, "endColumn": 9}
    assert first["message"]["text"].startswith("duplicate key `labels`")
    assert second["ruleId"] == "missing-service-account" and second["level"] == "warning"


def test_paths_outside_the_working_directory_are_absolute_file_uris(work: Path, tmp_path: Path):
    inner = work / "inner"
    inner.mkdir()
    run = sarif(str((work / DUP).resolve()), cwd=inner)["runs"][0]
    artifact = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": (work / DUP).resolve().as_uri()}


def test_fingerprints_survive_lines_moving_and_tell_duplicates_apart(work: Path):
    before = sarif(DUP, cwd=work)["runs"][0]["results"]
    text = (work / DUP).read_text()
    (work / DUP).write_text("# a comment\n# another\n" + text)
    after = sarif(DUP, cwd=work)["runs"][0]["results"]
    assert after[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 9
    assert before[0]["partialFingerprints"] == after[0]["partialFingerprints"]
    # Two identical problems in one file get distinct fingerprints.
    (work / DUP).write_text(text.replace("    owner: alice\n", "    owner: alice\n  labels:\n"))
    results = sarif(DUP, cwd=work)["runs"][0]["results"]
    prints = [r["partialFingerprints"]["argolint/v1"] for r in results]
    assert len(prints) == 2 and len(set(prints)) == 2


def test_odd_spans_still_give_valid_regions(sarif_validator):
    from argolint.engine import RunResult
    from argolint.finding import Finding, Severity
    from argolint.report.sarif import render
    from argolint.span import Span

    odd = [
        Finding("duplicate-key", Severity.ERROR, "m", "a.yaml", Span(0, 0, 0, 0)),
        Finding("duplicate-key", Severity.ERROR, "m", "a.yaml", Span(3, 5, 2, 1)),
    ]
    document = json.loads(render(RunResult(findings=odd), sources={}))
    assert not list(sarif_validator.iter_errors(document))
    regions = [
        r["locations"][0]["physicalLocation"]["region"] for r in document["runs"][0]["results"]
    ]
    assert regions[0] == {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1}
    assert regions[1] == {"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 5}
