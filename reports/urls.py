from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("reports/forums/<slug:slug>/", views.forum_overview, name="forum_overview"),
    path("reports/forums/<slug:slug>/report.pdf", views.forum_report_pdf, name="forum_report_pdf"),
    path("reports/forums/<slug:slug>/news/", views.news, name="news"),
    path("reports/forums/<slug:slug>/maturity/", views.maturity, name="maturity"),
    path("reports/members/", views.members, name="members"),
    path("reports/reach/", views.reach, name="reach"),
    path("reports/reach/export.<str:file_format>", views.reach_export, name="reach_export"),
    path("reports/facilitator/", views.facilitator, name="facilitator"),
]
