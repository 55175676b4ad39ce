"""Named entity recognition: PER / ORG / LOC / MISC mentions with character spans.

- ``stage.EntityRecognizer``: the ``ner`` pipeline stage (per sentence, model per language).
- ``model``: the taggers (shipped CRFs, spaCy for English, a capitalisation fallback).
- ``e5ner``: a token-classification head on the shipped multilingual-e5-small encoder (tuned
  top layers + head in ``models/e5ner.npz``; one model for every language), chosen by
  ``[ner] model``.
- ``features``: tokens with offsets and the CRF features.
- ``train``: ``train(lang, out)`` and ``python -m newsloom.ner.train`` reproduce the shipped
  weights in ``ner/models`` (see ``models/MODELS.md`` for data, licences and scores).
"""
