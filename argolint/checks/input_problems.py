"""Findings that the loader, the configuration reader and the engine emit themselves."""

from argolint.rules import declare

declare(
    "yaml-syntax",
    category="yaml",
    severity="error",
    summary="The file is not well-formed YAML; the document with the error is not analysed.",
)
declare(
    "duplicate-key",
    category="yaml",
    severity="error",
    summary="A mapping repeats a key; readers disagree on which value wins.",
)
declare(
    "file-encoding",
    category="yaml",
    severity="error",
    summary="The file cannot be read as text (binary, invalid UTF-8/16/32).",
)
declare(
    "resource-limit",
    category="yaml",
    severity="error",
    summary="The input exceeds a safety limit (file size, alias expansion, nesting depth).",
)
declare(
    "templated-file",
    category="yaml",
    severity="info",
    summary="A Go/Helm template, not a manifest yet: it is not linted; lint its rendered output.",
)
declare(
    "internal-error",
    category="argolint",
    severity="error",
    summary="argolint itself failed on this input; the other rules and files still ran.",
)
declare(
    "unknown-rule",
    category="argolint",
    severity="warning",
    summary="A configuration entry or suppression comment names a rule that does not exist.",
)
declare(
    "config-error",
    category="argolint",
    severity="error",
    summary="The configuration has an unknown key or a value of the wrong kind.",
)
declare(
    "unknown-kind",
    category="correctness",
    severity="error",
    summary="A document misspells an Argo kind (or has none), so it would be skipped.",
)
