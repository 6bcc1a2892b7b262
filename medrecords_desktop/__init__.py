"""MedRecords Desktop: an offline, encrypted personal health records manager for a family."""

__version__ = "0.1.0"
