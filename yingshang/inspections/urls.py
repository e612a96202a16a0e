from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("", views.plans, name="plans"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<id:pk>/", views.plan, name="plan"),
    path("plans/<id:pk>/<slug:action>/", views.plan_act, name="plan_act"),
    path("mine/", views.mine, name="mine"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<id:pk>/", views.campaign, name="campaign"),
    path("hazards/<id:pk>/rectify/", views.hazard_rectify, name="hazard_rectify"),
    path("visits/<id:pk>/", views.visit, name="visit"),
    path("results/<id:pk>/photo/", views.result_photo, name="result_photo"),
    path("orders/<id:pk>/evidence/", views.order_evidence, name="order_evidence"),
    path("visits/<id:pk>/<slug:action>/", views.visit_act, name="visit_act"),
]
