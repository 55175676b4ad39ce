"""Offline multilingual embeddings: see ``newsloom.embed.encoder``."""

from newsloom.embed.encoder import (
    DEFAULT_ENCODER,
    DEFAULT_MAX_CHARS,
    ENCODERS,
    Encoder,
    EncoderUnavailable,
    embed_text,
    get_encoder,
    text_hash,
)

__all__ = [
    "DEFAULT_ENCODER",
    "DEFAULT_MAX_CHARS",
    "ENCODERS",
    "Encoder",
    "EncoderUnavailable",
    "embed_text",
    "get_encoder",
    "text_hash",
]
