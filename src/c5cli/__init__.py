"""c5: an offline, cited reference on the US-Central Asia C5+1 format and its Critical Minerals Dialogue."""

__version__ = "0.1.0"
