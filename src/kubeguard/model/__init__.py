"""The vocabulary of kubeguard: objects, pod-spec views, inventory, findings, settings.  No I/O."""

from .cloud import ClusterFacts
from .collection import CollectionReport, InputIssue
from .findings import Finding, NotEvaluated, Severity, Status, Suppression, Violation
from .inventory import ClusterInventory, Inventory
from .objects import K8sObject, ObjectRef, Path, Source, get_path, parse_path, render_path
from .podspec import ContainerView, PodSpecView, pod_specs
from .selectors import map_selector_matches, selector_matches

__all__ = [
    "ClusterFacts", "ClusterInventory", "CollectionReport", "ContainerView", "Finding", "InputIssue",
    "Inventory", "K8sObject", "NotEvaluated", "ObjectRef", "Path", "PodSpecView", "Severity", "Source", "Status",
    "Suppression", "Violation", "get_path", "map_selector_matches", "parse_path", "pod_specs",
    "render_path", "selector_matches",
]
