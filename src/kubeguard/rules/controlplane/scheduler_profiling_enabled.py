"""Scheduler exposes profiling endpoints.

## What it checks
kube-scheduler's `--profiling` in the kube-scheduler static pod in kube-system (a
manifest from /etc/kubernetes/manifests, or the mirror Pod a live cluster returns); it
defaults to `true`, so an absent flag fails. With `--config`, the scheduler ignores
`--profiling` and reads `enableProfiling` from that KubeSchedulerConfiguration file
(default true), which the scan cannot read: UNKNOWN.

## Why it matters
The pprof endpoints reveal goroutine stacks, heap contents and timing; they are
reachable by anyone authorized for the `/debug/pprof` non-resource URL and cost CPU when
hit.

## Failing example
```yaml
command:
  - kube-scheduler
  - --profiling=true
```

## Passing example
```yaml
command:
  - kube-scheduler
  - --profiling=false
```

## Exceptions and known false positives/negatives
Managed control planes (EKS, AKS, GKE) expose no such Pod; the rule does not apply there
and the provider's own settings are checked by the cloud rules.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import NotEvaluated, Violation
from kubeguard.rules._helpers.flags import KUBE_SCHEDULER
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import Instance, component_rule, require_bool

META = RuleMeta(
    code="CP038",
    slug="scheduler-profiling-enabled",
    title="Scheduler exposes profiling endpoints",
    severity="low",
    category="controlplane",
    tags=("cis-k8s:1.4.1",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "Profiling endpoints leak internal state and give an extra, rarely audited surface for denial "
        "of service."
    ),
    remediation="Set --profiling=false on kube-scheduler.",
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-scheduler/",
        "https://www.cisecurity.org/benchmark/kubernetes",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0151",), "trivy": ("KCV-0040",), "checkov": ("CKV_K8S_114",)},
)


_profiling_off = require_bool("profiling", False)


def check(inst: Instance, ctx) -> Iterator[Violation]:
    cfg = inst.flags["config"]
    if cfg.is_set:
        raise NotEvaluated(f"kube-scheduler ignores --profiling with {cfg.shown()}; profiling is that file's "
                           "enableProfiling (default true), which needs node access")
    yield from _profiling_off(inst, ctx)


applies, evaluate = component_rule(KUBE_SCHEDULER, check)
