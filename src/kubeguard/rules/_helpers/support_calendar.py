"""When each managed-Kubernetes minor version stops being supported, per provider.

One small table, checked on 2026-12-01 against the providers' calendars; update it
when a provider publishes a new minor.  Dates are the last supported day.  Checked
against: EKS, the "Kubernetes versions" table (also endoflife.date/amazon-eks);
AKS, the calendar and LTS tables of supported-kubernetes-versions.md as updated
2026-08-05 (MicrosoftDocs/azure-aks-docs: 1.30 and 1.31 ended on announced days,
Aug 22 and Nov 1 2025; 1.33 moved from Jun to Jul 2026; LTS ends Feb 2026 for 1.28
and Apr 2026 for 1.29); GKE, the release schedule's end of standard support and
Regular-channel availability (also endoflife.date/google-kubernetes-engine).

* EKS: https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
  (14 months standard support, then 12 months extended support at extra cost).
* AKS: https://learn.microsoft.com/azure/aks/supported-kubernetes-versions
  (community support about 12 months from AKS GA; long-term support, Premium tier
  with ``supportPlan: AKSLongTermSupport``, one more year).  AKS publishes months,
  so each date is the last day of the announced month.
* GKE: https://cloud.google.com/kubernetes-engine/docs/release-schedule
  (end of standard support; the Extended channel adds support up to 24 months
  after the version reached the Regular channel).
"""

from __future__ import annotations

from datetime import date

SOURCES = {
    "eks": "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html",
    "aks": "https://learn.microsoft.com/azure/aks/supported-kubernetes-versions",
    "gke": "https://cloud.google.com/kubernetes-engine/docs/release-schedule",
}

# minor: (end of standard support, end of extended / long-term support)
CALENDAR: dict[str, dict[str, tuple[date, date]]] = {
    "eks": {
        "1.28": (date(2024, 11, 26), date(2025, 11, 26)),
        "1.29": (date(2025, 3, 23), date(2026, 3, 23)),
        "1.30": (date(2025, 7, 23), date(2026, 7, 23)),
        "1.31": (date(2025, 11, 26), date(2026, 11, 26)),
        "1.32": (date(2026, 3, 23), date(2027, 3, 23)),
        "1.33": (date(2026, 7, 29), date(2027, 7, 29)),
        "1.34": (date(2026, 12, 2), date(2027, 12, 2)),
        "1.35": (date(2027, 3, 27), date(2028, 3, 27)),
    },
    "aks": {
        "1.28": (date(2025, 1, 31), date(2026, 2, 28)),
        "1.29": (date(2025, 3, 31), date(2026, 4, 30)),
        "1.30": (date(2025, 8, 22), date(2026, 7, 31)),
        "1.31": (date(2025, 11, 1), date(2026, 11, 30)),
        "1.32": (date(2026, 3, 31), date(2027, 3, 31)),
        "1.33": (date(2026, 7, 31), date(2027, 7, 31)),
        "1.34": (date(2026, 11, 30), date(2027, 11, 30)),
        "1.35": (date(2027, 3, 31), date(2028, 3, 31)),
        "1.36": (date(2027, 6, 30), date(2028, 6, 30)),
        "1.37": (date(2027, 10, 31), date(2028, 10, 31)),
    },
    "gke": {  # end of standard support; second date: Extended channel (24 months after Regular availability)
        "1.28": (date(2025, 2, 4), date(2025, 12, 4)),
        "1.29": (date(2025, 4, 12), date(2026, 1, 26)),
        "1.30": (date(2025, 9, 30), date(2026, 7, 31)),
        "1.31": (date(2026, 1, 16), date(2026, 10, 25)),
        "1.32": (date(2026, 4, 11), date(2027, 2, 11)),
        "1.33": (date(2026, 8, 3), date(2027, 6, 3)),
        "1.34": (date(2026, 10, 1), date(2027, 9, 30)),
        "1.35": (date(2027, 4, 11), date(2028, 2, 11)),
    },
}


def minor_of(version: str | None) -> str | None:
    """``v1.33.4-gke.1172000`` / ``1.33`` -> ``1.33``."""
    if not isinstance(version, str):
        return None
    parts = version.strip().lstrip("v").split(".")
    if len(parts) < 2 or not parts[0].isdigit():
        return None
    minor = "".join(ch for ch in parts[1] if ch.isdigit())
    return f"{parts[0]}.{minor}" if minor else None


def support(provider: str, version: str | None, as_of: date) -> tuple[str, date | None, date | None]:
    """("standard" | "extended" | "unsupported" | "unknown", end of standard, end of extended) for a version."""
    table = CALENDAR.get(provider, {})
    minor = minor_of(version)
    if minor is None:
        return "unknown", None, None
    if minor not in table:
        newest = max(table, key=lambda m: tuple(int(x) for x in m.split(".")), default=None)
        if newest and tuple(int(x) for x in minor.split(".")) > tuple(int(x) for x in newest.split(".")):
            return "standard", None, None  # newer than the table: released after it was written
        return ("unsupported" if newest else "unknown"), None, None
    std, ext = table[minor]
    if as_of <= std:
        return "standard", std, ext
    if as_of <= ext:
        return "extended", std, ext
    return "unsupported", std, ext
