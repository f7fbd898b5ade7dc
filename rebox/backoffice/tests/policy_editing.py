"""Helpers for the policy editor tests: fill the editor as a browser would, and post it."""

from rebox.backoffice.tests.page import Page


def editor_data(client, path: str = "/policy/new/") -> dict[str, list[str]]:
    """The editor's form as it is shown (the version it starts from), ready to change."""
    response = client.get(path)
    assert response.status_code == 200
    return Page(response.content.decode()).form_data("policy-editor")


def add_rule(data: dict, **fields) -> int:
    """Append a rule to the posted formset, as "Add a rule" does; returns its index."""
    index = int(data["rules-TOTAL_FORMS"][0])
    data["rules-TOTAL_FORMS"] = [str(index + 1)]
    for name, value in fields.items():
        data[f"rules-{index}-{name}"] = value if isinstance(value, list) else [str(value)]
    return index


def set_default(data: dict, **fields) -> None:
    for name, value in fields.items():
        data[f"default-{name}"] = value if isinstance(value, list) else [str(value)]
