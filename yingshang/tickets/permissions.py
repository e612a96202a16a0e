"""Who may do what to a ticket. What a user may *see* is in ``selectors.tickets_visible_to``; which action
each predicate guards is in ``actions.py`` (the action table registers the ``tickets.<action>`` rules)."""

import rules

from yingshang.core import roles
from yingshang.core.permissions import role
from yingshang.directory.models import EnterpriseMember, Stewardship
from yingshang.directory.permissions import department_id_of, department_ids_of, seconded_department_ids

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
    """The user works in (or is seconded to, e.g. a task force) the department leading the ticket."""
    return ticket is not None and ticket.lead_department_id is not None \
        and ticket.lead_department_id in department_ids_of(user)


@rules.predicate
def in_co_department(user, ticket):
    depts = department_ids_of(user)
    return ticket is not None and bool(depts) and ticket.co_departments.filter(pk__in=depts).exists()


@rules.predicate
def seconded_to_lead(user, ticket):
    """A task force's member acts for it, whatever their own role."""
    return ticket is not None and ticket.lead_department_id in seconded_department_ids(user)


@rules.predicate
def is_its_sender(user, ticket):
    """The outside system (12345, an Open311 integrator) whose account filed the problem."""
    return ticket is not None and ticket.raised_by_id == user.pk and roles.has_role(user, roles.INTEGRATOR)


is_case_handler = role(roles.HANDLER, roles.DEPT_HEAD)
is_dept_head = role(roles.DEPT_HEAD)
is_dispatcher = role(roles.DISPATCHER, roles.ADMIN)
is_leader = role(roles.LEADER)
lead_worker = (is_case_handler & in_lead_department) | seconded_to_lead
case_worker = (is_case_handler & (in_lead_department | in_co_department)) | seconded_to_lead
may_decide_extension = is_dispatcher | (is_dept_head & in_lead_department)
may_call_back = is_ticket_steward | is_dispatcher
may_supervise = is_leader | role(roles.SUPERVISOR)

# --- raising a problem ------------------------------------------------------------------------------
# For any firm: dispatchers (phone, 12345, letters), leaders (on-site office), administrators. For its own
# firms: a firm's staff. For the firms they look after: a steward. One function says which firms.

RAISE_FOR_ANY = (roles.DISPATCHER, roles.LEADER, roles.ADMIN, roles.INTEGRATOR)


# Higher apps may grant a steward further firms (a visiting campaign pairs stewards with firms they do not
# steward): each grant is ``user → firm ids``.
_raise_grants: list = []


def grant_raise(grant) -> None:
    if grant not in _raise_grants:
        _raise_grants.append(grant)


def raisable_firm_ids(user) -> set[int] | None:
    """The firms ``user`` may raise problems for: ``None`` means every firm."""
    if roles.has_role(user, *RAISE_FOR_ANY):
        return None
    ids = set()
    if roles.has_role(user, roles.ENTERPRISE):
        ids |= set(EnterpriseMember.objects.filter(user=user, active=True).values_list("enterprise_id", flat=True))
    if roles.has_role(user, roles.STEWARD):
        ids |= set(Stewardship.objects.filter(ended_on__isnull=True, steward=user).values_list("enterprise_id",
                                                                                               flat=True))
        for grant in _raise_grants:
            ids |= grant(user)
    return ids


@rules.predicate
def may_raise_for(user, enterprise):
    if enterprise is None:
        return roles.has_role(user, roles.ENTERPRISE, roles.STEWARD, *RAISE_FOR_ANY)
    ids = raisable_firm_ids(user)
    return ids is None or enterprise.pk in ids


# The channels each role registers problems through; the first is the default.
CHANNELS_BY_ROLE = {
    roles.ADMIN: ("phone", "web", "steward", "onsite", "letter", "hotline"),
    roles.DISPATCHER: ("phone", "letter", "hotline", "web"),
    roles.LEADER: ("onsite", "phone"),
    roles.STEWARD: ("steward", "phone"),
    roles.ENTERPRISE: ("web",),
    roles.INTEGRATOR: ("api", "hotline"),  # which of the two is the integrator's kind (interop.services)
}


def channels_for(user) -> list[str]:
    """The channels ``user`` may register a problem through, the usual one first."""
    out: list[str] = []
    for role_name, channels in CHANNELS_BY_ROLE.items():
        if roles.has_role(user, role_name):
            out += [c for c in channels if c not in out]
    return out


rules.add_perm("tickets.raise", may_raise_for)
rules.add_perm("tickets.view_ledger", role(*(roles.STAFF_ROLES - {roles.INSPECTOR})))
rules.add_perm("tickets.view_statistics", role(roles.DISPATCHER, roles.DEPT_HEAD, roles.LEADER, roles.SUPERVISOR,
                                                roles.ADMIN))
rules.add_perm("tickets.view_board", role(roles.LEADER, roles.SUPERVISOR, roles.DISPATCHER, roles.ADMIN))
rules.add_perm("tickets.export", role(roles.DISPATCHER, roles.DEPT_HEAD, roles.LEADER, roles.SUPERVISOR, roles.ADMIN))
rules.add_perm("tickets.dispatch_bulk", is_dispatcher)
