"""Login throttling with django-axes (settings: ``AXES_*`` and ``LOGIN_ADDRESS_FAILURE_LIMIT``).

Two limits, each counted over the cool-off window (``AXES_COOLOFF_TIME``), with
``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]``:

* ``AXES_FAILURE_LIMIT`` failed logins for one username from one client address lock that pair
  only. The same user can still log in from another address, so nobody can lock a colleague out
  from elsewhere.
* ``LOGIN_ADDRESS_FAILURE_LIMIT`` failed logins from one address, whatever the usernames, lock the
  address for every username (password spraying).

Axes compares one number with one limit (``AXES_FAILURE_LIMIT``); ``LoginThrottlingHandler`` gives
the address on its own its higher limit. The client address comes from django-ipware as configured
by ``AXES_IPWARE_*`` (behind the reverse proxy: ``settings_production``).
"""

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

ADDRESS = "ip_address"


class LoginThrottlingBackend(AxesStandaloneBackend):
    """Refuses logins while the username/address pair or the address is locked.

    Every login through the web passes the request. Authentication without a request (management
    commands, ``Client.login`` in tests) has no client to throttle and is passed on to the next
    backend instead of failing with axes' "request required" error.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LoginThrottlingHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit of its own for the address alone."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """The failures axes compares with ``AXES_FAILURE_LIMIT`` for this login.

        Combined parameters (username + address) count as they are. The address alone counts only
        once it reaches ``LOGIN_ADDRESS_FAILURE_LIMIT``, and then as a lockout. Sets
        ``request.axes_address_locked`` for the lockout page.
        """
        limit = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        request.axes_address_locked = False
        failures = 0
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if parameter == ADDRESS:
                request.axes_address_locked = count >= settings.LOGIN_ADDRESS_FAILURE_LIMIT
                count = max(count, limit) if request.axes_address_locked else 0
            failures = max(failures, count)
        return failures

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """After a successful login, forget that user's failures from this address, and only those.

        Axes would reset every lockout parameter, so one account of their own would let a password
        sprayer wipe the address's failures for all the other usernames.
        """
        count, _ = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials), ip_address=request.axes_ip_address
        ).delete()
        return count


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """The Danish lockout page (``AXES_LOCKOUT_CALLABLE``): says whether the address is locked."""
    context = {"address_locked": getattr(request, "axes_address_locked", False)}
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE)
