"""The 125 years after "Live" (issue 15): the ground rent the HA pays the CLT under the lease, as a
ledger with arrears flagged, and the lease's covenants as checks with due dates and evidence."""
