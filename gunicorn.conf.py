"""gunicorn settings for production (``gunicorn -c gunicorn.conf.py helhedsplan.wsgi``)."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))  # PDF exports of a whole plan
# No max_requests: with gthread workers a max-requests restart resets keep-alive connections that
# are mid-request (gunicorn issue #3038, still open), which the load test saw as failed page loads.
max_requests = 0
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
