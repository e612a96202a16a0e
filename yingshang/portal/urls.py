from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("policies/", views.policies, name="policies"),
    path("policies/<id:pk>/", views.policy, name="policy"),
    path("figures/", views.figures, name="figures"),
    path("data/", views.datasets, name="datasets"),
    path("data/data.json", views.data_json, name="data_json"),
    path("data/catalog.jsonld", views.catalog_jsonld, name="catalog_jsonld"),
    path("data/<slug:key>/", views.dataset, name="dataset"),
    path("data/<slug:key>.<slug:fmt>", views.dataset_file, name="dataset_file"),
    path("guide/", views.guide, name="guide"),
    path("guide/materials/<id:pk>/<slug:which>/", views.guide_file, name="guide_file"),
    path("guide/<code:code>/", views.guide_item, name="guide_item"),
    path("ratings/", views.ratings, name="ratings"),
    path("credit/", views.credit_search, name="credit"),
    path("credit/list/<slug:kind>/", views.credit_list, name="credit_list"),
    path("credit/<code:uscc>/", views.credit_firm, name="credit_firm"),
    path("inspections/", views.public_index, name="inspections"),
    path("inspections/draws/<id:pk>/", views.public_draw, name="inspection_draw"),
    path("inspections/draws/<id:pk>.json", views.inspection_record, name="inspection_record"),
    path("inspections/draws/<id:pk>/results.csv", views.public_results_csv, name="inspection_results_csv"),
]
