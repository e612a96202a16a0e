from django.urls import path

from . import site_views, views

app_name = "chain"
urlpatterns = [
    path("", views.chains, name="chains"),
    path("new/", views.chain_new, name="chain_new"),
    path("<id:pk>/", views.chain, name="chain"),
    path("<id:pk>/<slug:action>/", views.chain_act, name="chain_act"),
    path("segments/<id:pk>/", views.segment, name="segment"),
    path("relations/", views.relations, name="relations"),
    path("relations/new/", views.relation_new, name="relation_new"),
    path("relations/import/", views.relations_import, name="relations_import"),
    path("relations/<id:pk>/", views.relation, name="relation"),
    path("relations/<id:pk>/<slug:action>/", views.relation_act, name="relation_act"),
    path("impact/<id:pk>/", views.impact, name="impact"),
    path("targets/", views.targets, name="targets"),
    path("targets/import/", views.targets_import, name="targets_import"),
    path("targets/<id:pk>/", views.target, name="target"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("campaigns/<id:pk>/", views.campaign, name="campaign"),
    path("invitations/<id:pk>/", views.invitation, name="invitation"),
    path("invitations/<id:pk>/<slug:action>/", views.invitation_act, name="invitation_act"),
    path("board/", views.board, name="board"),
    path("mine/", views.mine, name="mine"),
    path("sites/", site_views.sites, name="sites"),
    path("consultations/", site_views.consultations, name="consultations"),
    path("consultations/<id:pk>/", site_views.consultation, name="consultation"),
    path("factors/", site_views.factors, name="factors"),
    path("meetings/<id:pk>/", site_views.meeting, name="meeting"),
]
