from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("feedback/<str:secret>/", views.answer, name="answer"),
    path("forums/<slug:slug>/feedback/results/", views.results, name="results"),
    path("forums/<slug:slug>/feedback/review/", views.review, name="review"),
    path(
        "forums/<slug:slug>/feedback/results/export.<str:file_format>",
        views.results_export,
        name="results_export",
    ),
]
