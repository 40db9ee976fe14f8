"""Resources and reliability: requests and limits, probes, replicas, disruption budgets, autoscalers."""
