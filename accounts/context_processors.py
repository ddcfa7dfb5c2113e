from accounts.access import umbrellas_for


def tenancy(request) -> dict:
    """The umbrella switcher and the current access, for the base layout."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    access = getattr(request, "access", None)
    return {
        "access": access,
        "current_umbrella": access.umbrella if access else None,
        "my_umbrellas": access.umbrellas if access else umbrellas_for(user),
    }
