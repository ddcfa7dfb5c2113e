"""The models of partnerships (app_label "partnerships"), kept in its sub-domains and imported here
only so that Django registers them: import a model from its sub-domain, never from here."""

from partnerships.organisations import models as organisations  # noqa: F401
from partnerships.programmes import models as programmes  # noqa: F401
from partnerships.recoupment import models as recoupment  # noqa: F401
