"""Data files shipped with the app (lab test catalogue); read with importlib.resources."""
