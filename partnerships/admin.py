from django.contrib import admin

from partnerships.organisations.models import CollaborationAgreement, HousingAssociation

admin.site.register(HousingAssociation, list_display=["name", "umbrella"], list_filter=["umbrella"])
admin.site.register(CollaborationAgreement, list_display=["housing_association", "status", "fee_basis", "umbrella"])
