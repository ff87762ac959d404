from django.urls import path

from desk import views

app_name = "desk"

urlpatterns = [
    path("", views.start, name="start"),
    path("forums/<slug:slug>/", views.forum, name="forum"),
    path("forums/<slug:slug>/survey/<str:action>/", views.survey_action, name="survey_action"),
    path("forums/<slug:slug>/registrations.<str:file_format>", views.export, name="export"),
]
