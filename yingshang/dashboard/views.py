from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from yingshang.core import roles
from yingshang.directory import selectors as directory
from yingshang.projects import selectors as projects
from yingshang.tickets import selectors as tickets

from . import selectors


@login_required
def home(request):
    user = request.user
    names = roles.role_names(user)
    ctx = {"roles": names}
    if roles.is_staff_member(user):
        ctx["todo"] = selectors.todo(user)
        ctx["overview"] = selectors.zone_overview()
        ctx["calendar"] = selectors.working_calendar_card()
        ctx["by_bureau"] = selectors.enterprises_by_bureau()
        if names & {roles.STEWARD, roles.LEADER}:
            ctx["my_enterprises"] = list(directory.stewarded_enterprises(user).select_related("group")[:12])
        ctx["department"] = getattr(getattr(user, "staff_profile", None), "department", None)
        if user.has_perm("tickets.view_ledger"):
            ctx["problems"] = selectors.problem_counts(user)
        if user.has_perm("projects.view") and roles.INSPECTOR not in names:
            ctx["projects"] = projects.wall_counts()
        if names & {roles.HANDLER, roles.DEPT_HEAD} and ctx["department"]:
            ctx["inbox"] = tickets.inbox_counts(user)
        template = "dashboard/home_staff.html"
    elif roles.ENTERPRISE in names:
        ctx["enterprises"] = list(directory.enterprise_search(user))
        ctx["open_problems"] = tickets.open_for_firm(user)
        template = "dashboard/home_enterprise.html"
    else:
        template = "dashboard/home_none.html"
    return render(request, template, ctx)
