"""Admin: every change made here is written to the audit log with the fields it changed."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from . import audit, services
from .models import AuditEntry, CalendarDay, CalendarYear, Notification, Delivery


def _value(v):
    if hasattr(v, "all"):
        return [str(x) for x in v.all()]
    if hasattr(v, "__iter__") and not isinstance(v, str):
        return [str(x) for x in v]
    return str(v) if v is not None else None


class AuditedAdmin(admin.ModelAdmin):
    """Records additions and changes (with before/after of each changed field); forbids deletion
    of business records — they are closed or ended, never deleted."""

    allow_delete = False

    def save_model(self, request, obj, form, change):
        changed = {name: [_value(form.initial.get(name)), _value(form.cleaned_data.get(name))]
                   for name in form.changed_data} if change else {}
        super().save_model(request, obj, form, change)
        action = f"{obj._meta.app_label}.{obj._meta.model_name}.{'changed' if change else 'added'}_in_admin"
        audit.record(actor=request.user, action=action, obj=obj, request=request, data={"fields": changed})

    def has_delete_permission(self, request, obj=None):
        return self.allow_delete and super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        audit.record(actor=request.user, action=f"{obj._meta.label_lower}.deleted_in_admin", obj=obj,
                     request=request)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


def _year_of(obj) -> int:
    return obj.year if hasattr(obj, "year") else obj.date.year


class CalendarAdmin(AuditedAdmin):
    allow_delete = True  # reference data: a wrongly entered day may be removed (audited)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.calendar_changed([_year_of(obj)])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.calendar_changed([_year_of(obj)])


@admin.register(CalendarDay)
class CalendarDayAdmin(CalendarAdmin):
    list_display = ("date", "kind", "name", "updated_at")
    list_filter = ("kind",)
    search_fields = ("name",)
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(CalendarAdmin):
    list_display = ("year", "source", "updated_at")


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records written only by the platform's own actions (the audit log, tickets, notices)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "object_repr", "ip")
    list_filter = ("action",)
    search_fields = ("action", "object_repr", "actor__username")
    date_hierarchy = "at"


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "title", "read_at")
    readonly_fields = ("created_at",)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    """Every message sent outside the platform, with its last error; a failed one is sent again from here."""

    list_display = ["created_at", "channel", "address", "status", "attempts", "last_error", "sent_at"]
    list_filter = ["status", "channel"]
    actions = ["retry"]

    @admin.action(description=_("Send the failed deliveries again"))
    def retry(self, request, queryset):
        from django.contrib import messages

        from . import notifications

        done = 0
        for d in queryset.filter(status=Delivery.Status.FAILED):
            notifications.retry(actor=request.user, delivery=d)
            done += 1
        from django.utils.translation import ngettext

        self.message_user(request, ngettext("%(n)d delivery sent again.", "%(n)d deliveries sent again.", done)
                          % {"n": done}, messages.SUCCESS)


@admin.register(get_user_model())
class AuditedUserAdmin(AuditedAdmin, UserAdmin):
    """Users are deactivated, never deleted (their actions stay attributed)."""


admin.site.site_header = _("Yingshang administration")
admin.site.site_title = _("Yingshang administration")
admin.site.index_title = _("Platform configuration")
