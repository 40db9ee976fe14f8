"""Control-plane rules (CP): kube-apiserver, controller manager, scheduler and etcd flags (CIS 1.2-1.4, 2, 3.2)."""
