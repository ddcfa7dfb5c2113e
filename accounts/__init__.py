"""The first floor, on core: people, the Umbrella tenant, memberships and invitations, the Access
object built once per request, the role rules (rules.py), the change history (records.py) and
TenantView, the base of every page under /u/<umbrella_slug>/ (views_base.py). It imports no other
app: the CLT or HA a membership is scoped to is reached through its foreign keys."""
