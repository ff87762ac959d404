from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config.views import healthz
from forums import views as forum_views
from registrations import views as registration_views

# The admin's own login page has no rate limit: send it through allauth's. Replacing the bound
# view on the site is allauth's documented way, and deliberate.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Forum Desk – secretariat"
admin.site.site_title = "Forum Desk"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", forum_views.home, name="home"),
    path("calendar.ics", forum_views.calendar_feed, name="calendar_feed"),
    path("members/", forum_views.member_area, name="member_area"),
    path("forums/<slug:slug>/", registration_views.forum_page, name="forum"),
    path("forums/", include("forums.urls")),
    path("", include("registrations.urls")),
    path("", include("attendance.urls")),
    path("", include("feedback.urls")),
    path("", include("reports.urls")),
    path("", include("privacy.urls")),
    path("desk/", include("desk.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.views import defaults

    urlpatterns += [path("404/", defaults.page_not_found, {"exception": Exception("Not found")})]
