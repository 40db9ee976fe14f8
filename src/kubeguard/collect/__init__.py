"""Turning the world (files, snapshots, clusters, clouds) into objects and a report of what failed."""
