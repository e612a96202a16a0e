"""Who may read the cockpit and act on its reports (DESIGN.md §1): leaders, the supervision office and
administrators. What it shows is the whole zone; nothing of a single firm's problems reaches the public."""

import rules

from yingshang.core import roles
from yingshang.core.permissions import role

may_read = role(roles.LEADER, roles.SUPERVISOR, roles.ADMIN)


@rules.predicate
def subscribes(user, subscription):
    return subscription is not None and subscription.user_id == user.pk


rules.add_perm("dashboard.view_cockpit", may_read)
