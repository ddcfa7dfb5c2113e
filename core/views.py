"""Answers that need no app: `/healthz`, and the page for an error on our side.

`/healthz` is the readiness check (docker-compose's web healthcheck asks it). It asks the database
and Redis now and reports each on its own line. Its status follows the database, since every page
needs it. Redis is a cache and a queue: without it, pages are still served (drawn fresh) and only
new documents wait. So Redis down answers 200 with ``status: degraded``, for monitoring to alert on,
and a load balancer does not take every web process out of service for it.

`server_error` is Django's handler500. When what failed is the database going away (a restart,
a failover, the connection cut), the person gets 503 "try again shortly" with Retry-After, not
"something went wrong": the process is fine and its next request reconnects
(`CONN_HEALTH_CHECKS`).
"""

import json
import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.template import loader

from core.cache import cache_reachable

#: Seconds a person (or a client) is asked to wait before trying again when the database is away.
DATABASE_RETRY_AFTER = 5


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        # The next request gets a fresh connection rather than this broken one.
        connection.close_if_unusable_or_obsolete()
        return False


def healthz(request):
    database = _database_answers()
    redis = cache_reachable()
    status = "ok" if database and redis else ("degraded" if database else "down")
    body = {"status": status, "database": "ok" if database else "down", "redis": "ok" if redis else "down"}
    response = HttpResponse(json.dumps(body) + "\n", content_type="application/json", status=200 if database else 503)
    if not database:
        response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response


def database_went_away(error: BaseException | None) -> bool:
    """Whether `error` is the database being unreachable (not a bug in a query)."""
    return isinstance(error, OperationalError | InterfaceError)


#: The API's paths (api/): their errors are JSON, as the API's clients read them.
API_PREFIX = "/api/"


def _json_error(detail: str, status: int) -> HttpResponse:
    return HttpResponse(json.dumps({"detail": detail}) + "\n", content_type="application/json", status=status)


def bad_request(request, exception, template_name="400.html"):
    """handler400 (a request Django refuses before any view, such as an unknown Host): Django's
    own page, or JSON under /api/."""
    if request.path.startswith(API_PREFIX):
        return _json_error("The request is not valid.", 400)
    from django.views.defaults import bad_request as django_bad_request

    return django_bad_request(request, exception, template_name)


def page_not_found(request, exception, template_name="404.html"):
    """handler404 (no URL matched, or a view raised Http404 outside the API's own): Django's page,
    or JSON under /api/."""
    if request.path.startswith(API_PREFIX):
        return _json_error("Not found: there is no such record, or it is not yours to see.", 404)
    from django.views.defaults import page_not_found as django_page_not_found

    return django_page_not_found(request, exception, template_name)


def server_error(request, template_name="500.html"):
    """handler500: 503 with Retry-After when the database went away, else the plain 500 page.
    Drawn from templates alone (no context processors, no database); JSON under /api/."""
    api = request.path.startswith(API_PREFIX)
    if database_went_away(sys.exc_info()[1]):
        if api:
            response = _json_error("The service is restarting: try again in a few seconds.", 503)
        else:
            response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER)
        return response
    if api:
        return _json_error("Something went wrong on our side. It has been logged; try again later.", 500)
    return HttpResponse(loader.get_template(template_name).render(), status=500)
