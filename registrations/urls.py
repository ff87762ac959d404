from django.urls import path

from registrations import views

app_name = "registrations"

urlpatterns = [
    path("forums/<slug:slug>/register/", views.register, name="register"),
    path("forums/<slug:slug>/register/sent/", views.register_sent, name="sent"),
    path("registration/confirm/<str:token>/", views.confirm_held, name="confirm"),
    path("registration/<str:token>/", views.manage, name="manage"),
    path("registration/<str:token>/calendar.ics", views.manage_calendar, name="calendar"),
    path("registration-link/", views.resend_link, name="resend_link"),
    path("my-forums/", views.my_forums, name="my_forums"),
]
