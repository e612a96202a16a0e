"""/metrics: Prometheus' text format, for the monitoring network only — request latency by view, the jobs by
state, the sweeps' durations."""

from io import StringIO

import pytest
from django.core.management import call_command

from yingshang.core.models import Job


@pytest.mark.django_db
def test_metrics_for_the_monitoring_network_only(client, settings):
    client.get("/healthz")
    Job.objects.create(name="x", state=Job.State.FAILED)
    call_command("sweep", stdout=StringIO())
    r = client.get("/metrics")  # the test client comes from 127.0.0.1
    assert r.status_code == 200 and r["Content-Type"].startswith("text/plain")
    body = r.content.decode()
    assert 'yingshang_request_duration_seconds_count{method="GET",status="2xx",view="healthz"}' in body
    assert 'yingshang_jobs{state="failed"} 1.0' in body
    assert 'yingshang_sweep_duration_seconds{sweep="tickets"}' in body
    settings.METRICS_ALLOWED_NETWORKS = ["10.8.0.0/16"]
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="10.8.3.4").status_code == 200


@pytest.mark.django_db
def test_behind_a_proxy_the_forwarded_address_counts(client, settings, monkeypatch):
    monkeypatch.setenv("PROXY_COUNT", "1")
    settings.METRICS_ALLOWED_NETWORKS = ["10.8.0.0/16"]
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 403  # nginx on 127.0.0.1
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="10.8.0.7").status_code == 200
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="10.8.0.7, 203.0.113.9").status_code == 403


def test_a_pooled_database_connection_is_a_setting():
    """DB_POOL_MAX turns psycopg's pool on (read by a fresh process, as a server reads its environment)."""
    import json
    import os
    import subprocess
    import sys

    code = ("import json, django; from django.conf import settings; django.setup(); "
            "d = settings.DATABASES['default']; print(json.dumps([d['CONN_MAX_AGE'], d['OPTIONS'].get('pool')]))")
    env = {**os.environ, "DATABASE_URL": "postgres://u@127.0.0.1:5432/x", "DB_POOL_MAX": "8",
           "DJANGO_SETTINGS_MODULE": "yingshang.settings", "DEBUG": "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [0, {"min_size": 1, "max_size": 8, "timeout": 10.0}]
    env.pop("DB_POOL_MAX")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert json.loads(out)[1] is None
