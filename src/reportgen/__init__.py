"""reportgen: annual reports for small NGOs, from a folder of data and Markdown.

The package is a pipeline of small stages (see ``pipeline``); this module only
names the version, which also keys the build cache.
"""

from __future__ import annotations

__version__ = "0.1.0"
