"""The desktop face: PySide6 widgets and Qt item models over the services (the core never imports Qt)."""
