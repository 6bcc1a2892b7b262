"""Entry point PyInstaller freezes: the same ``medrecords`` command the pip install provides."""

import multiprocessing
import sys

from medrecords_desktop.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # harmless when unused; needed if a library ever spawns workers
    sys.exit(main())
