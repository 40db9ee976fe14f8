"""Node rules (ND): kubelet configuration from configz, KubeletConfiguration files or kubelet flags (CIS 4.2, 4.3)."""
