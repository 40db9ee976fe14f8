"""Namespaces and tenancy: default and system namespaces, quotas, limit ranges, Pod Security labels."""
