"""The permission table's shared parts: every role, a row of expected statuses, and the check."""

ROLES = [
    "anonymous",
    "supplier",
    "other_supplier",
    "facilitator",
    "member",
    "other_member",
    # Allowed the check-in page of the forums given to it (a DoorHelper grant), and nothing else.
    "door_helper",
    # A superuser with its second factor (the permission tables turn STAFF_REQUIRE_MFA on).
    "secretariat",
    # The same without an authenticator app: every staff page sends it to set one up (302), or
    # answers 403 where the admin refuses first.
    "secretariat_no_mfa",
]


def row(url_name: str, *statuses: int) -> tuple[str, dict[str, int]]:
    return url_name, dict(zip(ROLES, statuses, strict=True))


def split(name: str) -> tuple[str, str]:
    """A row named "manage POST" posts (with no data) to the URL named "manage"."""
    url_name, _, method = name.partition(" ")
    return url_name, (method or "GET").lower()


def assert_statuses(client, users, url: str, expected: dict[str, int], method: str = "get") -> None:
    seen = {}
    for role in expected:
        client.logout()
        if users[role]:
            client.force_login(users[role])
        seen[role] = getattr(client, method)(url).status_code
    assert seen == expected
