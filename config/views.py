from django.http import HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def healthz(request):
    """For a load balancer or a monitor: the process answers. Touches neither the database nor
    the cache, so it says nothing about them."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
