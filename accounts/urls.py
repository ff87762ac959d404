from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    # The token-less page first: "invitation/" must not be read as a token.
    path("invitation/", views.invitation_accept, name="invitation_accept"),
    path("invitation/<str:token>/", views.invitation_open, name="invitation"),
]
