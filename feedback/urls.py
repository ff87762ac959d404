from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("feedback/<str:secret>/", views.answer, name="answer"),
]
