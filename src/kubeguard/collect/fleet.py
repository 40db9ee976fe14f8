"""A fleet file: several clusters described by their facts and manifest folders.

The bundled demo is one (``kubeguard/demo/fleet.yaml``); users can write their
own to scan several clusters' manifests in one run::

    clusters:
      - name: eks-prod
        provider: eks
        kubernetesVersion: v1.30.4
        facts: {cni: {name: aws-vpc-cni, networkPolicyEnforcement: true}}
        manifests: eks-prod            # folder or file, relative to this file
        cloud: [eks-prod.describe-cluster.json]   # optional: cloud settings (kubeguard.collect.cloud)
"""

from __future__ import annotations

from pathlib import Path as FsPath

import yaml

from ..model.cloud import PROVIDERS, ClusterFacts
from ..model.collection import InputIssue
from .files import ManifestSet, display_path, read_paths

DEMO_FLEET = FsPath(__file__).resolve().parent.parent / "demo" / "fleet.yaml"


def read_fleet(path: FsPath, source: str = "manifests") -> ManifestSet:
    out = ManifestSet()
    shown = display_path(str(path))
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as exc:
        out.report.add(InputIssue(f"cannot read fleet file: {str(exc).splitlines()[0]}", file=shown))
        return out
    clusters = data.get("clusters") if isinstance(data, dict) else None
    if not isinstance(clusters, list) or not clusters:
        out.report.add(InputIssue("fleet file needs a non-empty 'clusters' list", file=shown))
        return out
    for i, c in enumerate(clusters):
        if not isinstance(c, dict) or not isinstance(c.get("name"), str) or not isinstance(c.get("manifests"), str):
            out.report.add(InputIssue(f"clusters[{i}] needs 'name' and 'manifests'", file=shown))
            continue
        provider = str(c.get("provider") or "other")
        if provider not in PROVIDERS:
            out.report.add(InputIssue(f"clusters[{i}]: unknown provider {provider!r}; expected one of "
                                      f"{', '.join(PROVIDERS)}", file=shown))
            continue
        facts = ClusterFacts(name=c["name"], provider=provider, kubernetes_version=c.get("kubernetesVersion"),
                             facts=dict(c.get("facts") or {}), source=source)
        cloud = c.get("cloud") or []
        if cloud:  # cloud settings: files relative to the fleet file (see kubeguard.collect.cloud)
            from .cloud import attach_cloud

            specs = [str(path.parent / f) for f in ([cloud] if isinstance(cloud, str) else cloud)]
            facts = attach_cloud(specs, {facts.name: facts}, out.report).get(facts.name, facts)
        out.clusters[facts.name] = facts
        part = read_paths([str(path.parent / c["manifests"])], facts.name)
        out.objects.extend(part.objects)
        out.texts.update(part.texts)
        out.report.merge(part.report)
    return out
