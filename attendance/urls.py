from django.urls import path

from attendance import views

app_name = "attendance"

urlpatterns = [
    path("forums/<slug:slug>/checkin/api/", views.checkin_api, name="checkin_api"),
]

urlpatterns += [
    path("forums/<slug:slug>/checkin/walk-in/", views.walk_in, name="walk_in"),
    path("forums/<slug:slug>/checkin/badge/<str:ref>.pdf", views.badge_pdf, name="badge"),
    path("forums/<slug:slug>/checkin/list.pdf", views.checkin_list_pdf, name="checkin_list"),
    path("forums/<slug:slug>/documents/", views.pdf_runs, name="pdf_runs"),
    path("forums/<slug:slug>/documents/<int:run_id>/", views.pdf_run, name="pdf_run"),
    path(
        "forums/<slug:slug>/documents/<int:run_id>/download.pdf",
        views.pdf_run_download,
        name="pdf_run_download",
    ),
    path("registration/<str:token>/certificate.pdf", views.certificate_pdf, name="certificate"),
]
