"""Pod is not running and ready.

## What it checks
The status of every Pod where status was collected (live clusters, snapshots, `kubectl get -o
yaml` dumps): phase `Pending` (with the scheduler's reason when it could not place the pod),
`Failed` (evicted, or a pod that is not a Job's), `Unknown` (its node stopped reporting), or
`Running` while the `Ready` condition is not `True` (failing readiness probe or readiness gate).
Completed pods (`Succeeded`), failed pods of Jobs (the Job's own history) and pods being
deleted are skipped.  Manifests carry no status: the rule is NOT_APPLICABLE there.

## Why it matters
A pod that is not ready receives no Service traffic: its replicas' share of the load falls on
the others, disruption budgets count it as unavailable, and an unschedulable or evicted pod
usually points at node pressure or a capacity problem.

## Failing example
```yaml
status:
  phase: Running
  conditions:
    - {type: Ready, status: "False", reason: ContainersNotReady}
```

## Passing example
```yaml
status:
  phase: Running
  conditions:
    - {type: Ready, status: "True"}
```

## Remediation
Describe the pod (`kubectl describe pod`): fix the failing readiness probe, the scheduling
constraint (resources, taints, affinity, volume zone) or the node problem named in the
finding, and delete evicted pods once their cause is fixed.

## Exceptions and known false positives/negatives
A pod that was starting or being rolled out at collection time is reported; rescan to
confirm.  Static and DaemonSet pods on a cordoned node are reported like any other.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, K8sObject, Violation
from kubeguard.rules._helpers.status import described, has_status, status_applies
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL039",
    slug="pod-not-ready",
    title="Pod is not running and ready",
    severity="medium",
    category="reliability",
    target="cluster",
    requires=("Pod",),
    rationale=(
        "A pod that is pending, failed or not ready gets no traffic; its load falls on the other replicas and it "
        "often points at node pressure, capacity or a failing probe."
    ),
    remediation=(
        "Describe the pod and fix the failing readiness probe, the scheduling constraint or the node problem the "
        "finding names; delete evicted pods once the cause is fixed."
    ),
    references=("https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-phase",
                "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-conditions"),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"popeye": ("POP-204", "POP-207")},
)

applies = status_applies("Pod")


def _condition(pod: K8sObject, kind: str) -> tuple[int, dict] | None:
    conds = pod.get("status", "conditions")
    for i, c in enumerate(conds if isinstance(conds, list) else []):
        if isinstance(c, dict) and c.get("type") == kind:
            return i, c
    return None


def _job_pod(pod: K8sObject) -> bool:
    return any(r.get("kind") == "Job" for r in pod.owner_references)


def _waiting(pod: K8sObject) -> list[str]:
    out = []
    for field in ("initContainerStatuses", "containerStatuses"):
        statuses = pod.get("status", field)
        for cs in statuses if isinstance(statuses, list) else []:
            w = ((cs.get("state") or {}).get("waiting") or {}) if isinstance(cs, dict) else {}
            if isinstance(w, dict) and w.get("reason") not in (None, "PodInitializing", "ContainerCreating"):
                out.append(f"container {cs.get('name')} waiting ({w['reason']})")
    return out


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    for pod in cluster.of_kind("Pod"):
        if not has_status(pod) or pod.metadata.get("deletionTimestamp"):
            continue
        phase = pod.get("status", "phase")
        reason = pod.get("status", "reason")
        who = described(cluster, pod)
        if phase == "Succeeded" or (phase == "Failed" and _job_pod(pod)):
            continue
        if phase in ("Failed", "Unknown"):
            message = pod.get("status", "message")
            detail = f" ({reason}: {message})" if reason and message else (f" ({reason})" if reason else "")
            yield Violation(f"{who} is in phase {phase}{detail}", ("status", "phase"), obj=pod,
                            evidence={"phase": phase, "reason": reason})
            continue
        if phase == "Pending":
            sched = _condition(pod, "PodScheduled")
            if sched and sched[1].get("status") == "False":
                yield Violation(f"{who} is Pending: not scheduled ({sched[1].get('reason')}: "
                                f"{sched[1].get('message', '')})", ("status", "conditions", sched[0], "status"), obj=pod,
                                evidence={"phase": phase, "reason": sched[1].get("reason")})
            else:
                waits = _waiting(pod)
                yield Violation(f"{who} is Pending" + (f": {'; '.join(waits)}" if waits else ""), ("status", "phase"),
                                obj=pod, evidence={"phase": phase, "waiting": waits})
            continue
        ready = _condition(pod, "Ready")
        if phase == "Running" and ready is not None and ready[1].get("status") != "True":
            why = ready[1].get("reason") or "not ready"
            yield Violation(f"{who} is Running but not Ready ({why})", ("status", "conditions", ready[0], "status"),
                            obj=pod, evidence={"phase": phase, "reason": why})
