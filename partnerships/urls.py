"""Tenant URLs of partnerships (mounted under /u/<umbrella_slug>/): organisations, recoupment
statements and programmes."""

from django.urls import include, path

from partnerships.organisations import views
from partnerships.recoupment import views as st

urlpatterns = [
    path("partners/", views.HousingAssociationListView.as_view(), name="ha_list"),
    path("partners/new/", views.HousingAssociationCreateView.as_view(), name="ha_create"),
    path("partners/<uuid:public_id>/", views.HousingAssociationDetailView.as_view(), name="ha_detail"),
    path("partners/<uuid:public_id>/edit/", views.HousingAssociationEditView.as_view(), name="ha_edit"),
    path("advisers/", views.AdviserFirmListView.as_view(), name="adviser_firm_list"),
    path("advisers/new/", views.AdviserFirmCreateView.as_view(), name="adviser_firm_create"),
    path("advisers/<uuid:public_id>/edit/", views.AdviserFirmEditView.as_view(), name="adviser_firm_edit"),
    path("partners/<uuid:public_id>/agreements/new/", views.AgreementCreateView.as_view(), name="agreement_create"),
    path("agreements/<uuid:public_id>/edit/", views.AgreementEditView.as_view(), name="agreement_edit"),
    path("staff-roles/", views.StaffRoleListView.as_view(), name="staff_role_list"),
    path("staff-roles/new/", views.StaffRoleCreateView.as_view(), name="staff_role_create"),
    path("staff-roles/<uuid:public_id>/rates/new/", views.RoleRateCreateView.as_view(), name="role_rate_create"),
    path("statements/", st.StatementListView.as_view(), name="statement_list"),
    path("statements/new/", st.StatementRequestView.as_view(), name="statement_request"),
    path("statements/<uuid:public_id>/", st.StatementDetailView.as_view(), name="statement_detail"),
    path("statements/<uuid:public_id>/status/", st.StatementStatusView.as_view(), name="statement_status"),
    path("statements/<uuid:public_id>/download/", st.StatementDownloadView.as_view(), name="statement_download"),
    path("statements/<uuid:public_id>/issue/", st.StatementIssueView.as_view(), name="statement_issue"),
    path("statements/<uuid:public_id>/paid/", st.StatementPaidView.as_view(), name="statement_paid"),
    path("statements/<uuid:public_id>/retry/", st.StatementRetryView.as_view(), name="statement_retry"),
    path("earlier-invoices/", st.EarlierInvoiceListView.as_view(), name="earlier_invoice_list"),
    path("earlier-invoices/new/", st.EarlierInvoiceCreateView.as_view(), name="earlier_invoice_create"),
    path(
        "earlier-invoices/<uuid:public_id>/delete/",
        st.EarlierInvoiceDeleteView.as_view(),
        name="earlier_invoice_delete",
    ),
    path("", include("partnerships.programmes.urls")),
]
