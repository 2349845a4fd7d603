"""secret-in-plain-env: credentials written into the manifest instead of read from a Secret.

Two signals: an env variable whose *name* says credential (``DB_PASSWORD``, ``API_TOKEN``)
with a literal ``value``; and any string whose *value* has the shape of a known credential (an
AWS access key, a GitHub token, a private key, a URL with a password) wherever it appears
(env, args, script sources, artifact URLs, HTTP headers, parameters)."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from itertools import pairwise

from argolint.analysis.census import census
from argolint.analysis.embedded import Placement
from argolint.analysis.pods import pods_of
from argolint.context import Context
from argolint.finding import Finding
from argolint.rules import rule
from argolint.source.loader import ARGO_KINDS
from argolint.source.nodes import YMapping, YNode, YScalar, YSequence
from argolint.span import Span

#: Name words that make a variable a credential.
_SECRET_WORDS = frozenset(
    (
        "password",
        "passwd",
        "pwd",
        "passphrase",
        "secret",
        "token",
        "credential",
        "credentials",
        "apikey",
        "privatekey",
        "accesskey",
        "secretkey",
    )
)
#: Words before ``key`` that make it a credential (``API_KEY``, ``SSH_KEY``).
_KEY_QUALIFIERS = frozenset(
    ("api", "access", "secret", "private", "ssh", "signing", "encryption", "master", "client")
)
#: Last words that make the variable about a credential, not the credential itself.
_NOT_THE_SECRET = frozenset(
    (
        "file",
        "path",
        "dir",
        "name",
        "id",
        "url",
        "uri",
        "ref",
        "arn",
        "enabled",
        "length",
        "ttl",
        "expiry",
        "timeout",
        "header",
        "type",
        "kind",
        "mode",
        "count",
        "namespace",
        "key",
        "field",
        "env",
        "var",
        "format",
        "audience",
        "issuer",
        "endpoint",
        "host",
        "server",
        "scope",
        "scopes",
        "provider",
        "store",
        "policy",
        "version",
        "prefix",
    )
)
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
#: Known credential formats (name → pattern); each match is reported where it is.
CREDENTIAL_FORMATS = {
    "an AWS access key": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "a GitHub token": re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})"),
    "a GitLab token": re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}"),
    "a Slack token": re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    "a Slack webhook": re.compile(r"https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/\w+"),
    "a Google API key": re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),
    "a Stripe key": re.compile(r"\b[rs]k_live_[0-9A-Za-z]{20,}"),
    "a private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "a JSON web token": re.compile(
        r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"
    ),
    "a password in a URL": re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@{}]+:([^/\s@{}]+)@[\w.-]+"),
}
#: One pass to tell whether a string can hold any of the formats (most strings cannot).
_ANY_FORMAT = re.compile("|".join(f"(?:{p.pattern})" for p in CREDENTIAL_FORMATS.values()))
_AUTH_HEADERS = frozenset(("authorization", "proxy-authorization", "x-api-key", "api-key"))
_NOT_LITERAL = re.compile(
    r"^\s*(?:\{\{.*\}\}|\$\([A-Za-z_][A-Za-z0-9_]*\)|\$\{?[A-Za-z_]\w*\}?)\s*$"
)


def is_credential_name(name: str) -> bool:
    words = [w.lower() for w in _WORDS.findall(name)]
    if not words:
        return False
    pairs = list(pairwise(words))
    qualified_key = words[-1] == "key" and len(words) > 1 and words[-2] in _KEY_QUALIFIERS
    if words[-1] in _NOT_THE_SECRET and not qualified_key:
        return False
    if any(w in _SECRET_WORDS for w in words) or {a + b for a, b in pairs} & _SECRET_WORDS:
        return True
    if any(w.endswith(("password", "passwd", "secret", "token")) for w in words):
        return True  # PGPASSWORD, MYSQLTOKEN
    return any(b == "key" and a in _KEY_QUALIFIERS for a, b in pairs)


_OBJECT_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*")


def names_secret_object(name: str, value: str) -> bool:
    """``DB_PASSWORD_SECRET: db-creds``: a variable named ``...secret`` whose value reads like
    a Kubernetes object name (lower case, words joined by ``-`` or ``.``, not hex digits as
    in a UUID) holds the name of the Secret to read, not the credential."""
    words = _WORDS.findall(name)
    text = value.strip()
    return (
        bool(words)
        and words[-1].lower() in ("secret", "secrets")
        and _OBJECT_NAME.fullmatch(text) is not None
        and ("-" in text or "." in text)
        and re.search("[g-z]", text) is not None
    )


_BASE64 = re.compile(r"[A-Za-z0-9+/]{20,}={0,2}")
#: What a decoded value gives away, besides the known credential formats.
_DECODED_SECRETS = {
    "registry credentials": re.compile(r'"auths?"\s*:'),
    "a password": re.compile(r'"?(?:password|passwd|secret|token)"?\s*[:=]', re.IGNORECASE),
}


def _encoded_credential(value: str) -> str | None:
    """What credential a base64 value holds, if decoding it shows one (a docker config, a
    ``password=`` line, a known key format)."""
    text = value.strip()
    if len(text) % 4 or not _BASE64.fullmatch(text):
        return None
    try:
        decoded = base64.b64decode(text, validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    for label, pattern in CREDENTIAL_FORMATS.items():
        if pattern.search(decoded):
            return label
    for label, pattern in _DECODED_SECRETS.items():
        if pattern.search(decoded):
            return label
    return None


def _literal(value: str) -> bool:
    """A value written in the manifest, not read from elsewhere at run time."""
    text = value.strip()
    if not text or _NOT_LITERAL.match(text) or text.lower() in ("true", "false", "yes", "no"):
        return False
    return not text.startswith(("/", "./", "~/"))


def _masked(value: str) -> str:
    text = value.strip()
    return (text[:4] + "…") if len(text) > 8 else "…"


@rule(
    "secret-in-plain-env",
    category="security",
    severity="warning",
    summary="A credential is written in the manifest instead of read from a Secret.",
    kinds=ARGO_KINDS,
)
def check(ctx: Context) -> Iterator[Finding]:
    reported: set[int] = set()
    for layer, container in ctx.analysis(pods_of).container_layers:
        env = layer.node.sequence("env")
        for item in env.mappings() if env else ():
            name = item.str("name") or ""
            value = item.get("value")
            if isinstance(value, YScalar) and isinstance(value.value, str):
                encoded = _encoded_credential(value.value)
                if encoded is not None:
                    reported.add(id(value))
                    what = container.describe if container is not None else layer.label
                    yield ctx.finding(
                        layer.placement.span(value),  # type: ignore[union-attr]
                        f"env `{name}` of the {what} is base64 of {encoded}: encoding hides "
                        "nothing, anyone who can read the workflow can decode it",
                        suggestion="store it in a Secret and use `valueFrom.secretKeyRef` "
                        "(or mount the Secret as a volume)",
                    )
                    continue
            if (
                not isinstance(value, YScalar)
                or not isinstance(value.value, str)
                or item.get("valueFrom") is not None
                or not is_credential_name(name)
                or not _literal(value.value)
                or names_secret_object(name, value.value)
            ):
                continue
            reported.add(id(value))
            what = container.describe if container is not None else layer.label
            yield ctx.finding(
                layer.placement.span(value),  # type: ignore[union-attr]
                f"env `{name}` of the {what} is given a literal credential "
                f"(`{_masked(value.value)}`): anyone who can read the workflow (the UI, "
                "`kubectl get`, the archive, git) can read it",
                suggestion=f"store it in a Secret and use `valueFrom: {{secretKeyRef: {{name: "
                f"<secret>, key: {name.lower()}}}}}` instead of `value`",
            )
    yield from _flags(ctx, reported)
    yield from _embedded_secrets(ctx, reported)
    found = ctx.analysis(census)
    yield from _parameters(ctx, found.mappings, reported)
    yield from _headers(ctx, found.mappings, reported)
    yield from _formats(ctx, found.long_strings, reported)


def _parameters(ctx: Context, mappings: list[YMapping], reported: set[int]) -> Iterator[Finding]:
    """Parameters named like credentials with a literal ``value`` or ``default``: the UI,
    the archive and every log line that prints arguments show them."""
    seen: set[int] = set()
    for owner in mappings:
        parameters = owner.sequence("parameters")
        for node in parameters.mappings() if parameters else ():
            if id(node) not in seen:
                seen.add(id(node))
                yield from _parameter(ctx, node, reported)


def _parameter(ctx: Context, node: YMapping, reported: set[int]) -> Iterator[Finding]:
    name = node.str("name") or ""
    if not is_credential_name(name):
        return
    for key in ("value", "default"):
        value = node.get(key)
        if (
            isinstance(value, YScalar)
            and isinstance(value.value, str)
            and _literal(value.value)
            and "{{" not in value.value
            and not names_secret_object(name, value.value)
        ):
            reported.add(id(value))
            yield ctx.finding(
                value,
                f"parameter `{name}` is given a literal credential (`{_masked(value.value)}`) "
                "as its `" + key + "`: parameters are shown in the UI, stored in the "
                "workflow archive and printed in logs",
                suggestion="do not pass credentials as parameters: read them inside the "
                "pod from a Secret (`env` with `valueFrom.secretKeyRef`), and pass the "
                "Secret's name as the parameter if it varies",
            )


def _headers(ctx: Context, mappings: list[YMapping], reported: set[int]) -> Iterator[Finding]:
    """``Authorization`` and API-key headers of http templates and http artifacts."""
    for node in mappings:
        headers = node.sequence("headers")
        for header in headers.mappings() if headers else ():
            name = (header.str("name") or "").lower()
            value = header.get("value")
            if (
                name in _AUTH_HEADERS
                and isinstance(value, YScalar)
                and isinstance(value.value, str)
                and _literal(value.value)
                and "{{" not in value.value
            ):
                reported.add(id(value))
                yield ctx.finding(
                    value,
                    f"header `{header.str('name')}` carries a literal credential "
                    f"(`{_masked(value.value)}`) in the manifest",
                    suggestion="read it from a Secret: `valueFrom: {secretKeyRef: {name: "
                    "<secret>, key: <key>}}`",
                )


def _formats(ctx: Context, strings: list[YScalar], reported: set[int]) -> Iterator[Finding]:
    for node in strings:
        text = node.value
        if id(node) in reported or not _ANY_FORMAT.search(text):
            continue
        for label, pattern in CREDENTIAL_FORMATS.items():
            for match in pattern.finditer(text):
                start, end = match.span(1) if match.groups() else match.span()
                if label == "a password in a URL" and not _literal(match.group(1)):
                    continue
                yield ctx.finding(
                    node.sub_span(start, end),
                    f"this looks like {label} (`{_masked(text[start:end])}`) written into the "
                    "manifest: anyone who can read the workflow can use it",
                    suggestion="revoke it, store it in a Secret and read it with "
                    "`valueFrom.secretKeyRef` (env) or the artifact's `*Secret` fields",
                )


#: Command-line options whose value is a credential (``--password x``, ``--token=x``).
_CREDENTIAL_FLAG = re.compile(
    r"--(?:password|passwd|token|api-key|apikey|secret|client-secret|access-key|secret-key|"
    r"secret-access-key|auth-token|access-token)"
)
_FLAG_IN_TEXT = re.compile(
    r"(?<![\w-])(" + _CREDENTIAL_FLAG.pattern + r")(?:=|[ \t]+)(?!['\"]?[$/{])"
    r"(['\"]?)([^\s'\"$;&|]{4,})\2(?=[\s;&|]|$)"
)


def _flags(ctx: Context, reported: set[int]) -> Iterator[Finding]:
    """``--password hunter2`` in a container's command or arguments, as separate items or
    inside a shell string: the process list and the manifest both show it."""
    for layer, container in ctx.analysis(pods_of).container_layers:
        what = container.describe if container is not None else layer.label
        placement = layer.placement
        if placement is None:
            continue
        items = [
            n
            for key in ("command", "args")
            for n in _sequence(layer.node.get(key))
            if isinstance(n.value, str)
        ]
        for i, item in enumerate(items):
            text = item.value.strip()
            if _CREDENTIAL_FLAG.fullmatch(text):
                value = items[i + 1] if i + 1 < len(items) else None
                if (
                    value is not None
                    and _literal(value.value)
                    and id(value) not in reported
                    and not _ANY_FORMAT.search(value.value)
                ):
                    reported.add(id(value))
                    yield _flag_finding(ctx, placement.span(value), text, value.value, what)
                continue
            for match in _FLAG_IN_TEXT.finditer(item.value):
                if _ANY_FORMAT.search(match.group(3)):
                    continue  # a known format: reported as such by `_formats`
                span = _sub_span(placement, item, *match.span(3))
                yield _flag_finding(ctx, span, match.group(1), match.group(3), what)


def _sequence(node: YNode | None) -> list[YScalar]:
    if not isinstance(node, YSequence):
        return []
    return [n for n in node.items if isinstance(n, YScalar)]


def _sub_span(placement: Placement, scalar: YScalar, start: int, end: int) -> Span:
    """The span of characters ``[start, end)`` of a scalar's value, in the file."""
    if not placement.embedded:
        return scalar.sub_span(start, end)
    first = placement.offset(scalar.source_offset(start))
    last = placement.offset(scalar.source_offset(max(start, end - 1))) + 1
    return placement.index.span(first, last)


def _flag_finding(ctx: Context, span: Span, flag: str, value: str, what: str) -> Finding:
    return ctx.finding(
        span,
        f"`{flag}` is given a literal credential (`{_masked(value)}`) in the command of the "
        f"{what}: the manifest, the UI and the node's process list show it",
        suggestion="read it from a Secret: an env var with `valueFrom.secretKeyRef` "
        f'(`{flag} "$VAR"`), or a file from a Secret volume (`--password-stdin`, `*-file`)',
    )


def _embedded_secrets(ctx: Context, reported: set[int]) -> Iterator[Finding]:
    """A Secret that a resource template creates from literal ``stringData``/``data``: the
    credential is in the workflow's manifest, whatever Secret it ends up in."""
    for item in ctx.analysis(pods_of).embedded:
        root = item.root
        if not isinstance(root, YMapping) or root.str("kind") != "Secret":
            continue
        meta = root.mapping("metadata")
        name = (meta.str("name") if meta else None) or "?"
        for key in ("stringData", "data"):
            values = root.mapping(key)
            for entry_key, value in values.entries if values else ():
                if (
                    not isinstance(value, YScalar)
                    or not isinstance(value.value, str)
                    or not _literal(value.value)
                    or "{{" in value.value
                ):
                    continue
                reported.add(id(value))
                yield ctx.finding(
                    item.placement.span(value),
                    f"Secret `{name}` created by a resource template holds a literal "
                    f"`{key}.{entry_key.value}` (`{_masked(value.value)}`): the credential is "
                    "in the workflow's manifest, readable wherever the workflow is"
                    + (" (base64 is an encoding, not encryption)" if key == "data" else ""),
                    suggestion="create the Secret outside the workflow (sealed-secrets, "
                    "external-secrets, `kubectl create secret`), or pass the value in from "
                    "an existing Secret",
                )
