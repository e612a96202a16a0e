from django.urls import path

from . import open311_views as views

app_name = "open311"
urlpatterns = [
    path("services.<str:fmt>", views.service_list, name="services"),
    path("services/<str:code>.<str:fmt>", views.service_definition, name="service"),
    path("requests.<str:fmt>", views.request_list, name="requests"),
    path("requests/<str:number>.<str:fmt>", views.request_detail, name="request"),
]
