"""The support calendar against the providers' published dates (support_calendar.py names the sources)."""

from __future__ import annotations

from datetime import date

import pytest

from kubeguard.rules._helpers.support_calendar import support


@pytest.mark.parametrize("provider, version, day, want", [
    # AKS: an announced day (1.30 ended Aug 22 2025, not at the end of July) and month ends otherwise
    ("aks", "1.30.4", date(2025, 8, 22), "standard"),
    ("aks", "1.30.4", date(2025, 8, 23), "extended"),
    ("aks", "1.31.1", date(2025, 11, 2), "extended"),
    ("aks", "1.33.2", date(2026, 7, 31), "standard"),  # moved from Jun to Jul 2026
    ("aks", "1.28", date(2026, 2, 28), "extended"),  # LTS until Feb 2026
    ("aks", "1.29", date(2026, 4, 30), "extended"),  # LTS until Apr 2026
    ("aks", "1.37.0", date(2027, 10, 31), "standard"),
    # EKS: 14 months standard, 12 months extended
    ("eks", "1.33", date(2026, 7, 29), "standard"),
    ("eks", "1.33", date(2026, 7, 30), "extended"),
    ("eks", "1.31", date(2026, 11, 27), "unsupported"),
    # GKE: end of standard support; Extended channel up to 24 months after Regular availability
    ("gke", "1.33.4-gke.1172000", date(2026, 8, 3), "standard"),
    ("gke", "1.33.4-gke.1172000", date(2026, 8, 4), "extended"),
    ("gke", "1.33.4-gke.1172000", date(2027, 6, 4), "unsupported"),
])
def test_published_dates(provider, version, day, want):
    assert support(provider, version, day)[0] == want


def test_hardened_fixtures_on_1_33_are_past_support_on_2026_12_01():
    # the shared hardened AKS (KubernetesOfficial plan) and GKE (Regular channel) clusters run 1.33: neither is
    # entitled to the second date, so both are out of support, as CL011 reports
    day = date(2026, 12, 1)
    assert support("aks", "1.33.2", day)[1] == date(2026, 7, 31)
    assert support("gke", "1.33.4-gke.1172000", day)[1] == date(2026, 8, 3)
    assert support("aks", "1.33.2", day)[0] == support("gke", "1.33.4", day)[0] == "extended"
