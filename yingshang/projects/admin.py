"""Administrators keep the approval templates here (audited). Projects and their task lists change only
through their pages and services; the admin shows them read-only."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _

from yingshang.core.admin import AuditedAdmin, ReadOnlyAdmin

from . import scheduling
from .models import Project, Template, TemplateLink, TemplateStep


class TemplateStepInline(admin.TabularInline):
    model = TemplateStep
    fields = ("order", "code", "name", "phase", "department", "statutory_days", "committed_days")
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Template)
class TemplateAdmin(AuditedAdmin):
    list_display = ("name", "kind", "is_default", "active")
    list_filter = ("kind", "active")
    inlines = [TemplateStepInline]


class TemplateLinkFormSet(BaseInlineFormSet):
    """Refuses predecessors that would close a loop in the template (the graph must stay acyclic)."""

    def clean(self):
        super().clean()
        step = self.instance
        if not step.pk:
            return
        codes = dict(TemplateStep.objects.filter(template=step.template_id).values_list("pk", "code"))
        after = {pk: [] for pk in codes}
        for sid, pred in TemplateLink.objects.filter(step__template=step.template_id).exclude(step=step) \
                .values_list("step_id", "predecessor_id"):
            after[sid].append(pred)
        for form in self.forms:
            d = getattr(form, "cleaned_data", None) or {}
            if d.get("predecessor") and not d.get("DELETE"):
                after[step.pk].append(d["predecessor"].pk)
        try:
            scheduling.topological_order([scheduling.Step(codes[pk], 1, [scheduling.Dependency(codes[p]) for p in preds])
                                          for pk, preds in after.items()])
        except scheduling.ScheduleError as exc:
            raise ValidationError(_("These predecessors would close a loop: %(cycle)s")
                                  % {"cycle": str(exc).removeprefix("cycle: ")}) from None


class TemplateLinkInline(admin.TabularInline):
    model = TemplateLink
    formset = TemplateLinkFormSet
    fk_name = "step"
    fields = ("predecessor", "lag")
    extra = 1

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "predecessor":
            step_id = request.resolver_match.kwargs.get("object_id")
            step = TemplateStep.objects.filter(pk=step_id).first() if step_id else None
            if step is not None:
                kwargs["queryset"] = TemplateStep.objects.filter(template=step.template).exclude(pk=step.pk)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(TemplateStep)
class TemplateStepAdmin(AuditedAdmin):
    list_display = ("template", "code", "name", "phase", "department", "statutory_days", "committed_days")
    list_filter = ("template", "phase")
    inlines = [TemplateLinkInline]


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ("number", "name", "bureau", "stage", "investment", "light")
    list_filter = ("stage", "bureau", "light")
    search_fields = ("number", "name")
