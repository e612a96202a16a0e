from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("wall/", views.wall, name="wall"),
    path("figures/<str:key>/", views.figure, name="figure"),
    path("reports/", views.reports, name="reports"),
    path("reports/<id:pk>/<str:fmt>/", views.report_file, name="report_file"),
    path("subscriptions/<slug:action>/", views.subscription, name="subscription"),
]
