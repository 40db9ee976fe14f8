"""Workload hardening: pod and container security settings, host access."""
