"""Login throttling (django-axes): repeated wrong passwords lock the username for a while."""

from django.urls import reverse

from tests.factories.agreements import UserFactory


def test_repeated_failed_logins_lock_the_account_with_a_danish_message(client, db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    UserFactory(username="sara", password="rigtig-kode-123")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(reverse("login"), {"username": "sara", "password": "forkert"})
        assert response.status_code == 200
        assert "Brugernavn og adgangskode passer ikke sammen" in response.content.decode()
    response = client.post(reverse("login"), {"username": "sara", "password": "forkert"})
    assert response.status_code == 429
    # even the right password is refused while locked
    response = client.post(reverse("login"), {"username": "sara", "password": "rigtig-kode-123"})
    assert response.status_code == 429
    assert "Log ind er midlertidigt spærret" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_correct_login_works_and_resets_the_count(client, db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    UserFactory(username="bent", password="rigtig-kode-123")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("login"), {"username": "bent", "password": "forkert"})
    response = client.post(reverse("login"), {"username": "bent", "password": "rigtig-kode-123"})
    assert response.status_code == 302
    client.logout()
    response = client.post(reverse("login"), {"username": "bent", "password": "forkert"})
    assert response.status_code == 200, "the earlier failures were reset by the successful login"


def test_login_without_a_request_is_not_blocked_by_throttling(db, settings):
    """Programmatic authentication (tests' ``Client.login``, commands) has no client to throttle."""
    from django.contrib.auth import authenticate

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = UserFactory(username="kim", password="rigtig-kode-123")
    assert authenticate(username="kim", password="rigtig-kode-123") == user
