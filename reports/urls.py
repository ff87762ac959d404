from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("reach/", views.reach, name="reach"),
    path("reach/export.<str:file_format>", views.reach_export, name="reach_export"),
]
