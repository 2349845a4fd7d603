"""missing-resource-limits (opt-in): containers without CPU and memory limits."""

from __future__ import annotations

from collections.abc import Iterator

from argolint.analysis.pods import find, pods_of
from argolint.context import Context
from argolint.finding import Finding
from argolint.rules import rule
from argolint.source.loader import ARGO_KINDS


@rule(
    "missing-resource-limits",
    category="security",
    severity="warning",
    summary="A container has no CPU or memory limit; one step can starve its node.",
    kinds=ARGO_KINDS,
    options={"resources": ["cpu", "memory"]},
    default_enabled=False,
)
def check(ctx: Context) -> Iterator[Finding]:
    wanted = [str(r) for r in ctx.option("resources") or ()]
    for pod in ctx.analysis(pods_of).pods:
        if not pod.user_containers:
            continue
        for container in pod.containers:
            missing = [
                r for r in wanted if find(container.layers, "resources", "limits", r) is None
            ]
            if missing:
                names = " and ".join(f"`{r}`" for r in missing)
                example = ", ".join(f"{r}: <limit>" for r in missing)
                yield ctx.finding(
                    container.placement.span(container.anchor),
                    f"the {container.describe} has no {names} limit: one run can starve "
                    "every other pod on its node",
                    suggestion=f"add `resources: {{limits: {{{example}}}}}` to it",
                )
