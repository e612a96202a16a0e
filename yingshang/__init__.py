"""yingshang (营商): the operating platform of a development zone's enterprise service."""

__version__ = "0.1.0"
