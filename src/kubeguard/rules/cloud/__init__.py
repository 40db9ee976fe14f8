"""Cloud cluster settings (EKS, AKS, GKE): one rule per concern, each evaluating every provider it can."""
