"""Selection, evaluation, statuses and exemptions; produces a ScanResult."""
