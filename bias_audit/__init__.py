"""bias-audit: find and remove bias in NHS recruitment."""

__version__ = "0.1.0"
