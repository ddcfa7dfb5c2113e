"""Community land trusts: the CLT, its parishes, people and board, AGMs, advice given and revenue
grants; needs/ the parish housing needs surveys; allocations/ the allocation policies and the
eligibility check. Above accounts and partnerships.organisations; below schemes."""
