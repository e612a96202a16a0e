"""Log-in, lock-out, password change, language, and the audit of logins and admin changes."""

import pytest

from yingshang.core.models import AuditEntry
from yingshang.directory.tests.factories import PASSWORD, EnterpriseFactory


@pytest.mark.django_db
def test_login_and_logout_are_audited(client, make_user):
    user = make_user("handler")
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"
    client.post("/accounts/logout/")
    actions = list(AuditEntry.objects.filter(actor=user).values_list("action", flat=True))
    assert "core.user.logged_in" in actions and "core.user.logged_out" in actions


@pytest.mark.django_db
def test_wrong_password_is_a_clear_message_in_chinese(client, make_user):
    user = make_user("handler")
    response = client.post("/accounts/login/", {"username": user.username, "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    assert AuditEntry.objects.filter(action="core.user.login_failed", object_repr=user.username).exists()


@pytest.mark.django_db
def test_five_failures_lock_the_account_out(client, make_user, settings):
    user = make_user("handler")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": user.username, "password": "wrong"})
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert 'data-testid="locked-out"' in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_change(client, make_user):
    user = make_user("steward")
    client.force_login(user)
    response = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": "Hongqi-2026-new",
                                                   "new_password2": "Hongqi-2026-new"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Hongqi-2026-new")
    bad = client.post("/accounts/password/", {"old_password": "nope", "new_password1": "x", "new_password2": "y"})
    assert bad.status_code == 200 and "is-invalid" in bad.content.decode()


@pytest.mark.django_db
def test_chinese_by_default_and_english_on_request(client, make_user):
    client.force_login(make_user("leader"))
    assert "企业名录" in client.get("/directory/enterprises/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Enterprise directory" in client.get("/directory/enterprises/").content.decode()


@pytest.mark.django_db
def test_admin_changes_are_audited_with_the_fields_changed(client, make_user):
    admin = make_user("admin")
    firm = EnterpriseFactory(name="旧名称有限公司")
    client.force_login(admin)
    url = f"/admin/directory/enterprise/{firm.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update({"name": "新名称有限公司", "status": "operating", "size": ""})
    data = {k: v for k, v in data.items() if not isinstance(v, bool) or v}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    entry = AuditEntry.objects.get(action="directory.enterprise.changed_in_admin")
    assert entry.actor == admin and entry.data["fields"]["name"] == ["旧名称有限公司", "新名称有限公司"]


@pytest.mark.django_db
def test_business_records_cannot_be_deleted_in_the_admin(client, make_user):
    firm = EnterpriseFactory()
    client.force_login(make_user("admin"))
    assert client.get(f"/admin/directory/enterprise/{firm.pk}/delete/").status_code == 403


@pytest.mark.django_db
def test_a_stale_page_for_a_user_without_role_is_polite(client, make_user):
    client.force_login(make_user())
    assert 'data-testid="home-title"' in client.get("/").content.decode()
