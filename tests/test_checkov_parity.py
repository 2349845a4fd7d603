"""What checkov's two Argo checks fail (CKV_ARGO_1: default service account; CKV_ARGO_2:
not running as non-root) argolint fails too, and what they pass argolint passes."""

from __future__ import annotations

from tests.conftest import FIXTURES, lint_text

DIR = FIXTURES / "checkov-argo"
ACCOUNT = {"missing-service-account", "default-service-account"}


def _by_line(name: str, rules: set[str]) -> list[tuple[str, int]]:
    findings = lint_text((DIR / name).read_text()).findings
    return [(f.rule, f.span.line) for f in findings if f.rule in rules]


def test_ckv_argo_1_situations():
    assert _by_line("bad-service-account.yaml", ACCOUNT) == [
        ("missing-service-account", 6),
        ("default-service-account", 19),
    ]


def test_ckv_argo_2_situations():
    assert _by_line("bad-run-as-root.yaml", {"run-as-root"}) == [
        ("run-as-root", 12),  # no securityContext: the container
        ("run-as-root", 22),  # runAsNonRoot: false, where it is written
        ("run-as-root", 38),  # runAsUser only: Pod Security `restricted` still rejects it
    ]


def test_what_checkov_passes_argolint_passes():
    assert _by_line("good-checkov-argo.yaml", ACCOUNT | {"run-as-root"}) == []
