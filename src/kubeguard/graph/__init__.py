"""Graphs derived from an inventory: RBAC permissions, network reachability, attack paths."""
