"""Cost entries: staff time at the role's dated rate and expenses, against a scheme or a CLT before
it has one, and timesheet imports. Staff only."""
