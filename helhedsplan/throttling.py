"""Login throttling with django-axes (settings: ``AXES_*`` in ``helhedsplan/settings.py``)."""

from axes.backends import AxesStandaloneBackend


class LoginThrottlingBackend(AxesStandaloneBackend):
    """Refuses logins for a username/IP pair after repeated failures.

    Every login through the web passes the request. Authentication without a request (management
    commands, ``Client.login`` in tests) has no client to throttle and is passed on to the next
    backend instead of failing with axes' "request required" error.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
