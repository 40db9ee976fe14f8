"""Untrusted workload runs without a sandboxed runtime.

## What it checks
Pod specs that run untrusted code must select a sandboxed RuntimeClass.  Untrusted are the
pod templates of Agent Sandbox objects (`agents.x-k8s.io` Sandbox, `extensions.agents.x-k8s.io`
SandboxTemplate: AI agents executing generated code) and every workload in the namespaces
listed in `untrusted_namespaces`.  The RuntimeClass is sandboxed when its `handler` matches
`sandbox_runtimes` (gVisor `runsc`, GKE Sandbox `gvisor`, Kata Containers `kata*`,
Firecracker); when the RuntimeClass is not in the input its name is matched instead.

## Why it matters
Ordinary containers share the node's kernel: one kernel exploit from code the operator did
not write (an agent's tool call, a customer's job, a CI build of a pull request) owns the node
and every pod on it.  A user-space kernel (gVisor) or a micro-VM (Kata) puts a second
boundary in front of the host.

## Failing example
```yaml
apiVersion: agents.x-k8s.io/v1alpha1
kind: Sandbox
spec:
  podTemplate:
    spec:
      containers: [{name: agent, image: agent:1}]      # no runtimeClassName
```

## Passing example
```yaml
apiVersion: agents.x-k8s.io/v1alpha1
kind: Sandbox
spec:
  podTemplate:
    spec:
      runtimeClassName: gvisor
      containers: [{name: agent, image: agent:1}]
```

## Remediation
Install a sandboxed runtime on a dedicated node pool (GKE Sandbox, AKS pod sandboxing, Kata
Containers, gVisor), create its RuntimeClass and set `runtimeClassName` on the untrusted pods.

## Exceptions and known false positives/negatives
EKS Fargate isolates each pod in its own micro-VM without a RuntimeClass (Kubescape C-0233);
that is decided by Fargate profiles, not by the objects, so such pods in
`untrusted_namespaces` are reported.  A RuntimeClass named like a sandbox but pointing at
`runc` fails, because the handler decides.

## Differences from Kubescape
C-0297 fails an Agent Sandbox `Sandbox` or `SandboxTemplate` whose `runtimeClassName` is not in
its `agentRuntimeClassAllowList` setting, and checks nothing while that list is empty (the
default); here the RuntimeClass's handler decides, with no list to maintain.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.runtimeclass import SANDBOX_PATTERNS, is_sandboxed, runtime_class_of
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="WL041",
    slug="untrusted-workload-not-sandboxed",
    title="Untrusted workload runs without a sandboxed runtime",
    severity="high",
    category="workload",
    tags=("mitre:T1611",),
    target="workload",
    rationale=(
        "Containers share the node's kernel; code you did not write (AI agents, customer jobs, CI builds) needs "
        "a second boundary such as gVisor or Kata so one kernel exploit does not own the node."
    ),
    remediation=(
        "Run untrusted pods with runtimeClassName set to a sandboxed RuntimeClass (gVisor, Kata Containers, GKE "
        "Sandbox, AKS pod sandboxing) on nodes that provide it."
    ),
    references=("https://kubernetes.io/docs/concepts/containers/runtime-class/",
                "https://cloud.google.com/kubernetes-engine/docs/concepts/sandbox-pods",
                "https://learn.microsoft.com/azure/aks/use-pod-sandboxing",
                "https://github.com/kubernetes-sigs/agent-sandbox"),
    params=(
        Param(name="untrusted_namespaces", type="list[str]", default=[],
              description="Namespaces whose workloads all run untrusted code (multi-tenant jobs, CI runners)."),
        Param(name="sandbox_runtimes", type="list[regex]", default=list(SANDBOX_PATTERNS),
              description="Patterns for RuntimeClass handlers (or names, when the class is not in the input) "
                          "that sandbox pods."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0297", "C-0249", "C-0242")},
)

AGENT_SANDBOX_GROUPS = frozenset({"agents.x-k8s.io", "extensions.agents.x-k8s.io"})


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    agent = pod.obj.group in AGENT_SANDBOX_GROUPS
    if not agent and pod.namespace not in ctx.params.untrusted_namespaces:
        return
    ref = runtime_class_of(pod, ctx.cluster)
    if is_sandboxed(ref, ctx.params.sandbox_runtimes):
        return
    why = f"Agent Sandbox {pod.kind}" if agent else f"workload in untrusted namespace {pod.namespace}"
    if ref.name is None:
        yield Violation(f"{why} sets no runtimeClassName: it runs on the node's kernel",
                        pod.path("runtimeClassName"))
        return
    what = f"RuntimeClass {ref.name!r}" + (f" (handler {ref.handler!r})" if ref.obj is not None else "")
    yield Violation(f"{why} uses {what}, which is not a sandboxed runtime", pod.path("runtimeClassName"),
                    related=(ref.obj.ref,) if ref.obj is not None else ())
