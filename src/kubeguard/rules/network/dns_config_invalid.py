"""Pod DNS configuration is rejected by the API server or lacks required options.

## What it checks
Every pod spec's `dnsPolicy` and `dnsConfig` against the API server's validation:
`dnsPolicy` is one of `ClusterFirst`, `ClusterFirstWithHostNet`, `Default` or `None` (an empty
or absent value is defaulted to `ClusterFirst`); `None` needs a `dnsConfig` with at least one
nameserver; at most 3 nameservers, each an IP address; at most 32 search domains, together at
most 2048 characters, each a lower-case DNS subdomain (a trailing dot, underscores and a lone
`.` are accepted, as the API server does since 1.33); every option has a name.  With
`required_options` (for example `{ndots: "2"}`, kube-linter's `dnsconfig-options`), every pod
must also set each option to that value.

## Why it matters
A pod spec the API server rejects never runs: the controller retries for ever and the
workload stays down.  Required resolver options are how a platform team limits the cluster
DNS load of the default `ndots:5` search expansion and keeps lookups of external names from
leaking through every search domain.

## Failing example
```yaml
spec:
  dnsPolicy: None
  dnsConfig:
    searches: [svc.cluster.local]          # no nameservers
    options: [{value: "2"}]                # option without a name
```

## Passing example
```yaml
spec:
  dnsPolicy: None
  dnsConfig:
    nameservers: [10.96.0.10]
    searches: [shop.svc.cluster.local, svc.cluster.local]
    options: [{name: ndots, value: "2"}]
```

## Remediation
Fix the field named in the finding; with `dnsPolicy: None` give the nameservers (the cluster
DNS Service IP for in-cluster names).  Add the required options under `dnsConfig.options`.

## Exceptions and known false positives/negatives
Releases before 1.33 also reject underscores and a lone `.` in search domains; those pass here.

## Differences from kube-linter
`dnsconfig-options` requires `ndots: 2` on every workload; here that is opt-in through
`required_options`, since the default resolver configuration is valid.  kube-linter does not
report a DNS configuration the API server rejects.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="NW020",
    slug="dns-config-invalid",
    title="Pod DNS configuration is rejected by the API server or lacks required options",
    severity="low",
    category="network",
    target="workload",
    rationale=(
        "A DNS configuration the API server rejects keeps the workload from running; required resolver options "
        "(ndots) limit DNS load and search-domain leaks of external lookups."
    ),
    remediation=(
        "Fix the dnsPolicy or dnsConfig field named in the finding (dnsPolicy None needs nameservers) and add the "
        "required options under dnsConfig.options."
    ),
    references=("https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#pod-dns-config",),
    params=(Param(name="required_options", type="dict[str,str]", default={},
                  description="Resolver options every pod must set, name to value (kube-linter: {ndots: \"2\"})."),),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kube-linter": ("dnsconfig-options",)},
)

POLICIES = ("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None")
MAX_NAMESERVERS, MAX_SEARCHES, MAX_SEARCH_CHARS = 3, 32, 2048
# a DNS-1123 subdomain whose labels may also hold underscores (RelaxedDNSSearchValidation, on by default
# from 1.33): what the API server accepts for a search domain once a trailing dot is dropped
_LABEL = r"_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?"
_SEARCH = re.compile(rf"^{_LABEL}(\.{_LABEL})*$")


def _ip(text: object) -> bool:
    if not isinstance(text, str) or "%" in text:  # Go's ParseIP takes no IPv6 zone
        return False
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False


def _search_ok(text: object) -> bool:
    if not isinstance(text, str):
        return False
    if text == ".":
        return True
    name = text[:-1] if text.endswith(".") else text
    return 0 < len(name) <= 253 and _SEARCH.match(name) is not None


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    policy = pod.spec.get("dnsPolicy") or "ClusterFirst"  # the API server defaults "" and null
    cfg = pod.spec.get("dnsConfig")
    cfg = cfg if isinstance(cfg, dict) else None
    if policy not in POLICIES:
        yield Violation(f"dnsPolicy {policy!r} is not one of {', '.join(POLICIES)}", pod.path("dnsPolicy"))
    servers = (cfg or {}).get("nameservers") or []
    searches = (cfg or {}).get("searches") or []
    options = (cfg or {}).get("options") or []
    if policy == "None" and not servers:
        where = pod.path("dnsConfig", "nameservers") if cfg is not None else pod.path("dnsConfig")
        yield Violation("dnsPolicy None needs dnsConfig with at least one nameserver: the API server rejects the pod",
                        where)
    if len(servers) > MAX_NAMESERVERS:
        yield Violation(f"{len(servers)} nameservers: the API server allows at most {MAX_NAMESERVERS}",
                        pod.path("dnsConfig", "nameservers"))
    for i, s in enumerate(servers):
        if not _ip(s):
            yield Violation(f"nameserver {s!r} is not an IP address", pod.path("dnsConfig", "nameservers", i))
    if len(searches) > MAX_SEARCHES:
        yield Violation(f"{len(searches)} search domains: the API server allows at most {MAX_SEARCHES}",
                        pod.path("dnsConfig", "searches"))
    for i, d in enumerate(searches):
        if not _search_ok(d):
            yield Violation(f"search domain {d!r} is not a lower-case DNS subdomain: the API server rejects the pod",
                            pod.path("dnsConfig", "searches", i))
    joined = " ".join(str(s) for s in searches)
    if len(joined) > MAX_SEARCH_CHARS:
        yield Violation(f"search domains take {len(joined)} characters: the API server allows {MAX_SEARCH_CHARS}",
                        pod.path("dnsConfig", "searches"))
    present: dict[str, str | None] = {}
    for i, o in enumerate(options):
        if not isinstance(o, dict) or not o.get("name"):
            yield Violation("dnsConfig option without a name: the API server rejects the pod",
                            pod.path("dnsConfig", "options", i))
            continue
        present[str(o["name"])] = None if o.get("value") is None else str(o["value"])
    for name, value in ctx.params.required_options.items():
        if present.get(name, "\0") != value:
            have = f" (set to {present[name]!r})" if name in present else ""
            yield Violation(f"dnsConfig option {name}:{value} is required{have}", pod.path("dnsConfig", "options"))
