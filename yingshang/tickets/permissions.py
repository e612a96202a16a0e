"""Who may do what to a ticket. What a user may *see* is in ``selectors.tickets_visible_to``; each
action below is also limited by the ticket's state (``workflow``)."""

import rules

from yingshang.core import roles
from yingshang.core.permissions import role
from yingshang.directory.models import EnterpriseMember, Stewardship
from yingshang.directory.permissions import department_id_of


dept_id = department_id_of  # the department (or bureau) a member of staff works in


@rules.predicate
def is_firm_member(user, ticket):
    return ticket is not None and EnterpriseMember.objects.filter(
        user=user, enterprise_id=ticket.enterprise_id, active=True).exists()


@rules.predicate
def is_ticket_steward(user, ticket):
    # The firm's current steward (a steward moved to other firms keeps no rights on old tickets).
    if ticket is None:
        return False
    return roles.has_role(user, roles.STEWARD) and Stewardship.objects.filter(
        enterprise_id=ticket.enterprise_id, ended_on__isnull=True, steward=user).exists()


@rules.predicate
def in_lead_department(user, ticket):
    return ticket is not None and ticket.lead_department_id is not None and dept_id(user) == ticket.lead_department_id


@rules.predicate
def in_co_department(user, ticket):
    dept = dept_id(user)
    return ticket is not None and dept is not None and ticket.co_departments.filter(pk=dept).exists()


is_case_worker = role(roles.HANDLER, roles.DEPT_HEAD)
is_dept_head = role(roles.DEPT_HEAD)
is_dispatcher = role(roles.DISPATCHER, roles.ADMIN)
is_leader = role(roles.LEADER)
lead_worker = is_case_worker & in_lead_department

PERMS = {
    "dispatch": is_dispatcher,
    "redispatch": is_dispatcher,
    "merge": is_dispatcher,
    "accept": lead_worker,
    "return": lead_worker,
    "respond": is_case_worker & (in_lead_department | in_co_department),
    "suspend": lead_worker,
    "resume": lead_worker | is_firm_member,
    "request_extension": lead_worker,
    "decide_extension": is_dispatcher | (is_dept_head & in_lead_department),
    "resolve": lead_worker,
    "confirm": is_firm_member,
    "callback": is_ticket_steward | is_dispatcher,
    "withdraw": is_firm_member | is_ticket_steward,
    "take_charge": is_leader,
    "instruct": is_leader,
    "supervise": is_leader | role(roles.SUPERVISOR),
}
for action, predicate in PERMS.items():
    rules.add_perm(f"tickets.{action}", predicate)

# Raising a problem for an enterprise: its own staff, its steward, a dispatcher (phone, 12345, letters),
# a leader at an on-site office.


@rules.predicate
def may_raise_for(user, enterprise):
    if enterprise is None:
        return roles.has_role(user, roles.ENTERPRISE, roles.STEWARD, roles.DISPATCHER, roles.LEADER, roles.ADMIN)
    if roles.has_role(user, roles.DISPATCHER, roles.LEADER, roles.ADMIN):
        return True
    if EnterpriseMember.objects.filter(user=user, enterprise=enterprise, active=True).exists():
        return True
    return roles.has_role(user, roles.STEWARD) and Stewardship.objects.filter(
        enterprise=enterprise, ended_on__isnull=True, steward=user).exists()


rules.add_perm("tickets.raise", may_raise_for)
rules.add_perm("tickets.view_ledger", role(*(roles.STAFF_ROLES - {roles.INSPECTOR})))
rules.add_perm("tickets.view_statistics", role(roles.DISPATCHER, roles.DEPT_HEAD, roles.LEADER, roles.SUPERVISOR,
                                                roles.ADMIN))
rules.add_perm("tickets.view_board", role(roles.LEADER, roles.SUPERVISOR, roles.DISPATCHER, roles.ADMIN))
rules.add_perm("tickets.export", role(roles.DISPATCHER, roles.DEPT_HEAD, roles.LEADER, roles.SUPERVISOR, roles.ADMIN))
