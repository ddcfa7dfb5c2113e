"""How often the API may be asked: each person (whichever of their tokens they send) up to the
"user" rate, and each address sending no token (the code lists and the description) up to the
"anon" rate (settings REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]). Past it: 429 with Retry-After.

Counts are kept in the cache. Should Redis be away, the cache answers as empty (core.cache), so
requests go through uncounted: the API keeps answering, as the pages do.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _LiveRate:
    def get_rate(self):
        # Read now, not when DRF was imported, so a changed setting (and a test's) takes effect.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class PersonRateThrottle(_LiveRate, UserRateThrottle):
    def get_cache_key(self, request, view):
        if request.user is None or not request.user.is_authenticated:
            return None  # no token: the per-address rate alone (DRF's would count the address here too)
        return super().get_cache_key(request, view)


class AddressRateThrottle(_LiveRate, AnonRateThrottle):
    pass
