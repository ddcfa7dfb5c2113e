from django.contrib import admin

from schemes.models import Scheme, Site

admin.site.register(Scheme, list_display=["name", "clt", "stage", "umbrella"], list_filter=["umbrella", "stage"])
admin.site.register(Site, list_display=["name", "parish", "umbrella"], list_filter=["umbrella"])
