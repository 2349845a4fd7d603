"""Controller defaults: the ``workflowDefaults`` of the controller ConfigMap, merged into each
Workflow before any rule looks at it, as the controller does when it admits a workflow.

The controller merges with a strategic merge patch where the workflow wins: mappings merge
key by key, anything else (scalars, lists) the workflow sets replaces the default. Nodes that
come from the defaults have no place in the linted file; they take the span of the key they
were merged under (``spec:`` or ``metadata:``), so a finding about one points there.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from argolint.source.loader import Document
from argolint.source.nodes import YMapping, YNode, YScalar, YSequence


def apply_workflow_defaults(docs: Iterable[Document], defaults: dict[str, Any] | None) -> None:
    """Merge ``defaults`` (``metadata`` and ``spec``) into every Workflow and into the
    workflow that every CronWorkflow creates (``spec.workflowSpec``/``workflowMetadata``)."""
    if not defaults or not isinstance(defaults, dict):
        return
    spec = defaults.get("spec")
    metadata = defaults.get("metadata")
    for doc in docs:
        root = doc.root
        if not isinstance(root, YMapping):
            continue
        if doc.kind == "Workflow":
            targets = [(root, "spec", spec), (root, "metadata", metadata)]
        elif doc.kind == "CronWorkflow" and isinstance(root.get("spec"), YMapping):
            holder = root.get("spec")
            assert isinstance(holder, YMapping)
            targets = [(holder, "workflowSpec", spec), (holder, "workflowMetadata", metadata)]
        else:
            continue
        for parent, key, value in targets:
            if isinstance(value, dict) and value:
                _merge_into(parent, key, value)


def _merge_into(parent: YMapping, key: str, value: dict[str, Any]) -> None:
    anchor = parent.key_node(key) or parent
    current = parent.get(key)
    if current is None:
        _set(parent, key, _build(value, anchor), anchor)
    elif isinstance(current, YMapping):
        _merge_mapping(current, value, anchor)


def _merge_mapping(target: YMapping, defaults: dict[str, Any], anchor: YNode) -> None:
    for key, value in defaults.items():
        key = str(key)
        current = target.get(key)
        if current is None and key not in target:
            _set(target, key, _build(value, anchor), anchor)
        elif isinstance(current, YMapping) and isinstance(value, dict):
            _merge_mapping(current, value, anchor)


def _set(mapping: YMapping, key: str, node: YNode, anchor: YNode) -> None:
    key_node = YScalar(anchor.start, anchor.end, None, anchor.index, key, None)
    mapping.entries.append((key_node, node))
    mapping.keys[key] = (key_node, node)


def _build(value: Any, anchor: YNode) -> YNode:
    start, end, index = anchor.start, anchor.end, anchor.index
    if isinstance(value, dict):
        mapping = YMapping(start, end, None, index)
        for k, v in value.items():
            _set(mapping, str(k), _build(v, anchor), anchor)
        return mapping
    if isinstance(value, list):
        seq = YSequence(start, end, None, index)
        seq.items = [_build(v, anchor) for v in value]
        return seq
    return YScalar(start, end, None, index, value, None)
