"""Who is asking: the client's address, also when Tawasul runs behind proxies."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The visitor's IP address.

    Behind ``TAWASUL_PROXY_COUNT`` trusted proxies (nginx, a load balancer), each proxy
    appends the address it saw to X-Forwarded-For, so the client is that many entries
    from the right; entries further left are whatever the client claimed and are never
    trusted. With no proxies, REMOTE_ADDR is the client.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TAWASUL_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
