"""OAuth 2.0 token revocation (RFC 7009): tell the portal a saved sign-in is no longer wanted.

Used when a portal is removed and when a user's access to the person is revoked, so a refresh token
copied out of the vault earlier stops working at the portal too.  A portal without a revocation
endpoint (it is optional in SMART) cannot be told: the caller says so.
"""

from __future__ import annotations

import httpx

from .smart import SmartConfiguration, TokenSet


def revoke_tokens(
    config: SmartConfiguration,
    tokens: TokenSet,
    client_id: str,
    timeout: float = 10.0,
    http: httpx.Client | None = None,
) -> str:
    """'revoked', 'no endpoint', or 'failed: <why>' (never raises for the portal's answer)."""
    endpoint = config.revocation_endpoint
    if not endpoint:
        return "no endpoint"
    if not endpoint.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        return "failed: the revocation endpoint is not https"
    client = http or httpx.Client(timeout=timeout, follow_redirects=False)
    try:
        for token, hint in ((tokens.refresh_token, "refresh_token"), (tokens.access_token, "access_token")):
            if not token:
                continue
            r = client.post(endpoint, data={"token": token, "token_type_hint": hint, "client_id": client_id})
            if r.status_code != 200:  # RFC 7009 2.2: 200 also for tokens the server no longer knows
                return f"failed: HTTP {r.status_code}"
        return "revoked"
    except httpx.HTTPError as e:
        return f"failed: {type(e).__name__}"
    finally:
        if http is None:
            client.close()
