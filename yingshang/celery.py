"""The Celery application of the worker: ``celery -A yingshang worker`` (deploy/yingshang-worker.service).
Its settings are Django's ``CELERY_*``; the jobs themselves are in ``core.jobs``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yingshang.settings")

app = Celery("yingshang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["yingshang.core"])
