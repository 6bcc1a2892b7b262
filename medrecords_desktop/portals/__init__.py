"""Patient portals: SMART on FHIR patient access (standalone launch, PKCE, loopback redirect) and sync.

- ``smart``: discovery, the authorization request, the loopback listener, token exchange and refresh.
- ``client``: ``FhirClient``, the resilient REST client (refresh on 401, Retry-After, backoff, TLS on).
- ``sync``: ``sync_patient``, which reads a patient's records page by page into a caller's sink.

No Qt and no vault here: the services layer stores accounts and tokens (``SmartConfiguration.to_dict``,
``TokenSet.to_dict``, ``FhirClient(on_tokens=...)``) in the encrypted household database and passes each
page from the sink to the importer, one transaction per page.
"""
