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

    def pre_authenticate(self, request, **credentials):
        """Failed sign-ins are counted in the cache (allauth's rate limits). When it cannot count,
        signing in fails closed, saying why, rather than letting unlimited tries through; people
        already signed in carry on (their sessions are in the database)."""
        if not cache_reachable():
            raise forms.ValidationError(SIGN_IN_PAUSED)
        super().pre_authenticate(request, **credentials)
