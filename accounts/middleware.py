from django.utils.cache import patch_cache_control


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
