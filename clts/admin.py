from django.contrib import admin

from .models import CLT, Parish

admin.site.register(CLT, list_display=["name", "setup_status", "umbrella"], list_filter=["umbrella"])
admin.site.register(Parish, list_display=["name", "district", "umbrella"], list_filter=["umbrella"])
