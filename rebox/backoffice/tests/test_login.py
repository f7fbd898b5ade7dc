"""Staff log in at /login/ with our own page; every other back-office page needs it."""

import pytest

from rebox.backoffice.tests.conftest import PASSWORD, make_staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/orders/", "/orders/T1/"])
def test_pages_send_a_logged_out_visitor_to_the_login_page(client, path):
    response = client.get(path, follow=True)

    assert response.redirect_chain[-1][0].startswith("/login/?next=")
    assert response.status_code == 200


def test_the_login_page_is_ours_with_a_language_picker(client):
    response = client.get("/login/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'action="/login/"' in html
    assert 'action="/i18n/setlang/"' in html
    assert "/admin/" not in html


def test_staff_log_in_and_land_on_the_orders_of_their_store(client, agent, store):
    response = client.post("/login/", {"username": agent.username, "password": PASSWORD},
                           follow=True)

    assert response.redirect_chain[-1][0] == "/orders/"
    assert response.context["request"].store == store


def test_wrong_password_shows_an_error_beside_the_password_field(client, agent):
    response = client.post("/login/", {"username": agent.username, "password": "wrong"})

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not response.context["form"].non_field_errors()
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_password_error"' in html
    password_block = html[html.index('id="id_password"'):]
    assert 'id="id_password_error"' in password_block
    assert "correct" in password_block  # Django's "Please enter a correct username and password"
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_ends_the_session(staff_client):
    assert staff_client.get("/logout/").status_code == 405

    response = staff_client.post("/logout/")

    assert response.status_code == 302 and response["Location"] == "/login/"
    assert staff_client.get("/orders/").status_code == 302


def test_a_user_without_any_store_is_told_so(client, db):
    user = make_staff("nobody@example.com")
    client.force_login(user)

    response = client.get("/orders/")

    assert response.status_code == 403
    assert "not a member of any store" in response.content.decode()

