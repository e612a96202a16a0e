"""The yardstick for registration over HTTP: a bare Django endpoint doing one INSERT — the project's settings
and database, no middleware, no authentication, one URL (`bench/registration.py` serves it with gunicorn)."""

import os

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bare_wsgi"
from yingshang.settings import *  # noqa: E402,F401,F403  (this module is also the settings)

ROOT_URLCONF = "bench.bare_wsgi"
MIDDLEWARE: list = []

from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402


def insert(request):
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_bare (body) VALUES (%s)", [request.body.decode()])
    return HttpResponse(status=201)


urlpatterns = [path("insert/", insert)]

if os.environ.get("BENCH_BARE_SERVE"):
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
