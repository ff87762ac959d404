from django.urls import path

from attendance import views

app_name = "attendance"

urlpatterns = [
    path("forums/<slug:slug>/checkin/api/", views.checkin_api, name="checkin_api"),
]
