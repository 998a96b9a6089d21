"""The client's address, decided in one place for lockout, audit and throttling alike."""

from django.conf import settings


def client_ip(request) -> str:
    """The address of the client as seen by the first proxy we trust.

    With TRUSTED_PROXY_COUNT=N, the last N entries of X-Forwarded-For were written by our
    own proxies; the entry they appended first (the N-th from the end) is the client. Entries
    before it were sent by the client and can be forged, so they are never used.
    """
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxy_count = settings.TRUSTED_PROXY_COUNT
    if proxy_count <= 0:
        return remote_addr
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return remote_addr
    return forwarded[-min(proxy_count, len(forwarded))]
