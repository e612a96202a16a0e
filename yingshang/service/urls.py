from django.urls import path

from . import views

app_name = "service"
urlpatterns = [
    path("", views.campaigns, name="campaigns"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<id:pk>/", views.campaign, name="campaign"),
    path("visits/", views.visits, name="visits"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("visits/<id:pk>/", views.visit, name="visit"),
    path("visits/<id:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("visits/<id:pk>/<slug:action>/", views.visit_act, name="visit_act"),
    path("photos/<id:pk>/", views.photo, name="photo"),
    path("policies/", views.policies, name="policies"),
    path("policies/new/", views.policy_new, name="policy_new"),
    path("policies/<id:pk>/", views.policy, name="policy"),
    path("policies/<id:pk>/edit/", views.policy_edit, name="policy_edit"),
    path("policies/<id:pk>/<slug:action>/", views.policy_act, name="policy_act"),
    path("firms/<id:pk>/", views.firm, name="firm"),
    path("for-you/", views.for_you, name="for_you"),
]
