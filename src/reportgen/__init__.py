"""reportgen: annual reports for small NGOs, from a folder of data and Markdown.

The package is a pipeline of stages, one package each, in the order data flows:
``core``, ``reading``, ``composing``, ``typesetting``, ``writing``, ``commands``
(``commands.build`` runs them). This module only names the version, which
also keys the build cache.
"""

from __future__ import annotations

__version__ = "0.1.0"
