from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("enterprises/", views.enterprise_list, name="enterprises"),
    path("enterprises/<id:pk>/", views.enterprise_detail, name="enterprise"),
    path("enterprises/<id:pk>/timeline/", views.enterprise_timeline, name="timeline"),
    path("enterprises/<id:pk>/location/", views.enterprise_location, name="location"),
    path("enterprises/<id:pk>/file/", views.enterprise_file, name="file"),
    path("enterprises/import/", views.enterprise_import, name="import"),
    path("enterprises/import/template.xlsx", views.import_template, name="import_template"),
    path("departments/", views.department_list, name="departments"),
]
