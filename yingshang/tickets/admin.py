"""Administrators configure the category tree and the time limits; tickets themselves are changed only
through their actions (pages, API), so the admin shows them read-only."""

from django.contrib import admin

from yingshang.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Category, SlaPolicy, SupervisionNotice, Ticket, TicketEvent


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    list_display = ("__str__", "default_department", "sort_order", "active")
    list_filter = ("active", "parent")
    search_fields = ("name",)
    list_select_related = ("parent", "default_department")


@admin.register(SlaPolicy)
class SlaPolicyAdmin(AuditedAdmin):
    list_display = ("__str__", "accept_within", "respond_within", "resolve_within", "unit")
    list_select_related = ("category",)


class EventInline(admin.TabularInline):
    model = TicketEvent
    fields = ("at", "actor", "action", "from_status", "to_status", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ("number", "title", "enterprise", "status", "lead_department", "created_at", "next_due")
    list_filter = ("status", "urgency", "is_historical", "lead_department")
    search_fields = ("number", "title", "enterprise__name")
    list_select_related = ("enterprise", "lead_department")
    date_hierarchy = "created_at"
    inlines = [EventInline]


@admin.register(SupervisionNotice)
class SupervisionNoticeAdmin(ReadOnlyAdmin):
    list_display = ("ticket", "kind", "level", "due_kind", "due_at", "department", "issued_by", "created_at")
    list_filter = ("kind", "level")
    list_select_related = ("ticket", "department", "issued_by")
