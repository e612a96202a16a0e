from django.contrib import admin

from .models import Bundle, BundleItem, Item, ItemType, ScopeRule


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


@admin.register(ScopeRule)
class ScopeRuleAdmin(admin.ModelAdmin):
    """双告知: which permit a business-scope keyword or an industry code needs."""

    list_display = ("keyword", "industry_prefix", "item", "active")
    list_filter = ("active",)
    search_fields = ("keyword", "industry_prefix", "item__code", "item__current__name")
    autocomplete_fields = ("item",)

    def has_delete_permission(self, request, obj=None):
        return False  # a rule is switched off, not deleted


class BundleItemInline(admin.TabularInline):
    model = BundleItem
    extra = 1
    autocomplete_fields = ("item",)


@admin.register(Bundle)
class BundleAdmin(admin.ModelAdmin):
    """一件事: the items of a bundle, by stage (items of one stage run in parallel)."""

    list_display = ("code", "name", "committed_workdays", "active")
    inlines = [BundleItemInline]

    def has_delete_permission(self, request, obj=None):
        return False
