from django.urls import path

from yingshang.inspections.urls import public_urlpatterns

from . import views

app_name = "portal"
urlpatterns = [
    path("credit/", views.credit_search, name="credit"),
    path("credit/list/<str:kind>/", views.credit_list, name="credit_list"),
    path("credit/<str:uscc>/", views.credit_firm, name="credit_firm"),
] + public_urlpatterns
