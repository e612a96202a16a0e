from django.urls import path

from . import views

app_name = "credit"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("firms/", views.firms, name="firms"),
    path("mine/", views.mine, name="mine"),
    path("records/", views.records, name="records"),
    path("records/new/", views.record_new, name="record_new"),
    path("records/import/", views.records_import, name="import"),
    path("records/<id:pk>/", views.record, name="record"),
    path("records/<id:pk>/<slug:action>/", views.record_act, name="record_act"),
    path("evidence/<id:pk>/", views.evidence, name="evidence"),
    path("lists/", views.lists, name="lists"),
    path("lists/<id:pk>/end/", views.list_end, name="list_end"),
    path("requests/", views.queue, name="queue"),
    path("rules/", views.rules, name="rules"),
    path("rules/draft/", views.rules_draft, name="rules_draft"),
    path("rules/<id:pk>/edit/", views.rules_edit, name="rules_edit"),
    path("measures/", views.measures, name="measures"),
]
