from django.urls import path

from attendance import views

app_name = "attendance"

urlpatterns = [
    path("forums/<slug:slug>/checkin/api/", views.checkin_api, name="checkin_api"),
]

urlpatterns += [
    path("forums/<slug:slug>/checkin/walk-in/", views.walk_in, name="walk_in"),
]
