"""Administrators map the hotline's categories to the zone's, set an integrator's callback address or stop it;
keys and secrets are issued by ``yingshang integrator`` (never shown here). What was received and pushed is
read-only."""

from django.contrib import admin

from yingshang.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Callback, CategoryMap, ExternalRequest, Integrator, Reconciliation


@admin.register(Integrator)
class IntegratorAdmin(AuditedAdmin):
    list_display = ("name", "kind", "key_prefix", "callback_url", "active")
    list_filter = ("kind", "active")
    fields = ("name", "kind", "key_prefix", "contact", "callback_url", "active")
    readonly_fields = ("kind", "key_prefix")

    def has_add_permission(self, request):
        return False  # registered on the console: the key is shown once there


@admin.register(CategoryMap)
class CategoryMapAdmin(AuditedAdmin):
    list_display = ("their_category", "category", "integrator")
    list_filter = ("integrator",)
    search_fields = ("their_category", "category__name")
    list_select_related = ("category", "integrator")


@admin.register(ExternalRequest)
class ExternalRequestAdmin(ReadOnlyAdmin):
    list_display = ("ticket", "integrator", "external_code", "their_category", "created_at")
    list_filter = ("integrator",)
    search_fields = ("external_code", "ticket__number")
    list_select_related = ("ticket", "integrator")


@admin.register(Callback)
class CallbackAdmin(ReadOnlyAdmin):
    list_display = ("request", "kind", "attempt", "ok", "status_code", "at")
    list_filter = ("ok", "kind")


@admin.register(Reconciliation)
class ReconciliationAdmin(ReadOnlyAdmin):
    list_display = ("day", "integrator", "received", "answered", "delivered")
    list_filter = ("integrator",)
