"""The permission table's shared parts: every role, a row of expected statuses, and the check."""

ROLES = [
    "anonymous",
    "supplier",
    "other_supplier",
    "facilitator",
    "member",
    "other_member",
    "secretariat",
]


def row(url_name: str, *statuses: int) -> tuple[str, dict[str, int]]:
    return url_name, dict(zip(ROLES, statuses, strict=True))


def assert_statuses(client, users, url: str, expected: dict[str, int]) -> None:
    seen = {}
    for role in expected:
        client.logout()
        if users[role]:
            client.force_login(users[role])
        seen[role] = client.get(url).status_code
    assert seen == expected
