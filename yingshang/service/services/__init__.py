"""Every write of 万人助万企. Each checks who may act first, then the record's state, then what was sent; writes in
one transaction; appends one event."""

from .financing import (bank_read_file, consent_grant, consent_revoke, match_approve, match_contact,  # noqa: F401
                        match_decline, match_diligence, match_lend, matches_suggest, meeting_create, need_register,
                        need_withdraw, product_eligible, product_save)
from .policies import (POLICY_FIELDS, application_accept, application_approve, application_deny,  # noqa: F401
                       application_pay, application_submit, application_withdraw, applications_sweep,
                       conditions_clean, facts_set, payout_approve, payout_pay, payout_prepare, policy_create,
                       policy_publish, policy_push, policy_update, policy_withdraw)
from .visits import (campaign_assign, campaign_create, visit_annotate, visit_confirm, visit_edit,  # noqa: F401
                     visit_record)
from .taskforces import (supply_add, supply_update, taskforce_close, taskforce_create,  # noqa: F401
                         taskforce_members_set)
