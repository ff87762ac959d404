from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("reports/forums/<slug:slug>/news/", views.news, name="news"),
    path("reports/forums/<slug:slug>/maturity/", views.maturity, name="maturity"),
]
