"""Importing this package registers every public event of every bounded context.

Each context keeps its events in its own module here (`identity`, `orders`, ...); add the
module to the import list below when it appears.
"""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
