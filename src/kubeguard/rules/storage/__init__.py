"""Storage and data: encryption at rest, volume claims, host-path volumes, scratch space."""
