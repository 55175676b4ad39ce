"""Per-document stages: the stage protocol and the default pipeline."""
