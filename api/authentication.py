"""A person's API token (accounts.ApiToken), sent as `Authorization: Bearer <token>`.

No header: anonymous, which the views answer 401. A token that is unknown, revoked, or whose
person can no longer sign in: 401 with the same words, so a guess learns nothing. A token past
its last day: 401 saying so (only its holder knows its secret).
"""

from rest_framework import authentication, exceptions

from accounts.selectors import api_token_by_secret

NOT_A_TOKEN = "That token does not work: it is wrong, or it was revoked. Make a new one on your profile page."


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header:
            return None
        if header[0].lower() != self.keyword.lower().encode():
            raise exceptions.AuthenticationFailed("Send the token as “Authorization: Bearer <token>”.")
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as “Authorization: Bearer <token>”, with no spaces in it."
            )
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(NOT_A_TOKEN)
        token = api_token_by_secret(secret)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(NOT_A_TOKEN)
        if token.is_expired:
            raise exceptions.AuthenticationFailed(
                f"That token stopped working after {token.expires_on:%-d %b %Y}. Make a new one on your profile page."
            )
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="fieldgate"'
