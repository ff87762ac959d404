from django.apps import AppConfig


class DeskConfig(AppConfig):
    """The secretariat's workspace: its start page, and one page per forum from which every tool
    of the forum's life is one click away."""

    name = "desk"
    verbose_name = "Forum desk"
