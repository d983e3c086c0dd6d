"""The client's address, as every throttle sees it."""

from allauth.account.adapter import get_adapter
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address the outermost trusted proxy saw (ALLAUTH_TRUSTED_PROXY_COUNT), else the peer's.

    django-axes (AXES_CLIENT_IP_CALLABLE) and allauth's rate limits both use this, so a lockout and
    a rate limit always count the same client.
    """
    try:
        return get_adapter().get_client_ip(request)
    except PermissionDenied:
        # No address to count by: a request made in code (a test's force_login), or one that
        # skipped the proxies, which allauth's own limits then refuse with a 403 (accounts.adapter).
        return None
