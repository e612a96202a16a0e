"""Administrators keep the directories here (audited): inspection items and inspectors with their declared
relations. Plans, draws and visits change only through their actions; the admin shows them read-only."""

from django.contrib import admin

from yingshang.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Draw, Inspector, Item, Plan, Relation, Visit


@admin.register(Item)
class ItemAdmin(AuditedAdmin):
    list_display = ("code", "name", "department", "level", "applies_to", "active")
    list_filter = ("department", "level", "active")
    search_fields = ("code", "name")
    list_select_related = ("department",)


class RelationInline(admin.TabularInline):
    model = Relation
    fields = ("enterprise", "reason")
    autocomplete_fields = ("enterprise",)
    extra = 0
    can_delete = False


@admin.register(Inspector)
class InspectorAdmin(AuditedAdmin):
    list_display = ("name", "certificate", "department", "fields", "active", "user")
    list_filter = ("department", "active")
    search_fields = ("name", "certificate")
    list_select_related = ("department", "user")
    inlines = [RelationInline]


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ("number", "name", "lead_department", "status", "starts_on", "ends_on")
    list_filter = ("status", "lead_department")


@admin.register(Draw)
class DrawAdmin(ReadOnlyAdmin):
    list_display = ("plan", "sequence", "status", "seed", "drawn_at")
    exclude = ("firms", "inspectors", "record")


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ("plan", "position", "enterprise", "grade", "status", "published_at")
    list_filter = ("status",)
    list_select_related = ("plan", "enterprise")
