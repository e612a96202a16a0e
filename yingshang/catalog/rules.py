"""The checks the provincial catalogue tools apply to an item, on every save and import: a dict of the
item's elements in, ``{element: message}`` out (empty: the item may be published). No database."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

IMMEDIATE = "immediate"


def derive(v: dict) -> dict:
    """The elements that follow from others: an item that needs no visit and is not handled online is
    submitted by post (邮寄), whatever the form said."""
    out = dict(v)
    if not (out.get("visits") or 0) and not out.get("online"):
        out["by_post"] = True
    return out


def problems(v: dict) -> dict[str, str]:
    out: dict[str, str] = {}
    visits = v.get("visits") or 0
    if visits == 0 and not v.get("online") and not v.get("by_post"):
        out["by_post"] = _("An item needing no visit that is not handled online must offer postal submission.")
    if v.get("online_depth") == 4 and visits:
        out["visits"] = _("An item handled wholly online (depth Ⅳ) needs no visit to the office.")
    if v.get("online_depth") and not v.get("online"):
        out["online_depth"] = _("A depth of online handling is given only for an item handled online.")
    if visits and not (v.get("visit_reason") or "").strip():
        out["visit_reason"] = _("Say why the applicant must come to the office.")
    if v.get("charged"):
        if not (v.get("fee_basis") or "").strip():
            out["fee_basis"] = _("A charged item states the basis of its fee.")
        if not (v.get("fee_standard") or "").strip():
            out["fee_standard"] = _("A charged item states its fee standard.")
    statutory, committed = v.get("statutory_limit"), v.get("committed_limit")
    if statutory is not None and committed is not None:
        if v.get("statutory_unit") != v.get("committed_unit"):
            out["committed_unit"] = _("Give the committed limit in the statutory limit's unit.")
        elif committed > statutory:
            out["committed_limit"] = _("The committed limit cannot exceed the statutory limit.")
    if v.get("kind") == IMMEDIATE and committed:
        out["committed_limit"] = _("An immediate item is decided on the day: its committed limit is 0.")
    return out
