"""``/metrics`` in Prometheus' text format, for the monitoring network only (``METRICS_ALLOWED_NETWORKS``):
request latency by view, the job queue (waiting, failed, the oldest waiting), how long each sweep last took, and
the database connection pool when one is configured.

Request latency is counted in each process; under gunicorn with several workers set
``PROMETHEUS_MULTIPROC_DIR`` (an empty directory, cleared at start) so that every worker's counts are summed
(deploy/gunicorn.conf.py does). The rest is read from the database and the shared cache when scraped."""

from __future__ import annotations

import ipaddress
import os
import time

from django.conf import settings
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
REQUESTS = Histogram("yingshang_request_duration_seconds", "Time to answer a request, by view",
                     ["view", "method", "status"], buckets=BUCKETS)
SWEEP_KEY = "metrics:sweep:"


def client_address(request) -> str:
    """The address the request came from: behind ``PROXY_COUNT`` proxies, the one they say they were asked by."""
    proxies = int(os.environ.get("PROXY_COUNT", "0") or 0)
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def allowed(request) -> bool:
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(n, strict=False) for n in settings.METRICS_ALLOWED_NETWORKS)


class MetricsMiddleware:
    """Times every request under its view's name (``unmatched`` when no URL matched)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unmatched"
        REQUESTS.labels(view[:80], request.method if request.method in ("GET", "POST", "HEAD", "PUT", "PATCH",
                                                                          "DELETE", "OPTIONS") else "other",
                        f"{response.status_code // 100}xx").observe(time.perf_counter() - start)
        return response


def sweep_timed(name: str, seconds: float) -> None:
    """The sweep says how long one of its parts took (kept in the shared cache for the scrape)."""
    from django.core.cache import cache

    cache.set(SWEEP_KEY + name, {"seconds": seconds, "at": time.time()}, None)


class StateCollector:
    """What is read when scraped: the jobs by state and the oldest waiting one, the sweeps' last durations, the
    connection pool."""

    def collect(self):
        from django.core.cache import cache
        from django.db import connection
        from django.db.models import Min
        from django.utils import timezone

        from . import hooks, jobs
        from .models import Job

        states = GaugeMetricFamily("yingshang_jobs", "Background jobs by state", labels=["state"])
        counts = jobs.counts()
        for state in Job.State.values:
            states.add_metric([state], counts.get(state, 0))
        yield states
        oldest = Job.objects.filter(state=Job.State.PENDING).aggregate(t=Min("run_after"))["t"]
        yield GaugeMetricFamily("yingshang_jobs_oldest_waiting_seconds", "How long the oldest due job has waited",
                                value=max(0.0, (timezone.now() - oldest).total_seconds()) if oldest else 0.0)
        sweeps = GaugeMetricFamily("yingshang_sweep_duration_seconds", "How long each part of the last sweep took",
                                   labels=["sweep"])
        ages = GaugeMetricFamily("yingshang_sweep_last_run_timestamp_seconds", "When each part of the sweep last ran",
                                 labels=["sweep"])
        names = [name for name, _fn in hooks.sweeps()]
        found = cache.get_many([SWEEP_KEY + n for n in names])
        for name in names:
            if (v := found.get(SWEEP_KEY + name)) is not None:
                sweeps.add_metric([name], v["seconds"])
                ages.add_metric([name], v["at"])
        yield sweeps
        yield ages
        pool = getattr(connection, "pool", None)
        if pool is not None:
            stats = pool.get_stats()
            family = GaugeMetricFamily("yingshang_db_pool", "The database connection pool of this process",
                                       labels=["figure"])
            for key in ("pool_size", "pool_available", "requests_waiting", "connections_num", "requests_num"):
                family.add_metric([key], stats.get(key, 0))
            yield family


def render() -> tuple[bytes, str]:
    """The exposition: the requests (every worker's, in multi-process mode) and the state read now."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        requests_registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(requests_registry)
    else:
        requests_registry = REGISTRY
    state = CollectorRegistry()
    state.register(StateCollector())
    return generate_latest(requests_registry) + generate_latest(state), CONTENT_TYPE_LATEST
