"""Errors a person can act on while connecting to or syncing a patient portal.

Each face shows ``str(exc)``; the messages say what happened and what to do.  None of them carries a
token, a response body or any health data.
"""

from __future__ import annotations

from ..errors import MedRecordsError


class PortalError(MedRecordsError):
    """Base of every portal problem a person can act on."""


class PortalDiscoveryFailed(PortalError):
    """The address does not lead to a SMART on FHIR server we can sign in to."""

    def __init__(self, base: str, why: str) -> None:
        self.base, self.why = base, why
        super().__init__(f"Could not find how to sign in to {base}: {why}")


class PkceNotSupported(PortalError):
    def __init__(self, base: str, methods: list[str]) -> None:
        self.base, self.methods = base, methods
        offered = ", ".join(methods) if methods else "none"
        super().__init__(
            f"The portal at {base} does not offer PKCE with S256 (it offers: {offered}); signing in "
            "without it would let another program on this computer steal the sign-in, so MedRecords refuses."
        )


class AuthorizationFailed(PortalError):
    """Sign-in did not complete: refused, timed out, or the answer did not match our request."""


class NeedsSignIn(PortalError):
    """The portal no longer accepts our refresh token: the person must sign in again."""

    def __init__(self, base: str, why: str = "the saved sign-in has expired or was revoked") -> None:
        self.base = base
        super().__init__(f"The portal at {base} needs you to sign in again ({why}).")


class PortalUnavailable(PortalError):
    """Gave up after retries (5xx, timeouts, dropped connections, or a Retry-After beyond our bound)."""

    def __init__(self, base: str, why: str, retry_after: float | None = None) -> None:
        self.base, self.why, self.retry_after = base, why, retry_after
        later = f" The portal asks to wait {retry_after:.0f} s." if retry_after else ""
        super().__init__(f"The portal at {base} is not answering properly ({why}). Try again later.{later}")


class PortalTLSError(PortalError):
    """The secure connection could not be verified; never retried, never bypassed."""

    def __init__(self, url: str, why: str) -> None:
        self.url = url
        super().__init__(
            f"The secure connection to {url} could not be verified ({why}). MedRecords does not connect "
            "to portals whose certificate it cannot check."
        )


class PortalInsecureURL(PortalError):
    def __init__(self, url: str) -> None:
        self.url = url
        super().__init__(
            f"{url} is not an https address. MedRecords only talks to portals over verified HTTPS "
            "(plain http is allowed for this computer's own test servers only)."
        )


class PortalResponseError(PortalError):
    """The portal answered with something we cannot use (bad JSON, an unexpected status)."""

    def __init__(self, url: str, why: str, status: int | None = None) -> None:
        self.url, self.why, self.status = url, why, status
        code = f" (HTTP {status})" if status is not None else ""
        super().__init__(f"Unexpected answer from {url}{code}: {why}")
