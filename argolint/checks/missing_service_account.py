"""Service accounts of a workflow's pods: none named (``missing-service-account``), the
namespace's ``default`` named explicitly (``default-service-account``), and API tokens
mounted into pods that never call the API (``automount-token``)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from argolint.analysis.pods import is_library, pods_of
from argolint.context import Context
from argolint.finding import Finding, Severity
from argolint.model import Manifest, Template
from argolint.rules import rule
from argolint.source.nodes import YMapping, YNode, YScalar

#: Template types whose execution starts a pod with the workflow's service account.
POD_TEMPLATE_TYPES = frozenset(("container", "script", "containerSet", "resource", "data"))


@rule(
    "missing-service-account",
    category="security",
    severity="warning",
    summary="Pods would run under the namespace's default service account.",
    kinds=("Workflow", "WorkflowTemplate", "CronWorkflow"),
)
def check(ctx: Context) -> Iterator[Finding]:
    manifest = ctx.manifest
    spec = manifest.spec
    if spec is None or _names_account(spec.get("serviceAccountName")):
        return
    defaults = ctx.config.workflow_defaults or {}
    if isinstance(defaults.get("spec"), dict) and defaults["spec"].get("serviceAccountName"):
        return
    if manifest.workflow_template_ref is not None:
        return  # the referenced template decides; it is linted where it is defined
    if is_library(manifest):
        return  # run only through templateRef: the calling workflow's account applies
    uncovered = [
        t
        for t in manifest.all_templates
        if t.type in POD_TEMPLATE_TYPES and not _names_account(t.node.get("serviceAccountName"))
    ]
    if not uncovered:
        return
    holder = manifest.root.get("spec") if manifest.kind == "CronWorkflow" else None
    anchor = (
        holder.key_node("workflowSpec")
        if holder is not None and holder.is_mapping()
        else manifest.root.key_node("spec")
    )
    names = ", ".join(f"`{t.name}`" for t in uncovered[:3] if t.name)
    more = f" and {len(uncovered) - 3} more" if len(uncovered) > 3 else ""
    executor = spec.mapping("executor")
    executor_note = (
        "; `executor.serviceAccountName` only gives Argo's executor its token, the pods "
        "themselves still run as `default`"
        if executor is not None and _names_account(executor.get("serviceAccountName"))
        else ""
    )
    field = "workflowSpec" if manifest.kind == "CronWorkflow" else "spec"
    yield ctx.finding(
        anchor or spec,
        "no `serviceAccountName`: the pods of "
        + (f"templates {names}{more}" if names else "this workflow")
        + " run under the namespace's `default` service account, which has either too few "
        "permissions (the run fails) or, once widened, too many" + executor_note,
        suggestion=f"set `{field}.serviceAccountName` to a service account bound to a minimal "
        "Role (`argolint --suggest-rbac FILE` writes one)",
    )


def _names_account(node: YNode | None) -> bool:
    """A non-empty ``serviceAccountName`` (an empty one means ``default``)."""
    return isinstance(node, YScalar) and node.value is not None and node.text.strip() != ""


def _account_nodes(ctx: Context) -> Iterator[tuple[str, YScalar]]:
    """(where, value) for each ``serviceAccountName`` of the spec, its executor, the
    templates and their executors."""
    spec = ctx.manifest.spec
    if spec is None:
        return
    holders: list[tuple[str, YMapping | None]] = [("the workflow", spec)]
    holders.append(("the workflow's executor", spec.mapping("executor")))
    for template in ctx.manifest.all_templates:
        label = f"template `{template.name or '(inline)'}`"
        holders.append((label, template.node))
        holders.append((f"the executor of {label}", template.node.mapping("executor")))
    for where, holder in holders:
        node = holder.get("serviceAccountName") if holder is not None else None
        if isinstance(node, YScalar) and node.value is not None:
            yield where, node


@rule(
    "default-service-account",
    category="security",
    severity="warning",
    summary="`serviceAccountName: default` runs pods as the namespace's shared account.",
    kinds=("Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow"),
)
def check_default(ctx: Context) -> Iterator[Finding]:
    for where, node in _account_nodes(ctx):
        if node.text.strip() == "default":
            yield ctx.finding(
                node,
                f"{where} runs as the namespace's `default` service account: every pod that "
                "names no account shares it, so whatever it is granted for this workflow "
                "they all get",
                suggestion="create a service account for this workflow, bound to a minimal Role "
                "(`argolint --suggest-rbac FILE` writes one), and name it here",
            )


#: Images and commands that talk to the Kubernetes API from inside the pod.
_API_CLIENT = re.compile(
    r"(?:^|[\s/;&|(\"'])(?:kubectl|helm|kustomize|argo\s+(?:submit|get|list|wait|logs|delete|stop|"
    r"resubmit|retry|terminate|cron|template))\b|/var/run/secrets/kubernetes\.io|"
    r"\bkubernetes\.default(?:\.svc)?\b|"
    r"KUBERNETES_SERVICE_HOST|from\s+kubernetes\s+import|import\s+kubernetes|"
    r"load_incluster_config|rest\.InClusterConfig|k8s\.io/client-go",
)
_API_IMAGE = re.compile(
    r"(?:^|/)(?:kubectl|k8s|kubernetes|helm|argocli|argoexec|kustomize|kubectl-[\w-]+|"
    r"k8s-[\w-]+|kube-[\w-]+)(?::|@|$)"
)


def _calls_api(template: Template) -> bool:
    """Whether a user container of the template looks like it talks to the API."""
    for key in ("container", "script"):
        body = template.node.mapping(key)
        if body is not None and _body_calls_api(body):
            return True
    for key in ("initContainers", "sidecars"):
        seq = template.node.sequence(key)
        if seq is not None and any(_body_calls_api(c) for c in seq.mappings()):
            return True
    container_set = template.node.mapping("containerSet")
    seq = container_set.sequence("containers") if container_set else None
    return seq is not None and any(_body_calls_api(c) for c in seq.mappings())


def _body_calls_api(container: YMapping) -> bool:
    image = container.str("image") or ""
    if _API_IMAGE.search(image.split("@")[0].rsplit(":", 1)[0] + ":"):
        return True
    texts = [container.str("source") or ""]
    for key in ("command", "args"):
        node = container.get(key)
        if node is not None and node.is_sequence():
            texts.extend(n.text for n in node.items if isinstance(n, YScalar))  # type: ignore[attr-defined]
    return any(_API_CLIENT.search(t) for t in texts)


def _token_disabled(node: YMapping | None) -> bool:
    value = node.get("automountServiceAccountToken") if node is not None else None
    return isinstance(value, YScalar) and value.value is False


def _controller_spec(ctx: Context) -> dict:
    """The controller's ``workflowDefaults.spec``. It is merged into Workflows and
    CronWorkflows before the rules run; a WorkflowTemplate gets it only once submitted, so
    rules about what its workflows will run read it from here."""
    defaults = ctx.config.workflow_defaults or {}
    spec = defaults.get("spec") if isinstance(defaults, dict) else None
    return spec if isinstance(spec, dict) else {}


def _account_without_token(ctx: Context, account: str) -> bool:
    """The project defines this ServiceAccount with ``automountServiceAccountToken: false``
    (Kubernetes then mounts no token into pods that do not ask for one)."""
    namespace = ctx.doc.namespace
    for doc in ctx.project.of_kind("ServiceAccount"):
        root = doc.root
        if (
            doc.name == account
            and (namespace is None or doc.namespace is None or doc.namespace == namespace)
            and isinstance(root, YMapping)
            and _token_disabled(root)
        ):
            return True
    return False


def _spec_anchor(manifest: Manifest) -> YNode | None:
    """``spec:`` (``workflowSpec:`` of a CronWorkflow), where workflow-wide findings go."""
    root = manifest.root
    holder = root.get("spec") if manifest.kind == "CronWorkflow" else None
    if isinstance(holder, YMapping):
        return holder.key_node("workflowSpec")
    return root.key_node("spec")


def _controller_executor(ctx: Context) -> str | None:
    executor = _controller_spec(ctx).get("executor")
    name = executor.get("serviceAccountName") if isinstance(executor, dict) else None
    return name if isinstance(name, str) and name.strip() else None


@rule(
    "automount-token",
    category="security",
    severity="info",
    summary="Pods get a Kubernetes API token though no template calls the API.",
    kinds=("Workflow", "WorkflowTemplate", "CronWorkflow"),
)
def check_automount(ctx: Context) -> Iterator[Finding]:
    manifest = ctx.manifest
    spec = manifest.spec
    if spec is None or _token_disabled(spec) or manifest.workflow_template_ref is not None:
        return
    if _controller_spec(ctx).get("automountServiceAccountToken") is False:
        return
    if _account_without_token(ctx, spec.str("serviceAccountName") or "default"):
        return
    if is_library(manifest):
        return  # the calling workflow decides whether pods get a token
    pods = [p for p in ctx.analysis(pods_of).pods if p.template is not None and p.user_containers]
    pods = [p for p in pods if not p.placement.embedded]
    if not pods:
        return
    defaults = spec.mapping("templateDefaults")
    exposed = [
        p.template
        for p in pods
        if p.template is not None
        and not _token_disabled(p.template.node)
        and not _token_disabled(defaults)
    ]
    if not exposed or any(_calls_api(t) for t in exposed):
        return
    holder = manifest.root.get("spec") if manifest.kind == "CronWorkflow" else None
    anchor = (
        holder.key_node("workflowSpec")
        if isinstance(holder, YMapping)
        else manifest.root.key_node("spec")
    )
    field = "workflowSpec" if manifest.kind == "CronWorkflow" else "spec"
    account = spec.str("serviceAccountName") or "<service-account>"
    yield ctx.finding(
        anchor or spec,
        "every container gets the service account's API token, though no template seems to "
        "call the Kubernetes API; anyone who takes over a step can use it",
        suggestion=f"set `{field}.automountServiceAccountToken: false` and "
        f"`{field}.executor.serviceAccountName: {account}` (Argo's executor still needs a "
        "token and gets it through the executor's account)",
    )


def _first(holders: list[YMapping | None], *path: str) -> YNode | None:
    """The value at ``path`` in the first holder that sets it (Argo's order of precedence)."""
    for holder in holders:
        node: YNode | None = holder
        for key in path:
            node = node.get(key) if isinstance(node, YMapping) else None
        if node is not None and not (isinstance(node, YScalar) and node.value is None):
            return node
    return None


@rule(
    "automount-without-executor",
    category="correctness",
    severity="error",
    summary="`automountServiceAccountToken: false` without `executor.serviceAccountName`: "
    "Argo refuses to create the pod.",
    kinds=("Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow"),
)
def check_automount_executor(ctx: Context) -> Iterator[Finding]:
    manifest = ctx.manifest
    spec = manifest.spec
    if spec is None or manifest.workflow_template_ref is not None or is_library(manifest):
        return
    # A WorkflowTemplate's caller can still add `executor` to the workflow it submits.
    certain = manifest.kind in ("Workflow", "CronWorkflow")
    defaults = spec.mapping("templateDefaults")
    # The controller's defaults (already merged into Workflows and CronWorkflows) apply to
    # a WorkflowTemplate's workflows too; a default `false` is reported at `spec`.
    controller = _controller_spec(ctx)
    default_off = controller.get("automountServiceAccountToken") is False
    failing: dict[int, tuple[YNode, list[str]]] = {}
    for template in manifest.all_templates:
        if template.type not in POD_TEMPLATE_TYPES:
            continue
        holders = [template.node, defaults, spec]
        token = _first(holders, "automountServiceAccountToken")
        anchor: YNode | None = token
        if token is None and default_off:
            anchor = _spec_anchor(manifest)
        elif not (isinstance(token, YScalar) and token.value is False):
            continue
        if anchor is None or _names_account(_first(holders, "executor", "serviceAccountName")):
            continue
        if _controller_executor(ctx):
            continue
        entry = failing.setdefault(id(anchor), (anchor, []))
        entry[1].append(f"`{template.name or '(inline)'}`")
    for token, names in failing.values():  # token: the `false`, or `spec` for defaults
        shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        yield ctx.finding(
            token,
            "`automountServiceAccountToken: false`"
            + (
                " (the controller's `workflowDefaults`)"
                if not isinstance(token, YScalar) or token.value is not False
                else ""
            )
            + " with no `executor.serviceAccountName`: "
            f"Argo refuses to create the pods of template{'s' if len(names) > 1 else ''} "
            f'{shown} ("executor.serviceAccountName must not be empty if '
            'automountServiceAccountToken is false"), as its executor needs a token'
            + ("" if certain else ", unless the submitting workflow sets `executor`"),
            suggestion="add `executor: {serviceAccountName: <account>}` beside it (the "
            "executor's account, bound to `workflowtaskresults` create/patch)",
            severity=None if certain else Severity.WARNING,
        )
