"""Patient portals: SMART on FHIR patient access (standalone launch, PKCE, loopback redirect) and sync.

- ``smart``: discovery, the authorization request, the loopback listener, token exchange and refresh.
- ``client``: ``FhirClient``, the resilient REST client (refresh on 401, Retry-After, backoff, TLS on).
- ``sync``: ``sync_patient``, which reads a patient's records page by page into a caller's sink.

No Qt and no vault here.  The services layer wires it up, roughly::

    config = smart.discover(fhir_base)                       # store config.to_dict() with the account
    tokens = smart.sign_in(config, CLIENT_ID, opener)        # opener: QDesktopServices / printing_opener()
    save(tokens.to_dict())                                   # encrypted household database only
    with FhirClient(config, tokens, CLIENT_ID, on_tokens=lambda t: save(t.to_dict())) as client:
        result = sync_patient(client, tokens.patient, account.high_water_mark,
                              sink=lambda resources, info: import_page(resources, info),  # 1 transaction
                              progress=report, cancel=cancel_event)
    account.high_water_mark = result.high_water_mark        # only after a complete sync

``NeedsSignIn`` means: mark the account "sign in again" and run ``sign_in`` when the person asks.
"""
