"""Go-templated files (Helm charts and the like): recognise them before they are read as
YAML, so a chart's ``templates/workflow.yaml`` gets one ``templated-file`` note instead of
a cascade of syntax errors and of findings about ``{{ .Values.x }}`` as if it were Argo's.

Argo's own tags are ``{{name.path}}`` or ``{{=expression}}``; a Go template action starts
with ``.`` or ``$``, is a string literal (Helm's ``{{ "{{" }}`` escape), a comment, a
keyword (``if``, ``end``, ``range``…), a function call (a word followed by arguments), or
uses a trim marker (``{{- `` / `` -}}``). Helm's own objects and keywords mark a file as
templated wherever they appear; any other Go action only where it is not inside a YAML
string, or when the file is not valid YAML: a valid Workflow whose script runs
``docker inspect -f '{{.Id}}'`` stays a manifest (and other rules say what Argo makes of it).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from argolint.source.nodes import YNode, YScalar, descendants

_ACTION = re.compile(r"\{\{(.{0,4000}?)\}\}", re.S)
_KEYWORDS = frozenset(
    ("if", "else", "end", "range", "with", "define", "template", "block", "break", "continue")
)
_HELM_OBJECT = re.compile(r"\.(?:Values|Release|Chart|Capabilities|Files|Template)\b")
_HELM_FUNCTIONS = frozenset(("include", "tpl", "toYaml", "toJson", "required", "lookup"))
_COMMENT_BEFORE = re.compile(r"(?:^|\s)#")


@dataclass(frozen=True)
class GoAction:
    start: int  # offset of ``{{`` in the text
    end: int  # offset just past ``}}``
    strong: bool  # unmistakably a Go/Helm template, wherever it is

    def text(self, source: str) -> str:
        return source[self.start : self.end]


def go_actions(text: str) -> Iterator[GoAction]:
    """The Go template actions of a text, outside YAML comments."""
    if "{{" not in text:
        return
    for match in _ACTION.finditer(text):
        kind = _classify(match.group(1))
        if kind is None:
            continue
        line_start = text.rfind("\n", 0, match.start()) + 1
        if _COMMENT_BEFORE.search(text, line_start, match.start()):
            continue
        yield GoAction(match.start(), match.end(), kind)


def _classify(raw: str) -> bool | None:
    """None: an Argo tag (or not a Go action); else whether it is unmistakably Go/Helm."""
    trimmed = raw.startswith("- ") or raw.startswith("-\n") or raw.endswith((" -", "\n-"))
    body = raw.strip().strip("-").strip() if trimmed else raw.strip()
    if body.startswith("="):
        return None  # Argo expression
    if trimmed:
        return True
    if not body:
        return None
    first = body.split(None, 1)[0]
    if body[0] in '"`' or body.startswith("/*") or first in _KEYWORDS:
        return True
    if first in _HELM_FUNCTIONS or _HELM_OBJECT.match(body):
        return True
    if body[0] in ".$(" or any(c.isspace() for c in body):
        return False  # a Go action, but a script may hold it in a string legitimately
    return None


def strong_action(actions: list[GoAction]) -> GoAction | None:
    """The first action that makes a file a template wherever it is."""
    return next((a for a in actions if a.strong), None)


def template_action(
    actions: list[GoAction], roots: Iterable[YNode], parsed_cleanly: bool
) -> GoAction | None:
    """The first action that makes a parsed file a template: any Go action when the file
    is not valid YAML, else one that is not inside a string (``roots``: its documents)."""
    weak = [a for a in actions if not a.strong]
    if not weak:
        return strong_action(actions)
    if not parsed_cleanly:
        return weak[0]
    ranges = sorted(
        (node.start, node.end)
        for root in roots
        for node in descendants(root)
        if isinstance(node, YScalar) and isinstance(node.value, str)
    )
    return next((a for a in weak if not _inside(ranges, a.start, a.end)), None)


def _inside(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect.bisect_right(ranges, (start, float("inf"))) - 1
    return i >= 0 and ranges[i][0] <= start and end <= ranges[i][1]
