"""A scheme's capital funding (issue 16.2): grants such as Homes England's, and s106 sums, each
paid in tranches on milestones, with the claims made and paid."""
