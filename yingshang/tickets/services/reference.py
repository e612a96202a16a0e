"""Reference data of the ledger: the category tree it starts with (administrators edit it afterwards)."""

from ..defaults import DEFAULT_TREE
from ..models import Category


def categories_ensure_defaults() -> int:
    """Create the default category tree where it is missing (idempotent); returns how many were created."""
    created = 0
    for order, (top, children) in enumerate(DEFAULT_TREE):
        parent, new = Category.objects.get_or_create(name=top, parent=None, defaults={"sort_order": order * 10})
        created += new
        for i, child in enumerate(children):
            created += Category.objects.get_or_create(name=child, parent=parent, defaults={"sort_order": i})[1]
    return created
