"""Benchmark catalogs (CIS, NSA/CISA, PSS, MITRE, SOC 2, PCI DSS, NIST, HIPAA, GDPR) as data that point at rule ids."""
