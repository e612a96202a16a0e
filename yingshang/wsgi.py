import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yingshang.settings")
application = get_wsgi_application()
# What start-up loaded stays put: the collector no longer walks it, and forked workers share its pages.
gc.freeze()
