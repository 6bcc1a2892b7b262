"""Developer tools (screenshots); not part of the app's runtime."""
