from django.contrib import admin

from .models import Item, ItemType


@admin.register(ItemType)
class ItemTypeAdmin(admin.ModelAdmin):
    """Administrators extend the item types; the items themselves change only by publishing a version."""

    list_display = ("code", "name", "is_power", "order")
    ordering = ("order", "code")


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("code", "basic_code", "current")
    search_fields = ("code", "basic_code", "current__name")
    readonly_fields = ("code", "basic_code", "current", "created_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
