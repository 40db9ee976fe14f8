"""Container is crash-looping, cannot start, or keeps restarting.

## What it checks
The status of every Pod where status was collected (live clusters, snapshots, `kubectl get -o
yaml` dumps): each init, app and ephemeral container that is waiting for a reason that means
it cannot run (`CrashLoopBackOff`; the image errors `ImagePullBackOff`, `ErrImagePull`,
`InvalidImageName`, `ErrImageNeverPull`, `ImageInspectError`, `RegistryUnavailable`,
`SignatureValidationFailed`; the start errors `CreateContainerConfigError`,
`CreateContainerError`, `PreCreateHookError`, `PreStartHookError`, `PostStartHookError`,
`RunContainerError`: the kubelet's reasons), or that has restarted at least `max_restarts` times (the message adds
the last termination reason, such as `OOMKilled`).  Manifests carry no status: the rule is
NOT_APPLICABLE there.

## Why it matters
A crash-looping container serves nothing and hides its cause in the restart history: missing
configuration, an image that cannot be pulled (renamed, deleted, or never signed), memory
limits it exceeds.  Repeated restarts also wipe in-memory state and can mask an intruder who
crashes a process to reload it.

## Failing example
```yaml
status:
  containerStatuses:
    - name: web
      restartCount: 42
      state: {waiting: {reason: CrashLoopBackOff}}
      lastState: {terminated: {reason: OOMKilled, exitCode: 137}}
```

## Passing example
```yaml
status:
  containerStatuses:
    - name: web
      restartCount: 0
      ready: true
      state: {running: {startedAt: "2026-11-30T08:00:00Z"}}
```

## Remediation
Read the container's previous logs (`kubectl logs --previous`) and events; fix the image
reference, pull secret, configuration or resource limits that make it fail.

## Exceptions and known false positives/negatives
Restart counts accumulate over a pod's life: an old pod that restarted during a past outage
keeps its count until it is replaced.  The status is a snapshot of collection time.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._helpers.status import described, has_status, status_applies
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="RL038",
    slug="container-restarting",
    title="Container is crash-looping, cannot start, or keeps restarting",
    severity="medium",
    category="reliability",
    target="cluster",
    requires=("Pod",),
    rationale=(
        "A container that crash-loops or cannot pull its image serves nothing; restarts also hide their cause "
        "(configuration, memory limits, a vanished image)."
    ),
    remediation=(
        "Read the previous logs (kubectl logs --previous) and the pod's events, then fix the image, pull secret, "
        "configuration or resource limits that make the container fail."
    ),
    references=("https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-states",
                "https://kubernetes.io/docs/tasks/debug/debug-application/debug-pods/"),
    params=(Param(name="max_restarts", type="int", default=5,
                  description="Restart count from which a container is reported (Popeye warns on restarts)."),),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"popeye": ("POP-202", "POP-203", "POP-205")},
)

# the kubelet's waiting reasons for a container that cannot run (a starting one waits in ContainerCreating or
# PodInitializing)
BLOCKED = frozenset({"CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull",
                     "ImageInspectError", "RegistryUnavailable", "SignatureValidationFailed",
                     "CreateContainerConfigError", "CreateContainerError", "PreCreateHookError", "PreStartHookError",
                     "PostStartHookError", "RunContainerError"})
_LISTS = ("initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses")

applies = status_applies("Pod")


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    for pod in cluster.of_kind("Pod"):
        if not has_status(pod):
            continue
        who = described(cluster, pod)
        for field in _LISTS:
            statuses = pod.get("status", field)
            for i, cs in enumerate(statuses if isinstance(statuses, list) else []):
                if not isinstance(cs, dict):
                    continue
                name = str(cs.get("name", f"#{i}"))
                waiting = (cs.get("state") or {}).get("waiting") or {}
                reason = waiting.get("reason") if isinstance(waiting, dict) else None
                restarts = cs.get("restartCount") if isinstance(cs.get("restartCount"), int) else 0
                last = ((cs.get("lastState") or {}).get("terminated") or {}).get("reason")
                why = f"; last terminated: {last}" if last else ""
                if reason in BLOCKED:
                    after = f" after {restarts} restarts" if restarts else ""
                    yield Violation(f"{who}: container {name} is waiting in {reason}{after}{why}",
                                    ("status", field, i, "state", "waiting", "reason"), container=name, obj=pod,
                                    evidence={"reason": reason, "restartCount": restarts, "lastTerminated": last})
                elif restarts >= ctx.params.max_restarts:
                    yield Violation(f"{who}: container {name} restarted {restarts} times{why}",
                                    ("status", field, i, "restartCount"), container=name, obj=pod,
                                    evidence={"restartCount": restarts, "lastTerminated": last})
