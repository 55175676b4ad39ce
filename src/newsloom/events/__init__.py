"""Sentence-level events: who did what to whom, where and when, typed with PLOVER.

The ``events`` stage (:mod:`newsloom.events.stage`) reads each sentence in its own language with
that language's trigger words and cues (``resources/lang/<iso>/events.yaml``, see
:mod:`newsloom.events.lexicon`), and ties each event to the document's linked entities, dates
and quantities (:mod:`newsloom.events.extract`). Adding a language means adding its
``events.yaml``: no code changes.
"""
