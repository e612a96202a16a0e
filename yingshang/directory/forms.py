from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Department, Enterprise, EnterpriseGroup


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    group = forms.ModelChoiceField(label=_("Group"), queryset=EnterpriseGroup.objects.all(), required=False,
                                   empty_label=_("All groups"))
    bureau = forms.ModelChoiceField(label=_("Service bureau"), required=False, empty_label=_("All bureaus"),
                                    queryset=Department.objects.filter(kind=Department.Kind.BUREAU))
    industry = forms.ChoiceField(label=_("Industry"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses"))] + list(Enterprise.Status.choices))
    key = forms.BooleanField(label=_("Key enterprises"), required=False)
    returned = forms.BooleanField(label=_("Returned investment"), required=False)
    mine = forms.BooleanField(label=_("Only mine"), required=False)

    def __init__(self, *args, industries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry"].choices = [("", _("All industries"))] + [(i, i) for i in industries]

    def search_kwargs(self) -> dict:
        d = self.cleaned_data if self.is_valid() else {}
        return {
            "q": d.get("q") or "",
            "group": d["group"].pk if d.get("group") else None,
            "bureau": d["bureau"].pk if d.get("bureau") else None,
            "industry": d.get("industry") or "",
            "status": d.get("status") or "",
            "key": True if d.get("key") else None,
            "returned": True if d.get("returned") else None,
            "mine": bool(d.get("mine")),
        }


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx or .csv)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large (%(size)s MB); the limit is %(limit)s MB.") % {
                "size": round(f.size / 1048576, 1), "limit": settings.MAX_UPLOAD_BYTES // 1048576})
        if not f.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        return f


class DepartmentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All kinds"))] + list(Department.Kind.choices))


class LocationForm(forms.Form):
    """Where the firm is: set by clicking the zone's map (the service checks the values)."""

    lng = forms.CharField(label=_("longitude"), required=False, max_length=20,
                          widget=forms.TextInput(attrs={"inputmode": "decimal", "data-coord": "lng",
                                                        "class": "form-control"}))
    lat = forms.CharField(label=_("latitude"), required=False, max_length=20,
                          widget=forms.TextInput(attrs={"inputmode": "decimal", "data-coord": "lat",
                                                        "class": "form-control"}))
