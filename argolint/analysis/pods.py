"""Every pod an Argo document creates, with the settings that shape it.

A pod's settings come in layers, most specific first: the template's ``podSpecPatch``
(applied last by Argo, so it wins), the workflow's ``podSpecPatch``, the template, its
``templateDefaults``, the workflow spec, the controller's ``workflowDefaults``. A
container's own settings win over its pod's. Kubernetes manifests embedded in
``resource.manifest`` (Pods, Jobs, Deployments ... and Workflows) are pods too, parsed with
the loader and placed back in the block scalar.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from argolint.analysis.embedded import Embedded, Placement, parse_embedded, top_level
from argolint.model import Manifest, Template
from argolint.source.loader import ARGO_KINDS, load_text
from argolint.source.nodes import YMapping, YNode, YScalar
from argolint.span import Span

if TYPE_CHECKING:
    from argolint.context import Context

#: Where a Kubernetes workload keeps its pod spec.
POD_SPEC_PATHS: dict[str, tuple[str, ...]] = {
    "Pod": ("spec",),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
#: Templates whose pod runs a container the author wrote.
USER_POD_TYPES = frozenset(("container", "script", "containerSet"))


@dataclass(frozen=True)
class Layer:
    """One mapping that pod (or container) settings are read from."""

    node: YMapping
    placement: Placement | None  # None: from the controller's defaults (no position)
    label: str
    #: which of the pod's sources: "patch", "template", "defaults" (``templateDefaults``),
    #: "spec", "controller"; "" for containers and workload pod specs
    scope: str = ""


@dataclass(frozen=True)
class Setting:
    """A value found in a layer, with the node that holds it."""

    value: Any
    node: YNode
    layer: Layer

    def span(self, fallback: YNode, placement: Placement) -> Span:
        """Where the value is written; ``fallback`` if it comes from the controller's
        defaults, which have no place in the file."""
        if self.layer.placement is None:
            return placement.span(fallback)
        return self.layer.placement.span(self.node)


#: Pod-level sources that Argo replaces, not merges, when a template sets a securityContext.
_WORKFLOW_SCOPES = frozenset(("spec", "controller"))


def pod_security_layers(layers: list[Layer]) -> tuple[list[Layer], Layer | None]:
    """The pod layers a pod's ``securityContext`` is really read from, and the template
    layer that hides the workflow's, if one does. Argo copies the template's
    ``securityContext`` (``templateDefaults`` merged into it) *or* the workflow's, whole;
    only ``podSpecPatch`` merges key by key on top."""
    hiding = next(
        (
            layer
            for layer in layers
            if layer.scope in ("template", "defaults")
            and isinstance(layer.node.get("securityContext"), YMapping)
        ),
        None,
    )
    if hiding is None:
        return layers, None
    return [layer for layer in layers if layer.scope not in _WORKFLOW_SCOPES], hiding


def find(layers: list[Layer], *path: str) -> Setting | None:
    """The first layer (most specific) that sets ``path``."""
    for layer in layers:
        node: YNode | None = layer.node
        for key in path:
            node = node.get(key) if node is not None else None
        if node is not None and not (isinstance(node, YScalar) and node.value is None):
            value = node.value if isinstance(node, YScalar) else node
            return Setting(value, node, layer)
    return None


@dataclass
class Container:
    node: YMapping
    role: str  # "container", "script", "init container `x`" ...
    anchor: YNode  # where to report a missing field
    placement: Placement
    layers: list[Layer]  # container-level settings, most specific first
    pod: Pod

    @property
    def name(self) -> str | None:
        return self.node.str("name")

    @property
    def describe(self) -> str:
        return f"{self.role} of {self.pod.label}"


@dataclass
class Pod:
    label: str  # "template `build`", "Job `x` (resource template `deploy`)"
    template: Template | None
    anchor: YNode  # where to report a missing pod-level field
    placement: Placement
    layers: list[Layer]  # pod-level settings, most specific first
    containers: list[Container] = field(default_factory=list)
    user_containers: bool = True  # False for resource/data pods (only Argo's executor runs)


@dataclass
class Pods:
    """The pods of one document, and every distinct settings mapping among them."""

    pods: list[Pod]
    pod_layers: list[Layer]  # each pod-level mapping once (spec, templates, patches ...)
    container_layers: list[tuple[Layer, Container | None]]  # each container mapping once
    embedded: list[Embedded]  # every Kubernetes manifest parsed out of resource templates

    @property
    def containers(self) -> Iterator[Container]:
        for pod in self.pods:
            yield from pod.containers


def is_library(manifest: Manifest) -> bool:
    """A (Cluster)WorkflowTemplate without an entrypoint is only run through ``templateRef``:
    its pods then take the calling workflow's pod-level settings and service account."""
    return manifest.kind in ("WorkflowTemplate", "ClusterWorkflowTemplate") and not (
        manifest.entrypoint
    )


def pods_of(ctx: Context) -> Pods:
    """The pods of the context's document (computed once per document)."""
    builder = _Builder(ctx.doc.path, ctx.config.workflow_defaults)
    if ctx.doc.kind in ARGO_KINDS:
        builder.workflow(ctx.manifest, top_level(ctx.doc), "")
    return builder.result()


class _Builder:
    def __init__(self, path: str, defaults: dict[str, Any] | None) -> None:
        self.path = path
        self.pods: list[Pod] = []
        self.embedded: list[Embedded] = []
        self.patch_containers: list[Layer] = []  # every `containers` entry of a podSpecPatch
        self.defaults = _defaults_layer(defaults)

    def result(self) -> Pods:
        pod_layers: dict[int, Layer] = {}
        container_layers: dict[int, tuple[Layer, Container | None]] = {}
        for pod in self.pods:
            for layer in pod.layers:
                if layer.placement is not None:
                    pod_layers.setdefault(id(layer.node), layer)
            for container in pod.containers:
                for layer in container.layers:
                    if layer.placement is not None:
                        owner = container if layer.node is container.node else None
                        seen = container_layers.get(id(layer.node))
                        if seen is None or (seen[1] is None and owner is not None):
                            container_layers[id(layer.node)] = (layer, owner)
        # A patch entry that names no container of its pod adds one (a strategic merge by
        # name): its settings are still checked where they are written.
        for layer in self.patch_containers:
            container_layers.setdefault(id(layer.node), (layer, None))
        return Pods(
            self.pods, list(pod_layers.values()), list(container_layers.values()), self.embedded
        )

    # -- Argo documents ------------------------------------------------------------------
    def workflow(self, manifest: Manifest, placement: Placement, where: str) -> None:
        spec = manifest.spec
        if spec is None:
            return
        spec_patches = self._patches(spec, placement, f"`podSpecPatch`{where}")
        spec_layer = Layer(spec, placement, f"`spec`{where}", "spec")
        defaults = spec.mapping("templateDefaults")
        defaults_layer = (
            Layer(defaults, placement, f"`templateDefaults`{where}", "defaults")
            if defaults
            else None
        )
        for template in manifest.all_templates:
            self.template(template, placement, where, spec_patches, spec_layer, defaults_layer)

    def template(
        self,
        template: Template,
        placement: Placement,
        where: str,
        spec_patches: list[Layer],
        spec_layer: Layer,
        defaults: Layer | None,
    ) -> None:
        kind = template.type
        if kind == "resource":
            self._resource(template, placement, where)
        if kind not in USER_POD_TYPES and kind not in ("resource", "data"):
            return
        name = template.name or "(inline)"
        label = f"template `{name}`{where}"
        own_patches = self._patches(template.node, placement, f"`podSpecPatch` of {label}")
        layers = [*own_patches, *spec_patches, Layer(template.node, placement, label, "template")]
        if defaults is not None:
            layers.append(defaults)
        layers.append(spec_layer)
        if self.defaults is not None:
            layers.append(self.defaults)
        pod = Pod(label, template, template.name_node, placement, layers)
        pod.user_containers = kind in USER_POD_TYPES
        self.pods.append(pod)
        patch_containers = [
            c for layer in [*own_patches, *spec_patches] for c in _patch_containers(layer)
        ]
        self.patch_containers.extend(patch_containers)
        body = template.node.get(kind)
        if kind in ("container", "script") and isinstance(body, YMapping):
            extra = [defaults.node.mapping(kind)] if defaults is not None else []
            self._container(
                pod,
                body,
                kind,
                template.node.key_node(kind) or body,
                "main",
                patch_containers,
                extra,
            )
        elif kind == "containerSet" and isinstance(body, YMapping):
            seq = body.sequence("containers")
            for c in seq.mappings() if seq else ():
                self._container(
                    pod,
                    c,
                    f"container `{c.str('name')}`",
                    c.get("name") or c,
                    c.str("name"),
                    patch_containers,
                    [],
                )
        for key, role in (("initContainers", "init container"), ("sidecars", "sidecar")):
            seq = template.node.sequence(key)
            for c in seq.mappings() if seq else ():
                self._container(
                    pod,
                    c,
                    f"{role} `{c.str('name')}`",
                    c.get("name") or c,
                    c.str("name"),
                    patch_containers,
                    [],
                )

    def _container(
        self,
        pod: Pod,
        node: YMapping,
        role: str,
        anchor: YNode,
        name: str | None,
        patch_containers: list[Layer],
        extra: list[YMapping | None],
    ) -> None:
        layers = [p for p in patch_containers if name is not None and p.node.str("name") == name]
        layers.append(Layer(node, pod.placement, f"the {role}"))
        layers.extend(Layer(m, pod.placement, "`templateDefaults`") for m in extra if m)
        pod.containers.append(Container(node, role, anchor, pod.placement, layers, pod))

    def _patches(self, holder: YMapping, placement: Placement, label: str) -> list[Layer]:
        """``podSpecPatch`` (a YAML or JSON string) parsed into a layer, if it parses."""
        found = parse_embedded(holder.get("podSpecPatch"), placement, self.path)
        return [
            Layer(e.root, e.placement, label, "patch")
            for e in found
            if isinstance(e.root, YMapping)
        ]

    # -- resource templates ----------------------------------------------------------------
    def _resource(self, template: Template, placement: Placement, where: str) -> None:
        resource = template.node.mapping("resource")
        if resource is None:
            return
        for item in parse_embedded(resource.get("manifest"), placement, self.path):
            self.embedded.append(item)
            root = item.root
            if not isinstance(root, YMapping):
                continue
            kind = root.str("kind")
            label = f"{kind} in resource template `{template.name or '(inline)'}`{where}"
            if kind in ARGO_KINDS:
                self.workflow(Manifest(item.doc), item.placement, f" ({label})")
            elif kind in POD_SPEC_PATHS:
                self.workload(root, kind, item.placement, label)

    def workload(self, root: YMapping, kind: str, placement: Placement, label: str) -> None:
        node: YNode | None = root
        for key in POD_SPEC_PATHS[kind]:
            node = node.get(key) if node is not None else None
        if not isinstance(node, YMapping):
            return
        anchor = root.get("kind") or root
        pod = Pod(label, None, anchor, placement, [Layer(node, placement, label)])
        self.pods.append(pod)
        for key, role in (
            ("containers", "container"),
            ("initContainers", "init container"),
            ("ephemeralContainers", "ephemeral container"),
        ):
            seq = node.sequence(key)
            for c in seq.mappings() if seq else ():
                self._container(
                    pod, c, f"{role} `{c.str('name')}`", c.get("name") or c, c.str("name"), [], []
                )


def _patch_containers(layer: Layer) -> Iterator[Layer]:
    seq = layer.node.sequence("containers")
    for c in seq.mappings() if seq else ():
        yield Layer(c, layer.placement, layer.label)


def _defaults_layer(defaults: dict[str, Any] | None) -> Layer | None:
    """The controller's ``workflowDefaults.spec`` as a layer without positions."""
    spec = defaults.get("spec") if isinstance(defaults, dict) else None
    if not isinstance(spec, dict):
        return None
    try:
        loaded = load_text(json.dumps(spec, default=str), "<workflowDefaults>")
    except (TypeError, ValueError):
        return None
    docs = loaded.documents
    if not docs or not isinstance(docs[0].root, YMapping):
        return None
    return Layer(docs[0].root, None, "the controller's `workflowDefaults`", "controller")
