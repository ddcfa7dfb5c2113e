"""The base of every API view (the API's TenantView): the umbrella from the URL's slug, the
person from their token, and the access object built from their memberships, exactly as for
their pages; then the view's rule. Views reach data only through the apps' selectors, with
`self.access`.

- The token is for one umbrella: under another's slug it does not work (401), whether or not
  the person belongs there too.
- The person's membership ended: 401 (the token went with it).
- Staff of an umbrella that asks for two-factor, without it set up: 403, as their pages send
  them to set it up.
- A role that may not use the API (a CLT volunteer), or not this part: 403.
"""

from django.core.exceptions import ImproperlyConfigured
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import Access
from accounts.rules import can
from accounts.selectors import api_token_access, user_has_totp
from accounts.services import api_token_mark_used
from api.authentication import NOT_A_TOKEN

NOT_THIS_UMBRELLA = "That token is for another umbrella: make one for this umbrella on your profile page."
MFA_FIRST = "This umbrella asks its admins and staff to use two-factor authentication: set it up first."


class TenantAPIView(APIView):
    #: HTTP method -> rule name (accounts.rules.RULES). Reading only.
    permissions: dict[str, str] = {}
    access: Access
    http_method_names = ["get", "head"]  # so Allow says so; anything else answers 405 in JSON

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authenticates: no token answers 401
        token = request.auth
        access = api_token_access(token=token, umbrella_slug=kwargs.get("umbrella_slug")) if token else None
        if access is None:
            different = token is not None and token.umbrella.slug != kwargs.get("umbrella_slug")
            raise exceptions.AuthenticationFailed(NOT_THIS_UMBRELLA if different else NOT_A_TOKEN)
        self.access, self.umbrella = access, access.umbrella
        if access.is_staff and self.umbrella.require_mfa_for_staff and not user_has_totp(request.user):
            raise exceptions.PermissionDenied(MFA_FIRST)
        method = "GET" if request.method in ("GET", "HEAD") else request.method
        if method not in self.permissions:
            raise exceptions.MethodNotAllowed(request.method)
        if not can(self.access, "api.use") or not can(self.access, self.permissions[method]):
            raise exceptions.PermissionDenied("Your role in this umbrella does not allow this.")
        api_token_mark_used(token=token)  # only once it has got in

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # What a token reads is its person's alone: no shared cache may keep it.
        response["Cache-Control"] = "private, no-store"
        response["Vary"] = "Authorization"
        return response

    @classmethod
    def as_view(cls, **initkwargs):
        if not cls.permissions:
            raise ImproperlyConfigured(f"{cls.__name__} must name its permissions per method.")
        return super().as_view(**initkwargs)


class Pages(PageNumberPagination):
    """?page= (from 1) and ?page_size= (1 to 200; 50 unless asked). A page that is not a whole
    number is a malformed query (400); a page past the last, 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        errors = {}
        page = request.query_params.get(self.page_query_param)
        if page is not None and not (page.isascii() and page.isdigit() and int(page) >= 1):
            errors[self.page_query_param] = ["Give a page number from 1."]
        size = request.query_params.get(self.page_size_query_param)
        if size is not None and not (size.isascii() and size.isdigit() and 1 <= int(size) <= self.max_page_size):
            errors[self.page_size_query_param] = [f"Give a page size from 1 to {self.max_page_size}."]
        if errors:
            raise exceptions.ValidationError(errors)
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound:
            raise exceptions.NotFound("There is no such page: it is past the last.")

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )
