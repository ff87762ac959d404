from django.urls import path

from attendance import views

app_name = "attendance"

urlpatterns = [
    # The check-in page and the JSON endpoints it and scanners use (docs/checkin.md).
    path("forums/<slug:slug>/checkin/", views.checkin_page, name="checkin"),
    path("forums/<slug:slug>/checkin/api/", views.checkin_api, name="checkin_api"),
    path("forums/<slug:slug>/checkin/search/", views.checkin_search, name="checkin_search"),
    path("forums/<slug:slug>/checkin/codes/", views.checkin_codes, name="checkin_codes"),
    path("forums/<slug:slug>/checkin/counts/", views.checkin_counts_api, name="checkin_counts"),
    path("forums/<slug:slug>/checkin/undo/", views.checkin_undo_api, name="checkin_undo"),
    path("forums/<slug:slug>/checkin/walk-in/", views.walk_in, name="walk_in"),
    # Once check-in has closed: the secretariat records attendance with a reason.
    path("forums/<slug:slug>/checkin/after/", views.after_the_day, name="after_the_day"),
    # Printed at the door: one badge, and the paper list for when everything fails.
    path("forums/<slug:slug>/checkin/badge/<str:ref>.pdf", views.badge_pdf, name="badge"),
    path("forums/<slug:slug>/checkin/list.pdf", views.checkin_list_pdf, name="checkin_list"),
    # Badges and certificates for many, made in the background.
    path("forums/<slug:slug>/documents/", views.pdf_runs, name="pdf_runs"),
    path("forums/<slug:slug>/documents/<int:run_id>/", views.pdf_run, name="pdf_run"),
    path(
        "forums/<slug:slug>/documents/<int:run_id>/download.pdf",
        views.pdf_run_download,
        name="pdf_run_download",
    ),
    path("registration/<str:token>/certificate.pdf", views.certificate_pdf, name="certificate"),
]
