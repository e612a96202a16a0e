"""Where the demo's firms and projects are on the zone's map: a point inside one of the map's areas, the
same for the same key every time."""

import hashlib
import random
from decimal import Decimal

from yingshang.core import geo


def place(key: str) -> tuple[Decimal, Decimal]:
    features = geo.zone_map()["features"]
    rng = random.Random(int(hashlib.sha256(key.encode()).hexdigest()[:12], 16))
    feature = rng.choice(features)
    xs = [p[0] for r in geo.rings(feature) for p in r]
    ys = [p[1] for r in geo.rings(feature) for p in r]
    for _ in range(200):
        x, y = rng.uniform(min(xs), max(xs)), rng.uniform(min(ys), max(ys))
        if geo.area_of(x, y, [feature]):
            break
    return Decimal(f"{x:.6f}"), Decimal(f"{y:.6f}")


def place_firms() -> int:
    """Every firm without a place gets one (through the directory's service, audited)."""
    from yingshang.directory import services
    from yingshang.directory.models import Enterprise

    n = 0
    for ent in Enterprise.objects.filter(lng__isnull=True).order_by("pk"):
        lng, lat = place(ent.uscc)
        services.enterprise_locate(actor=None, enterprise=ent, lng=lng, lat=lat)
        n += 1
    return n
