from django.urls import path

from desk import views

app_name = "desk"

urlpatterns = [
    path("", views.start, name="start"),
    path("forums/<slug:slug>/", views.forum, name="forum"),
    path("forums/<slug:slug>/survey/<str:action>/", views.survey_action, name="survey_action"),
    path("forums/<slug:slug>/registrations.<str:file_format>", views.export, name="export"),
    path("forums/<slug:slug>/registrations/add/", views.registration_add, name="registration_add"),
    path("registrations/<str:pk>/", views.registration, name="registration"),
    path(
        "registrations/<str:pk>/workshops/",
        views.registration_workshops,
        name="registration_workshops",
    ),
    path("registrations/<str:pk>/resend/", views.registration_resend, name="registration_resend"),
    path("registrations/<str:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("registrations/<str:pk>/open/", views.registration_open, name="registration_open"),
]
