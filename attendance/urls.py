from django.urls import path

from attendance import views

app_name = "attendance"

urlpatterns = [
    path("forums/<slug:slug>/checkin/api/", views.checkin_api, name="checkin_api"),
]

urlpatterns += [
    path("forums/<slug:slug>/checkin/", views.checkin_page, name="checkin"),
    path("forums/<slug:slug>/checkin/search/", views.checkin_search, name="checkin_search"),
    path("forums/<slug:slug>/checkin/codes/", views.checkin_codes, name="checkin_codes"),
    path("forums/<slug:slug>/checkin/counts/", views.checkin_counts_api, name="checkin_counts"),
    path("forums/<slug:slug>/checkin/undo/", views.checkin_undo_api, name="checkin_undo"),
]
