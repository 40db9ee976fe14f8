"""The rule library: one file per rule under ``rules/<domain>/``; see ``_registry``."""
