"""URLs of strategic partnership programmes (mounted under /u/<umbrella_slug>/)."""

urlpatterns: list = []
