"""Every write to the catalogue, one business action per function: each locks its record, checks who may
act and then the state (``actions.py``), validates, writes and appends its event.

- ``items`` — publishing an item (a new version whenever anything changed), the item types, import/export;
- ``applications`` — 办件 from submission to delivery, 容缺 and 告知承诺, revocation;
- ``bundles`` — 一件事一次办;
- ``ratings`` — 好差评 and the 差评 workflow;
- ``registrations`` — 证照分离 · 双告知: registrations, the permits a scope needs, claims;
- ``sweep`` — missing materials not supplied, deadlines near and past."""

from .applications import (application_accept, application_approve, application_deliver,  # noqa: F401
                           application_deny, application_refuse, application_request_correction,
                           application_resubmit, application_resume, application_revoke, application_submit,
                           application_supply, application_suspend, application_terminate, form_values)
from .bundles import (bundle_apply, bundle_define, bundle_members, merged_form, merged_materials,  # noqa: F401
                      on_application_finished)
from .items import (COLUMNS, CONTENT_FIELDS, ITEM_TYPES, MATERIAL_FIELDS, export_rows, item_publish,  # noqa: F401
                    item_types_ensure_defaults, items_import)
from .ratings import (rating_appeal, rating_call_back, rating_decide_appeal, rating_reply,  # noqa: F401
                      rating_rerate, rating_submit)
from .registrations import (claim_claim, claims_sweep, registration_record, registrations_import,  # noqa: F401
                            scope_items)
from .sweep import catalog_sweep  # noqa: F401
