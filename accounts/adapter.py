from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ImproperlyConfigured, PermissionDenied


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        """allauth's reading of X-Forwarded-For, with a 403 instead of a 500 for a request that
        names fewer hops than DJANGO_PROXY_COUNT (it did not come through the proxies)."""
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            raise PermissionDenied("X-Forwarded-For names fewer addresses than the proxies in front") from None
