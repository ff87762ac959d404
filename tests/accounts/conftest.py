import pytest
from django_tasks import task_backends
from django_tasks.backends.immediate import ImmediateBackend


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Background tasks (sending e-mail) run inside the call that enqueues them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert isinstance(task_backends["default"], ImmediateBackend)
