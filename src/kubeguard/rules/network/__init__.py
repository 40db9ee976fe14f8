"""Network rules (NW): NetworkPolicy gaps from the reachability graph, exposure, CNI enforcement, Ingress."""
