from allauth.account.adapter import DefaultAccountAdapter
from django import forms

from core.cache import cache_reachable

#: Said on the sign-in form while failed attempts cannot be counted (Redis is away).
SIGN_IN_PAUSED = (
    "Signing in is paused for a moment while we cannot count failed attempts. "
    "Nothing is wrong with your account: please try again in a minute."
)


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: people join an umbrella by an admin's invitation."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def get_client_ip(self, request) -> str:
        """The address failed sign-ins are counted against: behind the deployment's reverse proxy
        (ALLAUTH_TRUSTED_PROXY_COUNT of them, each appending to X-Forwarded-For) the client's,
        not the proxy's, so one person's bad tries never lock everyone out. A request with fewer
        hops than that did not come through them all: its peer is the client."""
        from django.core.exceptions import ImproperlyConfigured

        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            return request.META["REMOTE_ADDR"]

    def pre_authenticate(self, request, **credentials):
        """Failed sign-ins are counted in the cache (allauth's rate limits). When it cannot count,
        signing in fails closed, saying why, rather than letting unlimited tries through; people
        already signed in carry on (their sessions are in the database)."""
        if not cache_reachable():
            raise forms.ValidationError(SIGN_IN_PAUSED)
        super().pre_authenticate(request, **credentials)
