"""Events in one sentence: trigger words typed with PLOVER, their mode, and who did it to whom.

Decisions (tested in tests/events/):

- **Triggers** come from the sentence's language file (``resources/lang/<iso>/events.yaml``),
  matched on the original words: no translation. Each trigger gives one event; ``ignore``
  patterns ("heart attack") block the triggers they overlap. A trigger inside an entity mention
  ("Amnesty International"), glued by a hyphen to the word before it ("Russian-backed"), or
  pointing back to an event already told ("this agreement", "kesepakatan ini": ``anaphora_*``)
  gives none; nor does a death or injury word (``outcome_triggers``) in a sentence that names a
  natural or accidental cause (``disaster_words``: "floods killed 12" is no ASSAULT).
- **Mode** is read from the nearest cue among the ``cue_window`` words before the trigger, in
  the same clause (a comma, semicolon, colon, bracket or quote ends the search, and so does another
  trigger unless it is the cue itself): "will withdraw" planned, "demanded a withdrawal"
  demanded, "denied withdrawing" denied, "if they withdraw" hypothetical, "agreed to withdraw"
  planned (the AGREE of "agreed" is an event of its own, asserted). A future prefix on the verb
  (Arabic "ستنسحب") or a future ending (``future_suffixes``: Spanish "retirará", Italian
  "ritirerà") makes it planned.
- **Negated** when a negation pattern ("not", "tidak", "لم", "refused to") stands among the
  ``negation_window`` words before the trigger in the same clause.
- **Actor** is the nearest linked entity before the trigger, **target** the nearest after it,
  within the clause bounded by reporting words ("said", "kata", "قال"; and on the actor's side
  by ``complementizers``: "that", "bahwa", "أن", so the speaker is not the doer). A place after
  a locative preposition ("in Gaza", "di Jakarta", "في غزة") or glued to a locative clitic
  ("بالقاهرة") is never the actor or target but the **location** (else the first place of the
  sentence that is neither). Passive triggers
  ("was arrested", "ditangkap") turn the entity before into the target and take the actor from
  an agent phrase ("by", "oleh", "من قبل"). In languages where the doer follows the verb
  (``subject_after_verb``: Arabic), a trigger with no entity before it takes the first entity
  after it as the actor and the next as the target.
- **Date**: the date mention of the sentence nearest the trigger; else, for asserted and denied
  events, the publication date (what a news report of a past event means by default); else null.
- **Quantities**: every quantity mention inside the sentence.
- **Bounded**: sentences over ``MAX_SENTENCE_CHARS`` are skipped (a 10,000-word "sentence" is a
  table or a run-on page, never a reliable clause); so are sentences of fewer than
  ``MIN_WORDS`` words, those with several line breaks or table bars (lists and tables), those
  matching the ``boilerplate`` patterns, and those made mostly of non-letters. At most
  ``MAX_EVENTS_PER_SENTENCE`` events a sentence. All work is linear in the sentence.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass

from newsloom.events.countries import CountryResolver, alpha3
from newsloom.events.lexicon import Lexicon, Match, Token, tokenize
from newsloom.models import DateMention, EntityMention, EventMention, Quantity

MAX_SENTENCE_CHARS = 1000
MIN_WORDS = 3
MAX_EVENTS_PER_SENTENCE = 6
ARGUMENT_WORDS = 20  # an actor or target at most this many words from its trigger
MODIFIER_WORDS = 3  # words between a country or nationality and the name it qualifies ("Israeli Premier")
NATIONALITY_WORDS = 6  # a nationality word ("Serb forces") at most this many tokens from its trigger
CLAUSE_BREAKS = frozenset(",;:()[]{}\"“”«»„‚‘?!،؛؟")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass(slots=True)
class SentenceContext:
    """What the extractor reads from a document around one sentence."""

    doc_id: str
    text: str
    entities: list[EntityMention]
    dates: list[DateMention]
    quantities: list[Quantity]
    published: str | None


def skip_reason(sentence: str, toks: list[Token], lex: Lexicon) -> str | None:
    """Why a sentence is not read for events, or None."""
    if len(sentence) > MAX_SENTENCE_CHARS:
        return "long"
    words = sum(1 for t in toks if t.word)
    if words < MIN_WORDS:
        return "short"
    if sentence.count("\n") >= 2 or sentence.count("|") >= 2 or "\t" in sentence:
        return "list"
    letters = sum(ch.isalpha() for ch in sentence)
    if letters < 0.5 * len(sentence.replace(" ", "")):
        return "not_prose"
    if any(p.search(sentence) for p in lex.boilerplate):
        return "boilerplate"
    return None


def event_id(doc_id: str, trigger_start: int, trigger_end: int, typ: str) -> str:
    key = f"{doc_id}|{trigger_start}|{trigger_end}|{typ}"
    return hashlib.sha256(key.encode()).hexdigest()[:20]


def _clause_start(toks: list[Token], i: int) -> int:
    """Index of the first token of the clause holding token ``i`` (after the last break before it)."""
    j = i - 1
    while j >= 0:
        if not toks[j].word and toks[j].key in CLAUSE_BREAKS:
            return j + 1
        j -= 1
    return 0


def find_events(
    ctx: SentenceContext, start: int, end: int, lex: Lexicon, countries: CountryResolver | None = None
) -> tuple[list[EventMention], str | None]:
    """Events of the sentence ``ctx.text[start:end]``, and why it was skipped (None when read)."""
    if not isinstance(ctx.text, str) or lex.empty:
        return [], None
    sentence = ctx.text[start:end]
    if len(sentence) > MAX_SENTENCE_CHARS:
        return [], "long"
    toks = tokenize(sentence, start)
    reason = skip_reason(sentence, toks, lex)
    if reason:
        return [], reason
    inside = _entity_tokens(ctx.entities, start, end, toks)
    told = {a.last for a in lex.anaphora_before.find(toks)}  # "this agreement": an event told before
    told_after = {a.first for a in lex.anaphora_after.find(toks)}  # "kesepakatan ini", "الاتفاق هذا"
    triggers = [m for m in lex.triggers.find(toks)
                if m.label and m.first not in inside and not _compound(toks, m.first)
                and m.first not in told and m.last not in told_after]
    if triggers and lex.disaster_words.find(toks):  # "floods killed 12": deaths with no doer
        outcomes = {o.first for o in lex.outcome_triggers.find(toks)}
        triggers = [m for m in triggers if m.first not in outcomes]
    if not triggers:
        return [], None
    cues = lex.modes.find(toks)
    negs = lex.negation.find(toks)
    reports = lex.reporting.find(toks)
    openers = lex.complementizers.find(toks)
    preps = lex.location_prepositions.find(toks)
    agents = lex.agent_markers.find(toks)
    auxes = lex.passive_auxiliaries.find(toks)
    starts = [t.start for t in toks]
    trig_at = {i for m in triggers for i in range(m.first, m.last)}
    cue_at = {i: c for c in cues for i in range(c.first, c.last)}

    ents = _arguments(ctx.entities, start, end, toks, starts, preps, lex.location_clitics)
    countries = countries or CountryResolver()
    out: list[EventMention] = []
    for m in triggers[:MAX_EVENTS_PER_SENTENCE]:
        clause = _clause_start(toks, m.first)
        mode = _mode(m, toks, clause, lex, cue_at, trig_at)
        negated = _negated(m, toks, clause, lex, negs, trig_at, cue_at)
        passive = m.passive or any(a.last in (m.first, m.first - 1) for a in auxes)
        actor, target = _actor_target(m, toks, ents, reports, openers, agents, passive, lex)
        location = _location(ents, actor, target, m, toks)
        t_start, t_end = toks[m.first].start, toks[m.last - 1].end
        actor_country, target_country = _countries(actor, target, m, toks, ents, reports, openers, inside,
                                                   countries, lex)
        out.append(EventMention(
            event_mention_id=event_id(ctx.doc_id, t_start, t_end, m.label),
            start=start, end=end, text=sentence, type=m.label,
            actor=actor.mention.entity_id if actor else None,
            target=target.mention.entity_id if target else None,
            location=location.mention.entity_id if location else None,
            date=_date(ctx, start, end, t_start, mode),
            quantities=[(q.start, q.end) for q in ctx.quantities if q.start >= start and q.end <= end],
            trigger_start=t_start, trigger_end=t_end, mode=mode, negated=negated,
            actor_country=actor_country, target_country=target_country,
        ))
    return out, None


def _entity_tokens(entities: list[EntityMention], start: int, end: int, toks: list[Token]) -> set[int]:
    """Token indices inside entity mentions: "Amnesty International" names, it does not pardon."""
    out: set[int] = set()
    for i, t in enumerate(toks):
        if any(e.start <= t.start and t.end <= e.end for e in entities if e.start >= start and e.end <= end):
            out.add(i)
    return out


def _compound(toks: list[Token], i: int) -> bool:
    """A word glued by a hyphen to the word before it ("Russian-backed", "long-threatened") is a
    modifier, not a verb of the sentence."""
    hyphen = toks[i - 1] if i >= 2 else None
    if hyphen is None or hyphen.key != "-":
        return False
    return hyphen.end == toks[i].start and toks[i - 2].end == hyphen.start


def _mode(m: Match, toks: list[Token], clause: int, lex: Lexicon, cue_at: dict[int, Match],
          trig_at: set[int]) -> str:
    if m.future:
        return "planned"
    words = 0
    j = m.first - 1
    while j >= clause and words < lex.cue_window:
        cue = cue_at.get(j)
        if cue is not None:
            return cue.label
        if j in trig_at:
            break
        words += toks[j].word
        j -= 1
    return "asserted"


def _negated(m: Match, toks: list[Token], clause: int, lex: Lexicon, negs: list[Match], trig_at: set[int],
             cue_at: dict[int, Match]) -> bool:
    lo = m.first
    words = 0
    j = m.first - 1
    while j >= clause and words < lex.negation_window:
        if j in trig_at and j not in cue_at:
            break
        lo = j
        words += toks[j].word
        j -= 1
    return any(n.first >= lo and n.last <= m.first for n in negs)


@dataclass(slots=True)
class _Arg:
    mention: EntityMention
    first: int  # token index of its first token
    last: int  # token index after its last token
    locative: bool  # after a locative preposition: a place where, not a participant


def _arguments(entities: list[EntityMention], start: int, end: int, toks: list[Token], starts: list[int],
               preps: list[Match], clitics: tuple[str, ...] = ()) -> list[_Arg]:
    prep_ends = {p.last for p in preps}
    out = []
    for e in entities:
        if not e.entity_id or e.start < start or e.end > end:
            continue
        first = bisect.bisect_left(starts, e.start)
        last = max(first + 1, bisect.bisect_left(starts, e.end))
        if first >= len(toks):
            continue
        # "in the city of Gaza": up to two words between the preposition and the place
        locative = e.type == "LOC" and (
            (any(first - k in prep_ends for k in (0, 1, 2))
             and all(toks[k].word for k in range(max(0, first - 2), first)))
            or any(toks[first].key.startswith(c) and len(toks[first].key) > len(c) + 2 for c in clitics)
        )
        out.append(_Arg(e, first, last, locative))
    out.sort(key=lambda a: a.first)
    return out


def _actor_target(m: Match, toks: list[Token], ents: list[_Arg], reports: list[Match], openers: list[Match],
                  agents: list[Match], passive: bool, lex: Lexicon) -> tuple[_Arg | None, _Arg | None]:
    left_stop = max((r.last for r in reports + openers if r.last <= m.first), default=0)
    right_stop = min((r.first for r in reports if r.first >= m.last), default=len(toks))
    cands = [a for a in ents if not a.locative]
    before = [a for a in cands if a.last <= m.first and a.first >= left_stop
              and _words_between(toks, a.last, m.first) <= ARGUMENT_WORDS]
    # after the trigger's first word: "attacked Israeli positions" (a gap pattern) holds its target
    after = [a for a in cands if a.first > m.first and a.last <= right_stop
             and _words_between(toks, m.last, a.first) <= ARGUMENT_WORDS]
    # an agent phrase right after the trigger ("killed by X", "ditangkap oleh X")
    agent = None
    for g in agents:
        if m.last <= g.first <= m.last + 3 and not any(a.first < g.first for a in after):
            agent = next((a for a in after if g.last <= a.first <= g.last + 2), None)
            break
    actor = before[-1] if before else None
    target = after[0] if after else None
    if agent is not None:
        actor, target = agent, before[-1] if before else None
    elif passive:
        actor, target = None, before[-1] if before else None
    elif actor is None and lex.subject_after_verb and after:
        actor = after[0]
        target = after[1] if len(after) > 1 else None
    if actor is not None and target is not None and actor.mention.entity_id == target.mention.entity_id:
        target = None
    return actor, target


def _country(arg: _Arg, ents: list[_Arg], toks: list[Token], countries: CountryResolver,
             lex: Lexicon) -> str | None:
    """An argument's country: its own entity's, else that of a country or nationality named right
    before it in the same noun phrase ("Serbian President Vojislav Kostunica", "Israeli Prime
    Minister Ehud Barak"), else of one right after "of" ("King Hassan of Morocco")."""
    code = countries.of(arg.mention, lex)
    if code:
        return code
    for other in sorted(ents, key=lambda a: -a.first):
        near = other.last <= arg.first and arg.first - other.last <= MODIFIER_WORDS
        if (near and all(toks[k].word for k in range(other.last, arg.first))
                and (code := countries.of(other.mention, lex))):
            return code
    for k in range(arg.first - 1, max(-1, arg.first - 1 - MODIFIER_WORDS), -1):  # "الرئيس المصري X"
        if not toks[k].word:
            break
        if code := CountryResolver.demonym(toks[k].key, lex):
            return alpha3(code)
    if arg.last + 1 < len(toks) and lex.of_words.find(toks[arg.last:arg.last + 1]):
        nxt = next((a for a in ents if a.first == arg.last + 1), None)
        if nxt is not None and nxt.mention.entity_id and nxt.mention.entity_id.startswith("geo:"):
            return countries.of(nxt.mention, lex)
    return None


def _side(toks: list[Token], m: Match, stops: list[Match], before: bool) -> list[int]:
    """Token indices of the trigger's clause on one side, nearest first, up to ``NATIONALITY_WORDS`` words."""
    if before:
        lo = max((r.last for r in stops if r.last <= m.first), default=0)
        idx = range(m.first - 1, lo - 1, -1)
    else:
        hi = min((r.first for r in stops if r.first >= m.last), default=len(toks))
        idx = range(m.last, hi)
    out = []
    for i in idx:
        if not toks[i].word and toks[i].key in CLAUSE_BREAKS:
            break
        out.append(i)
        if len(out) >= NATIONALITY_WORDS:
            break
    return out


def _countries(actor: _Arg | None, target: _Arg | None, m: Match, toks: list[Token], ents: list[_Arg],
               reports: list[Match], openers: list[Match], inside: set[int], countries: CountryResolver,
               lex: Lexicon) -> tuple[str | None, str | None]:
    """Actor and target countries: from their entities, else from nationality words of the clause
    ("Serb forces shelled ...": SRB; "اعتقلت الشرطة الإسرائيلية ثلاثة فلسطينيين": ISR, PSE)."""
    a = _country(actor, ents, toks, countries, lex) if actor else None
    t = _country(target, ents, toks, countries, lex) if target else None
    if actor is None:
        before = _nationalities(toks, _side(toks, m, reports + openers, before=True), lex, inside)
        a = before[0] if before else None
    if target is None:
        after = _nationalities(toks, _side(toks, m, reports, before=False), lex, inside)
        if actor is None and a is None and lex.subject_after_verb and after:
            a = after.pop(0)  # verb first: the first nationality after it is the doer's
        t = after[0] if after else None
    return a, t


def _nationalities(toks: list[Token], side: list[int], lex: Lexicon, inside: set[int]) -> list[str]:
    """Countries of the nationality words on one side of a trigger, nearest first, up to the first
    entity (entities have had their say: a place, a locative...): a doer or target that is a group,
    not a name, still has a country."""
    out = []
    for i in side:
        if i in inside:
            break
        if toks[i].word and (code := CountryResolver.demonym(toks[i].key, lex)) and (c3 := alpha3(code)):
            out.append(c3)
    return out


def _words_between(toks: list[Token], i: int, j: int) -> int:
    return sum(1 for t in toks[i:j] if t.word)


def _location(ents: list[_Arg], actor: _Arg | None, target: _Arg | None, m: Match,
              toks: list[Token]) -> _Arg | None:
    used = {a.mention.entity_id for a in (actor, target) if a is not None}
    places = [a for a in ents if a.mention.type == "LOC" and a.mention.entity_id not in used]
    if not places:
        return None
    locative = [a for a in places if a.locative]
    pool = locative or places
    return min(pool, key=lambda a: abs(a.first - m.first))


def _date(ctx: SentenceContext, start: int, end: int, trigger: int, mode: str) -> str | None:
    inside = [d for d in ctx.dates if d.start >= start and d.end <= end and d.value]
    if inside:
        return min(inside, key=lambda d: abs(d.start - trigger)).value
    if mode in ("asserted", "denied") and ctx.published and _ISO_DAY.match(ctx.published):
        return ctx.published[:10]
    return None
