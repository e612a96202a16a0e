from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("inbox/", views.inbox, name="inbox"),
    path("counter/", views.counter, name="counter"),
    path("statistics/", views.statistics, name="statistics"),
    path("apply/<code:code>/", views.apply, name="apply"),
    path("bundles/", views.bundles, name="bundles"),
    path("bundles/<code:code>/apply/", views.bundle_apply, name="bundle_apply"),
    path("bundle-applications/<id:pk>/", views.bundle_detail, name="bundle_detail"),
    path("bundle-applications/<id:pk>/rate/", views.rate, {"kind": "bundle"}, name="bundle_rate"),
    path("registrations/", views.registrations, name="registrations"),
    path("registrations/<id:pk>/", views.registration, name="registration"),
    path("files/<id:pk>/", views.submitted_file, name="file"),
    path("claims/", views.claims, name="claims"),
    path("claims/<id:pk>/claim/", views.claim_act, name="claim"),
    path("ratings/", views.ratings, name="ratings"),
    path("ratings/<id:pk>/", views.rating, name="rating"),
    path("ratings/<id:pk>/<slug:action>/", views.rating_act, name="rating_act"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/notice/", views.notice, name="notice"),
    path("<id:pk>/rate/", views.rate, name="rate"),
    path("<id:pk>/<slug:action>/", views.act, name="act"),
]
