from django.urls import path

from forums import views

app_name = "forums"

urlpatterns = [
    path("<slug:slug>/calendar.ics", views.forum_calendar, name="calendar"),
]
