from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("", views.plans, name="plans"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/<slug:action>/", views.plan_act, name="plan_act"),
    path("mine/", views.mine, name="mine"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", views.campaign, name="campaign"),
    path("hazards/<int:pk>/rectify/", views.hazard_rectify, name="hazard_rectify"),
    path("visits/<int:pk>/", views.visit, name="visit"),
    path("visits/<int:pk>/<slug:action>/", views.visit_act, name="visit_act"),
]
