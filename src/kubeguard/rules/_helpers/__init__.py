"""Shared predicates for rules."""
