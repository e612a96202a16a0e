"""The public pages' search forms (parsed here, never in the views)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from yingshang.core.forms import BootstrapForm


class GuideSearchForm(BootstrapForm):
    """办事指南: part of an item's name or a code, the implementing department, the item type, a life event."""

    q = forms.CharField(label=_("Item name or code"), max_length=100, required=False)
    department = forms.TypedChoiceField(label=_("Department"), required=False, coerce=int, empty_value=None)
    type = forms.ChoiceField(label=_("Item type"), required=False)
    life_event = forms.ChoiceField(label=_("Life event"), required=False)

    def __init__(self, *args, **kwargs):
        from yingshang.catalog import selectors
        from yingshang.catalog.models import ItemType, LifeEvent

        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("All departments"))] + selectors.guide_departments()
        self.fields["type"].choices = [("", _("All types"))] + list(ItemType.objects.values_list("code", "name"))
        self.fields["life_event"].choices = [("", _("Any"))] + list(LifeEvent.choices)

    def search(self):
        from yingshang.catalog import selectors

        d = self.cleaned_data if self.is_valid() else {}
        return selectors.guide_search(q=(d.get("q") or "").strip(), department=d.get("department"),
                                      type_code=d.get("type") or "", life_event=d.get("life_event") or "")
