"""Images and supply chain: tags, digests, registries, pull policy, pull secrets, known-vulnerable versions."""
