"""newsloom: raw multilingual news in, traceable knowledge out."""

__version__ = "0.1.0"
