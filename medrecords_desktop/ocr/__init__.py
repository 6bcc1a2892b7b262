"""Offline text recognition of scans and photos of paper records (no Qt, no network)."""
