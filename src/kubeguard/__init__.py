"""kubeguard: Kubernetes security posture across clusters and clouds."""

from ._version import __version__

__all__ = ["__version__"]
