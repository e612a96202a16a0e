"""The ``{% select %}`` tag of the filter forms: the field's choices, the current value selected, everything
escaped (a department's name is typed by an administrator)."""

from django import forms
from django.template import engines

TEMPLATE = engines["django"].from_string("{% load ys %}{% select field name small %}")


class Filter(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", "全部"), ("open", "办理中"), ("x\"y", "<b>坏</b>")])
    count = forms.TypedChoiceField(required=False, coerce=int, choices=[(1, "一"), (2, "二")])


def test_the_current_value_is_selected_and_every_text_escaped():
    form = Filter({"status": "open", "count": "2"})
    html = TEMPLATE.render({"field": form["status"], "name": "status"})
    assert html == ('<select name="status" class="form-select" id="id_status"><option value="">全部</option>'
                    '<option value="open" selected>办理中</option>'
                    '<option value="x&quot;y">&lt;b&gt;坏&lt;/b&gt;</option></select>')
    html = TEMPLATE.render({"field": form["count"], "name": "bulk-count", "small": True})
    assert 'class="form-select form-select-sm" id="id_bulk-count"' in html
    assert '<option value="2" selected>二</option>' in html and '<option value="1">一</option>' in html


def test_an_unbound_form_selects_nothing():
    html = TEMPLATE.render({"field": Filter()["status"], "name": "status"})
    assert "selected" not in html
