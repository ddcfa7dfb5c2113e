"""API tokens for the test worlds' people, and a client that sends one."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import api_token_digest
from tests.conftest import user_for


def token_for(user, umbrella, *, name: str = "tests", revoked: bool = False, expires_on=None) -> str:
    """A token's secret, made straight in the database: the service refuses CLT volunteers one,
    but a person who was on an HA's team and is now a volunteer may still hold one."""
    import secrets

    secret = "fg_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        umbrella=umbrella,
        name=name,
        prefix=secret[:10],
        digest=api_token_digest(secret),
        revoked_at=timezone.now() if revoked else None,
        expires_on=expires_on or timezone.localdate() + timedelta(days=89),
    )
    return secret


def role_token(world, role: str) -> str | None:
    """The token `role` (tests/permissions/matrix_api.py) sends to tenant A's API: its person's
    own umbrella's (tenant B's for the other umbrella's people); None for anonymous."""
    if role == "anonymous":
        return None
    if role == "revoked":
        return token_for(world.a.users["admin"], world.a.umbrella, revoked=True)
    user = user_for(world, role)
    umbrella = world.b.umbrella if role.startswith("other_umbrella") else world.a.umbrella
    return token_for(user, umbrella)


class ApiClient(Client):
    def __init__(self, secret: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.secret = secret

    def request(self, **request):
        if self.secret:
            request.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.secret}")
        return super().request(**request)


def api_client_for(world, role: str) -> ApiClient:
    return ApiClient(role_token(world, role))
