"""Administrators edit the catalogue of joint measures here (audited). Rules change through the rules
editor (a new version); records, lists and scores through their actions — the admin shows them read-only."""

from django.contrib import admin
from django.core.cache import cache

from yingshang.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import ListEntry, Measure, MeasureApplication, Record, RuleSet
from .selectors import MEASURES_CACHE_KEY


@admin.register(Measure)
class MeasureAdmin(AuditedAdmin):
    list_display = ("name", "code", "effect", "grades", "list_kind", "applied_in", "active")
    list_filter = ("effect", "active")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        cache.delete(MEASURES_CACHE_KEY)


@admin.register(RuleSet)
class RuleSetAdmin(ReadOnlyAdmin):
    list_display = ("version", "name", "status", "activated_at")


@admin.register(Record)
class RecordAdmin(ReadOnlyAdmin):
    list_display = ("decision_number", "enterprise", "kind", "severity", "department", "decided_on", "status")
    list_filter = ("kind", "status", "department")
    search_fields = ("decision_number", "enterprise__name", "enterprise__uscc")
    list_select_related = ("enterprise", "department")


@admin.register(ListEntry)
class ListEntryAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "kind", "status", "starts_on", "ends_on", "automatic")
    list_filter = ("kind", "status", "automatic")
    list_select_related = ("enterprise",)


@admin.register(MeasureApplication)
class MeasureApplicationAdmin(ReadOnlyAdmin):
    list_display = ("at", "measure", "enterprise", "grade", "context", "ref")
    list_select_related = ("measure", "enterprise")
