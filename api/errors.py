"""Every error the API gives is JSON: `{"detail": "<what is wrong, in plain words>"}`, and for a
malformed query also `"errors": {"<parameter>": ["<message>"]}`.

401: no token, or one that does not work here; 403: a token whose person's role may not use
the API or this part of it; 404: no such record, or not theirs to see (the same answer, so ids
cannot be probed); 400: a malformed query; 405: anything but reading; 429: too many requests
(api/throttling.py), with Retry-After.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

NOT_FOUND = "Not found: there is no such record, or it is not yours to see."
FORBIDDEN = "Your role in this umbrella does not allow this."
NO_TOKEN = "Send your API token as “Authorization: Bearer <token>”. Make one on your profile page."
ONLY_READING = "The API only reads: use GET."
BAD_QUERY = "The query is not valid: see errors."


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(NOT_FOUND)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or FORBIDDEN)
    elif isinstance(exc, exceptions.NotAuthenticated):
        header = getattr(exc, "auth_header", None)  # WWW-Authenticate, set by the view
        exc = exceptions.NotAuthenticated(NO_TOKEN)
        exc.auth_header = header
    elif isinstance(exc, exceptions.MethodNotAllowed):
        exc = exceptions.MethodNotAllowed(context["request"].method, ONLY_READING)
    elif isinstance(exc, exceptions.Throttled):
        wait = max(1, int(exc.wait or 1))
        exc = exceptions.Throttled(detail=f"Too many requests: wait {wait} seconds, then try again.")
        exc.wait = wait  # for Retry-After (given to the constructor, DRF would add its own words)
    elif isinstance(exc, exceptions.NotAcceptable):
        exc = exceptions.NotAcceptable("The API answers in JSON only: accept application/json.")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": BAD_QUERY, "errors": _as_dict(response.data)}
    elif not isinstance(response.data, dict) or set(response.data) != {"detail"}:
        response.data = {"detail": str(getattr(exc, "detail", exc))}
    return response


def _as_dict(data) -> dict:
    if isinstance(data, dict):
        return {key: [str(m) for m in (value if isinstance(value, list) else [value])] for key, value in data.items()}
    return {"query": [str(m) for m in (data if isinstance(data, list) else [data])]}


@csrf_exempt  # a POST to no such path is told so, not refused for want of a CSRF token
def not_found(request, *args, **kwargs):
    """Any other path under /api/v1/: a JSON 404, like the API's own."""
    return JsonResponse(
        {"detail": "No such API path. The paths are listed at /api/v1/schema/."}, status=status.HTTP_404_NOT_FOUND
    )
