from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.battle_map, name="map"),
    path("new/", views.new, name="new"),
    path("pipeline/", views.pipeline, name="pipeline"),
    path("ledger/", views.ledger, name="ledger"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/edit/", views.edit, name="edit"),
    path("<id:pk>/<slug:action>/", views.act, name="act"),
    path("steps/<id:pk>/<slug:action>/", views.step_act, name="step_act"),
]
