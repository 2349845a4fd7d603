"""Go-templated files (Helm charts and the like) and Jinja-templated ones: recognise them
before they are read as YAML, so a chart's ``templates/workflow.yaml`` gets one
``templated-file`` note instead of a cascade of syntax errors and of findings about
``{{ .Values.x }}`` as if it were Argo's.

Argo's own tags are ``{{name.path}}`` or ``{{=expression}}``; a Go template action starts
with ``.`` or ``$``, is a string literal (Helm's ``{{ "{{" }}`` escape), a comment, a
keyword (``if``, ``end``, ``range``…), a function call (a word followed by arguments), or
uses a trim marker (``{{- `` / `` -}}``). Helm's own objects (``.Values`` anywhere in an
action), functions, trim markers, comments and its escape of braces (``{{ "{{" }}``) mark a
file as templated wherever they appear; any other Go action, a keyword included, only
where it is not inside a YAML string, or when the file is not valid YAML: a valid Workflow
whose script runs ``docker inspect -f '{{.Id}}'`` or ``kubectl -o
go-template='{{range .items}}...'`` stays a manifest (and other rules say what Argo makes
of it).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from argolint.source.nodes import YNode, YScalar, descendants

_OPEN = re.compile(r"\{\{")
_MAX_ACTION = 4000  # a longer "{{...}}" is not taken for an action
_KEYWORDS = frozenset(
    ("if", "else", "end", "range", "with", "define", "template", "block", "break", "continue")
)
_HELM_OBJECT = re.compile(r"\.(?:Values|Release|Chart|Capabilities|Files|Template)\b")
_HELM_FUNCTIONS = frozenset(("include", "tpl", "toYaml", "toJson", "required", "lookup"))
_COMMENT = re.compile(r"(?:^|(?<=\s))#", re.M)


@dataclass(frozen=True)
class GoAction:
    start: int  # offset of ``{{`` in the text
    end: int  # offset just past ``}}``
    strong: bool  # unmistakably a Go/Helm template, wherever it is
    jinja: bool = False  # a Jinja statement (``{% if x %}``), not a Go action

    def text(self, source: str) -> str:
        return source[self.start : self.end]


def go_actions(text: str) -> Iterator[GoAction]:
    """The Go template actions of a text, outside YAML comments. Linear in the text: each
    ``{{`` is paired with the next ``}}`` (found once and reused), and line starts and
    comments are found once per line, so one long line of braces costs no more than its
    length."""
    if "{{" not in text:
        return
    close = -1  # offset of the next "}}" after the current "{{"
    skip_until = 0  # inside the previous action
    line_start = scanned = 0
    comment_line, comment_at = -1, -1
    for match in _OPEN.finditer(text):
        start = match.start()
        if start < skip_until:
            continue
        if close < start + 2:
            close = text.find("}}", start + 2)
            if close == -1:
                return
        if close - start > _MAX_ACTION:
            continue
        body = text[start + 2 : close]
        if "{{" not in body:
            skip_until = close + 2
        kind = _classify(body)
        if kind is None or (kind is False and "{{" in body):
            # A weak action that swallows another "{{" is an unterminated Argo tag
            # (`{{steps.a.outputs.result` ... `{{inputs.parameters.x}}`), not Go.
            continue
        newline = text.rfind("\n", scanned, start)
        if newline != -1:
            line_start = newline + 1
        scanned = start
        if comment_line != line_start:
            comment_line = line_start
            line_end = text.find("\n", line_start)
            comment = _COMMENT.search(text, line_start, len(text) if line_end < 0 else line_end)
            comment_at = comment.start() if comment else -1
        if 0 <= comment_at < start:
            continue
        yield GoAction(start, close + 2, kind)


#: A Jinja statement (Ansible, cookiecutter, Salt...): ``{% if x %}``, ``{%- for ... -%}``.
_JINJA = re.compile(
    r"\{%-?[ \t]*(?:if|elif|else|endif|for|endfor|set|endset|macro|endmacro|include|import|"
    r"from|block|endblock|extends|raw|endraw|filter|endfilter|call|endcall|with|endwith)\b"
    r"[^\n%]{0,400}%\}"
)


def actions(text: str) -> list[GoAction]:
    """Go actions (``go_actions``) and Jinja statements, in text order. A Jinja statement
    counts like a Go action that a script could hold: only outside YAML strings, or when
    the file is not valid YAML (a Python script in ``source: |`` may render Jinja itself)."""
    found = list(go_actions(text))
    if "{%" in text:
        found += [GoAction(m.start(), m.end(), False, jinja=True) for m in _JINJA.finditer(text)]
        found.sort(key=lambda a: a.start)
    return found


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
    words = body.split(None, 1)  # two words exactly when the stripped body has a space
    first = words[0]
    if body.startswith("/*") or (body[0] in '"`' and ("{{" in body or "}}" in body)):
        return True  # a Go comment, or Helm's escape of Argo's braces: `{{ "{{" }}`
    if first in _HELM_FUNCTIONS or _HELM_OBJECT.search(body):
        return True
    if first in _KEYWORDS or body[0] in '.$("`' or len(words) > 1:
        # A Go action, but a script may hold it in a string legitimately (`kubectl get
        # pods -o go-template='{{range .items}}{{.metadata.name}}{{end}}'`).
        return False
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
