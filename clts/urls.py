"""Tenant URLs of clts (mounted under /u/<umbrella_slug>/). Objects by public id only."""

from django.urls import path

from clts import views
from clts.allocations import views as va
from clts.needs import views as views_needs

urlpatterns = [
    # CLTs
    path("clts/", views.CLTListView.as_view(), name="clt_list"),
    path("clts/new/", views.CLTCreateView.as_view(), name="clt_create"),
    path("clts/<uuid:public_id>/", views.CLTDetailView.as_view(), name="clt_detail"),
    path("clts/<uuid:public_id>/edit/", views.CLTEditView.as_view(), name="clt_edit"),
    path("clts/<uuid:public_id>/governance/", views.CLTGovernanceView.as_view(), name="clt_governance_edit"),
    path("clts/<uuid:public_id>/delete/", views.CLTDeleteView.as_view(), name="clt_delete"),
    # Parishes (staff)
    path("parishes/", views.ParishListView.as_view(), name="parish_list"),
    path("parishes/new/", views.ParishCreateView.as_view(), name="parish_create"),
    path("parishes/<uuid:public_id>/", views.ParishDetailView.as_view(), name="parish_detail"),
    path("parishes/<uuid:public_id>/edit/", views.ParishEditView.as_view(), name="parish_edit"),
    path("parishes/<uuid:public_id>/delete/", views.ParishDeleteView.as_view(), name="parish_delete"),
    # Board members and volunteers
    path("clts/people/", views.PersonListView.as_view(), name="person_list"),
    path("clts/<uuid:public_id>/people/new/", views.PersonCreateView.as_view(), name="person_create"),
    path("clts/people/<uuid:public_id>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("clts/people/<uuid:public_id>/edit/", views.PersonEditView.as_view(), name="person_edit"),
    path("clts/people/<uuid:public_id>/delete/", views.PersonDeleteView.as_view(), name="person_delete"),
    # Advice and training given by the umbrella
    path("clts/advice/", views.AdviceSessionListView.as_view(), name="advice_session_list"),
    path("clts/<uuid:public_id>/advice/new/", views.AdviceSessionCreateView.as_view(), name="advice_session_create"),
    path("clts/advice/<uuid:public_id>/", views.AdviceSessionDetailView.as_view(), name="advice_session_detail"),
    path("clts/advice/<uuid:public_id>/edit/", views.AdviceSessionEditView.as_view(), name="advice_session_edit"),
    path("clts/advice/<uuid:public_id>/delete/", views.AdviceSessionDeleteView.as_view(), name="advice_session_delete"),
    # Revenue grants
    path("clts/grants/", views.RevenueGrantListView.as_view(), name="revenue_grant_list"),
    path("clts/<uuid:public_id>/grants/new/", views.RevenueGrantCreateView.as_view(), name="revenue_grant_create"),
    path("clts/grants/<uuid:public_id>/", views.RevenueGrantDetailView.as_view(), name="revenue_grant_detail"),
    path("clts/grants/<uuid:public_id>/edit/", views.RevenueGrantEditView.as_view(), name="revenue_grant_edit"),
    path("clts/grants/<uuid:public_id>/delete/", views.RevenueGrantDeleteView.as_view(), name="revenue_grant_delete"),
    # AGMs
    path("clts/agms/", views.AGMListView.as_view(), name="agm_list"),
    path("clts/<uuid:public_id>/agms/new/", views.AGMCreateView.as_view(), name="agm_create"),
    path("clts/agms/<uuid:public_id>/", views.AGMDetailView.as_view(), name="agm_detail"),
    path("clts/agms/<uuid:public_id>/edit/", views.AGMEditView.as_view(), name="agm_edit"),
    path("clts/agms/<uuid:public_id>/delete/", views.AGMDeleteView.as_view(), name="agm_delete"),
    # Housing needs surveys
    path("needs/", views_needs.SurveyListView.as_view(), name="survey_list"),
    path("needs/new/", views_needs.SurveyCreateView.as_view(), name="survey_create"),
    path("needs/<uuid:public_id>/", views_needs.SurveyDetailView.as_view(), name="survey_detail"),
    path("needs/<uuid:public_id>/edit/", views_needs.SurveyEditView.as_view(), name="survey_edit"),
    path("needs/<uuid:public_id>/import/", views_needs.NeedImportView.as_view(), name="need_import"),
    # Allocation policies and the eligibility checker
    path("allocations/", va.PolicyListView.as_view(), name="policy_list"),
    path("clts/<uuid:public_id>/allocations/new/", va.PolicyStartView.as_view(), name="policy_start"),
    path("clts/<uuid:public_id>/allocations/check/", va.EligibilityCheckView.as_view(), name="eligibility_check"),
    path("allocations/<uuid:public_id>/", va.PolicyDetailView.as_view(), name="policy_detail"),
    path("allocations/<uuid:public_id>/edit/", va.PolicyEditView.as_view(), name="policy_edit"),
    path("allocations/<uuid:public_id>/agree/", va.PolicyAgreeView.as_view(), name="policy_agree"),
    path("allocations/<uuid:public_id>/delete/", va.PolicyDeleteView.as_view(), name="policy_delete"),
    path("allocations/<uuid:public_id>/tiers/new/", va.TierCreateView.as_view(), name="tier_create"),
    path("allocations/tiers/<uuid:public_id>/edit/", va.TierEditView.as_view(), name="tier_edit"),
    path("allocations/tiers/<uuid:public_id>/delete/", va.TierDeleteView.as_view(), name="tier_delete"),
    path("allocations/<uuid:public_id>/bands/new/", va.BandCreateView.as_view(), name="band_create"),
    path("allocations/bands/<uuid:public_id>/edit/", va.BandEditView.as_view(), name="band_edit"),
    path("allocations/bands/<uuid:public_id>/delete/", va.BandDeleteView.as_view(), name="band_delete"),
]
