"""Container entrypoint runs sudo.

## What it checks
The `command` and `args` of every container, init container and ephemeral
container for a `sudo` invocation: an element that is `sudo`, or a shell
string that runs `sudo` (at its start or after `;`, `&&`, `|`, `(` or a space), by name
or by path (`/usr/bin/sudo`).

## Why it matters
`sudo` in the entrypoint means the image carries a setuid root binary and a
sudoers policy that lets the application user become root: any code execution
in the container is root, whatever `runAsUser` says (unless privilege
escalation is disabled, which then breaks the entrypoint).

## Failing example
```yaml
command: ["sh", "-c", "sudo /usr/sbin/nginx -g 'daemon off;'"]
```

## Passing example
```yaml
command: ["/usr/sbin/nginx", "-g", "daemon off;"]
```

## Exceptions
None known; do the privileged step at build time or in an init container.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL038",
    slug="sudo-in-command",
    title="Container entrypoint runs sudo",
    severity="medium",
    category="workload",
    tags=("mitre:T1548.003",),
    target="workload",
    rationale=(
        "sudo in the entrypoint means a setuid root binary and a sudoers rule for the application user: any code "
        "execution in the container becomes root."
    ),
    remediation="Remove sudo from command and args; run privileged set-up at build time or in an init container.",
    references=("https://hub.armosec.io/docs/c-0062",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0062",)},
)

_SUDO = re.compile(r"(?:^|[\s;&|(`]|/(?:usr/)?(?:local/)?s?bin/)sudo(?:\s|$)")


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    for c in pod.all_containers():
        for field in ("command", "args"):
            items = c.raw.get(field)
            if not isinstance(items, list):
                continue
            for i, item in enumerate(items):
                if isinstance(item, str) and "sudo" in item and _SUDO.search(item):
                    yield Violation(f"container {c.name!r} runs sudo in {field}[{i}]", c.path(field, i),
                                    container=c.name)
