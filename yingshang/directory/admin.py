from django.contrib import admin

from yingshang.core.admin import AuditedAdmin

from .models import Department, Enterprise, EnterpriseGroup, EnterpriseMember, StaffProfile, Stewardship


@admin.register(EnterpriseGroup)
class EnterpriseGroupAdmin(AuditedAdmin):
    list_display = ("name", "short_name")
    search_fields = ("name", "short_name")


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ("name", "code", "kind", "phone", "sort_order", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "code")


@admin.register(Enterprise)
class EnterpriseAdmin(AuditedAdmin):
    list_display = ("name", "uscc", "industry", "group", "bureau", "is_key", "is_returned", "status")
    list_filter = ("status", "is_key", "is_returned", "group", "bureau", "size")
    search_fields = ("name", "uscc", "legal_representative")
    list_select_related = ("group", "bureau")
    autocomplete_fields = ("group",)


@admin.register(StaffProfile)
class StaffProfileAdmin(AuditedAdmin):
    list_display = ("user", "department", "title")
    list_filter = ("department",)
    search_fields = ("user__username", "user__first_name", "user__last_name")
    list_select_related = ("user", "department")


@admin.register(EnterpriseMember)
class EnterpriseMemberAdmin(AuditedAdmin):
    list_display = ("user", "enterprise", "position", "active")
    list_filter = ("active",)
    search_fields = ("user__username", "enterprise__name")
    raw_id_fields = ("user", "enterprise")


@admin.register(Stewardship)
class StewardshipAdmin(AuditedAdmin):
    list_display = ("enterprise", "leader", "steward", "started_on", "ended_on")
    list_filter = ("ended_on",)
    search_fields = ("enterprise__name",)
    raw_id_fields = ("enterprise", "leader", "steward", "assigned_by")
