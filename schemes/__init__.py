"""Schemes: sites and landowner talks, schemes and their stages (stages.py), HA matching, tenders,
leases and the buy-back option, milestones; costs/ cost entries and timesheet imports;
allocations/ applicants, the ranking and nomination lists. Above clts and
partnerships.organisations; below recoupment, programmes and home."""
