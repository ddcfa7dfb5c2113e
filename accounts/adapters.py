from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: people join an umbrella by an admin's invitation."""

    def is_open_for_signup(self, request) -> bool:
        return False
