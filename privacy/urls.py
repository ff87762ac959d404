from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("registration/<str:token>/my-data.json", views.manage_export, name="manage_export"),
    path("registration/<str:token>/erase/", views.manage_erase, name="manage_erase"),
    path("desk/privacy/", views.personal_data, name="personal_data"),
    path("desk/privacy/people/<str:person_id>/", views.person, name="person"),
    path("desk/privacy/people/<str:person_id>/data.json", views.person_data, name="person_data"),
]
