# gunicorn settings for yingshang: `gunicorn -c deploy/gunicorn.conf.py yingshang.wsgi`
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = 60
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# /metrics sums every worker's request counts through files in this directory (emptied at start).
prometheus_dir = os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", f"/tmp/yingshang-metrics-{os.getpid()}")


def on_starting(server):
    import shutil

    shutil.rmtree(prometheus_dir, ignore_errors=True)
    os.makedirs(prometheus_dir, exist_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
