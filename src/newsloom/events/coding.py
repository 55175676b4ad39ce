"""What an event amounts to in PLOVER's coding of a statement, mode included.

The events table keeps the action and its mode apart ("will withdraw" is RETREAT, planned), which
is what a reader filtering actions needs. PLOVER (like CAMEO before it) codes the statement
instead: announcing a cooperative action is an AGREE (intent to cooperate), announcing or
conditioning a hostile one is a THREATEN, asking for any action is a DEMAND, and refusing a
cooperative one is a REJECT. ``plover_code`` gives that reading, for comparisons with
PLOVER-coded data.
"""

from __future__ import annotations

from newsloom.models import EventMention

COOPERATIVE = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"})
HOSTILE = frozenset({"ASSAULT", "FIGHT", "COERCE", "SANCTION", "PROTEST", "MOBILIZE"})


def plover_code(event: EventMention) -> str:
    """The PLOVER type of the statement an event mention makes."""
    if event.mode == "demanded":
        return "DEMAND"
    if event.negated and event.type in COOPERATIVE:
        return "REJECT"
    if event.mode == "planned" and event.type in COOPERATIVE:
        return "AGREE"
    if event.mode in ("planned", "hypothetical") and event.type in HOSTILE and not event.negated:
        return "THREATEN"
    return event.type
