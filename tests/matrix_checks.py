"""What the permission tables check besides statuses: that every URL of the project has rows, and
that the requests they send change no data."""

from urllib.parse import urlsplit

from django.apps import apps
from django.urls import URLResolver, get_resolver, resolve

# The registration table (tests/test_permissions_registrations.py) and the company table
# (tests/companies/test_permissions.py) hold these; the site table (tests/test_permissions.py)
# holds every other URL.
REGISTRATION_TABLE = (
    "registrations:",
    "admin:registrations_",
    "admin:workshops_",
    "admin:outbox_",
    "attendance:",
    "admin:attendance_",
)
COMPANY_TABLE = ("admin:companies_",)
# The feedback table (tests/feedback/test_permissions.py), apart from the results' table
# (tests/feedback/test_permissions_results.py).
FEEDBACK_TABLE = ("feedback:", "admin:feedback_")
FEEDBACK_RESULTS_TABLE = ("feedback:results",)
# The dashboards' table (tests/reports/test_permissions_pages.py).
REPORTS_PAGES_TABLE = (
    "reports:forum_overview",
    "reports:forum_report_pdf",
    "reports:members",
    "reports:facilitator",
)
# The news draft and maturity table (tests/reports/test_permissions_news.py).
NEWS_TABLE = ("reports:news", "reports:maturity")
# The reach page's table (tests/reports/reach/test_permissions.py).
REACH_TABLE = ("reports:reach",)
# The secretariat's desk (tests/desk/test_permissions.py).
DESK_TABLE = ("desk:",)
# The privacy tools (tests/privacy/test_permissions.py).
PRIVACY_TABLE = ("privacy:",)


def project_url_names() -> set[str]:
    """Every named URL, as "namespace:name", except allauth's account pages (allauth's own tests
    cover those)."""
    names: set[str] = set()

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if getattr(pattern.urlconf_module, "__name__", "").startswith("allauth."):
                    continue
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                walk(pattern.url_patterns, inner)
            elif pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def in_registration_table(url_name: str) -> bool:
    return url_name.startswith(REGISTRATION_TABLE)


def in_company_table(url_name: str) -> bool:
    return url_name.startswith(COMPANY_TABLE)


def in_feedback_results_table(url_name: str) -> bool:
    return url_name.startswith(FEEDBACK_RESULTS_TABLE)


def in_reach_table(url_name: str) -> bool:
    return url_name.startswith(REACH_TABLE)


def in_feedback_table(url_name: str) -> bool:
    return url_name.startswith(FEEDBACK_TABLE) and not in_feedback_results_table(url_name)


def in_reports_pages_table(url_name: str) -> bool:
    return url_name in REPORTS_PAGES_TABLE


def in_news_table(url_name: str) -> bool:
    return url_name in NEWS_TABLE


def in_desk_table(url_name: str) -> bool:
    return url_name.startswith(DESK_TABLE)


def in_privacy_table(url_name: str) -> bool:
    return url_name.startswith(PRIVACY_TABLE)


def in_site_table(url_name: str) -> bool:
    return (
        not in_desk_table(url_name)
        and not in_privacy_table(url_name)
        and not in_reports_pages_table(url_name)
        and not in_news_table(url_name)
        and not in_registration_table(url_name)
        and not in_company_table(url_name)
        and not in_feedback_table(url_name)
        and not in_feedback_results_table(url_name)
        and not in_reach_table(url_name)
    )


def url_names_of(urls: dict[str, str]) -> set[str]:
    """The URL names that a table's addresses resolve to."""
    return {resolve(urlsplit(url).path).view_name for url in urls.values()}


def rows_missing(matrix, urls: dict[str, str], get_only: set[str] = frozenset()) -> list[str]:
    """The rows a table lacks: a GET row and a POST row for every address it names."""
    names = {name for name, _ in matrix}
    wanted = list(urls) + [f"{key} POST" for key in urls if key not in get_only]
    return [name for name in wanted if name not in names]


def database_state() -> dict[str, list[dict]]:
    """Every row of every table, but sessions and the time of a user's last login (logging in
    the roles changes those)."""
    state = {}
    for model in apps.get_models():
        if model._meta.label == "sessions.Session":
            continue
        fields = [f.attname for f in model._meta.concrete_fields if f.name != "last_login"]
        state[model._meta.label] = list(model._default_manager.order_by("pk").values(*fields))
    return state
