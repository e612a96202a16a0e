"""The API's description says what the server does: a field that may be empty is nullable; every operation
lists the errors it answers with; a list that is not paginated is described as a bare array."""

import pytest
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from rest_framework import serializers


def _model_serializers():
    import importlib

    for app in apps.get_app_configs():
        if not app.name.startswith("yingshang."):
            continue
        try:
            module = importlib.import_module(f"{app.name}.api")
        except ModuleNotFoundError:
            continue
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, serializers.ModelSerializer) and obj.__module__ == module.__name__:
                yield obj


def test_a_relation_that_may_be_empty_is_nullable():
    """Every declared relation whose model field is ``null=True`` allows null (and so is nullable in the schema)."""
    wrong = []
    for cls in _model_serializers():
        model = cls.Meta.model
        for name, field in cls._declared_fields.items():
            source = field.source or name
            if "." in source or not isinstance(field, serializers.RelatedField) or getattr(field, "many", False):
                continue
            try:
                mf = model._meta.get_field(source)
            except FieldDoesNotExist:  # a declared field without a model field is not a relation
                continue
            if getattr(mf, "null", False) and not field.allow_null:
                wrong.append(f"{cls.__name__}.{name}")
    assert wrong == []


@pytest.mark.django_db
def test_every_operation_lists_its_errors_and_bare_lists_are_arrays(client, make_user):
    client.force_login(make_user("admin"))
    schema = client.get("/api/schema/?format=json").json()
    missing = []
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            codes = set(op["responses"])
            need = {"401", "403"} | ({"404"} if "{" in path else set()) | (
                {"400"} if method in ("post", "put", "patch") else set())
            if not need <= codes:
                missing.append(f"{method.upper()} {path}: {sorted(need - codes)}")
    assert missing == []
    for path in ("/api/v1/tickets/{id}/events/", "/api/v1/projects/{id}/steps/",
                 "/api/v1/inspections/campaigns/{id}/checks/"):
        ok = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert ok.get("type") == "array", (path, ok)
