"""Allocation policies (who a CLT's homes are for, as the s106 and the nomination agreement fix
it): versions, tiers and need bands, and the eligibility check (eligibility.py) that the ranking in
schemes.allocations is built on."""
