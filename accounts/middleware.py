import time

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from core.cache import cache_reachable


class PrivateCacheMiddleware:
    """Pages for a signed-in person are theirs alone: no shared cache may keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            patch_cache_control(response, private=True, no_store=True)
        return response


#: The session key holding when the session was last saved (seconds since the epoch).
SESSION_TOUCHED = "fieldgate_touched"


class IdleSessionMiddleware:
    """The idle timeout: a request from someone signed in pushes the session's expiry on, saving
    the session when it was last saved more than SESSION_TOUCH_SECONDS ago (Django's
    SESSION_SAVE_EVERY_REQUEST would write it to the store on every page). Sits just after
    SessionMiddleware, so SessionMiddleware saves what this marks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.accessed or session.is_empty() or "_auth_user_id" not in session:
            return response
        now = int(time.time())
        if session.modified or now - session.get(SESSION_TOUCHED, 0) >= settings.SESSION_TOUCH_SECONDS:
            session[SESSION_TOUCHED] = now
        return response


#: The sign-in forms (allauth's and the admin's), whose failed attempts are counted in the cache.
SIGN_IN_PATHS = ("/accounts/", "/admin/login/")
#: Posts there that need no counting and must work whatever the cache: signing out.
SIGN_IN_EXEMPT = ("/accounts/logout/",)


class SignInPausedMiddleware:
    """When the cache (Redis) does not answer, failed sign-ins cannot be counted: a post to a
    sign-in form is then refused at once, with a page that says why (503, Retry-After), rather
    than let unlimited tries through or answer 429 after a wait. People already signed in carry
    on: their sessions are in the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "POST"
            and request.path.startswith(SIGN_IN_PATHS)
            and not request.path.startswith(SIGN_IN_EXEMPT)
            and not cache_reachable()
        ):
            from accounts.adapters import SIGN_IN_PAUSED

            response = render(request, "account/sign_in_paused.html", {"message": SIGN_IN_PAUSED}, status=503)
            response["Retry-After"] = "60"
            return response
        return self.get_response(request)
