"""Date benchmark: newsloom's date values against the English TIMEX3 gold of MEANTIME.

    .venv/bin/python benchmarks/dates.py                 # dev and test, before/after/dateparser
    .venv/bin/python benchmarks/dates.py --errors dev    # also list the value errors and misses of dev
    .venv/bin/python benchmarks/dates.py --no-dateparser # skip the (slow) dateparser baseline

Data: ../shared/data/events/meantime/en-original (120 English Wikinews articles, CC BY 4.0,
Minard et al., LREC 2016). Each article's text is rebuilt from its tokens (one space between
tokens, none before closing punctuation; one line per sentence). The anchor is the article's
document creation time (the TIMEX3 with functionInDocument="CREATION_TIME"), given to every
system as the publication date; that dateline timex itself is not scored.

Gold: TIMEX3 of type DATE whose value is a calendar date, i.e. a year (2008), a month
(2008-03), a day (2008-03-01) or an ISO week (2008-W10). Quarters, seasons, decades,
PAST_REF/PRESENT_REF, durations, times and sets are not scored.

Scores, per split:
- recall: share of gold calendar dates overlapped by a predicted date (any value);
- value accuracy: of those found, share whose predicted value equals the gold value exactly
  (the prediction overlapping the gold span most is used);
- strict recall: found with the right value / all gold calendar dates;
- spurious: predictions in the annotated part (title, dateline and the next four sentences:
  MEANTIME marks TIMEX3 there only) that overlap no gold TIMEX3 of any type, out of all
  predictions there (the dateline itself left out); a precision indicator.

Split (fixed once, before any tuning): an article is DEV when
int(sha256(doc_id)[:8], 16) % 10 < 4, else TEST; doc_id is the Wikinews article id of the
<Document> element, which the Spanish, Italian and Dutch translations share, so an article
and its translations always fall on the same side. Rules were tuned on dev only; test is
for the reported numbers.

Systems, measured in the same run:
- after: newsloom.dates as it is in the working tree;
- before: src/newsloom/dates/extract.py and resources/lang/*/dates.yaml as of commit BEFORE
  (the code before issue 15's date work), loaded from git; they share today's tokenizer (``clean.tokens``);
- dateparser: dateparser.search.search_dates with RELATIVE_BASE = creation time, each hit's
  precision (day/week/month/year) taken from DateDataParser's period for the same substring.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
import time
import types
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable

import yaml

ROOT = Path(__file__).resolve().parents[1]
MEANTIME = ROOT.parent / "shared" / "data" / "events" / "meantime" / "en-original" / "intra_cross-doc_annotation"
BEFORE = "2f9865ab8af6f88a0cfd3e448a57a30d0c19a405"  # last commit before issue 15's date work
ANNOTATED_SENTENCES = 5  # MEANTIME marks TIMEX3 in the title (0), dateline (1) and sentences 2-5 only
CALENDAR = re.compile(r"^\d{4}(-\d{2}(-\d{2})?|-W\d{2})?$")
_NO_SPACE_BEFORE = {",", ".", ";", ":", ")", "]", "}", "%", "!", "?", "'s", "'", "n't", "'re", "'ve", "'ll", "'d", "'m"}
_NO_SPACE_AFTER = {"(", "[", "{", "$"}


def split_of(doc_id: str) -> str:
    return "dev" if int(hashlib.sha256(doc_id.encode()).hexdigest()[:8], 16) % 10 < 4 else "test"


@dataclass
class Gold:
    start: int
    end: int
    value: str
    type: str


@dataclass
class Article:
    doc_id: str
    name: str
    text: str
    dct: date
    golds: list[Gold] = field(default_factory=list)  # every anchored TIMEX3 but the creation time
    scored: tuple[int, int] = (0, 0)  # the creation-time span, left out of the spurious count
    annotated_end: int = 0  # end of the last sentence with TIMEX3 annotation (title + 5 sentences)


def read_article(path: Path) -> Article | None:
    root = ET.parse(path).getroot()
    parts: list[str] = []
    pos = 0
    spans: dict[str, tuple[int, int]] = {}
    sentence_of: dict[str, str] = {}
    prev_sent = None
    prev_tok = None
    for tok in root.iter("token"):
        t = tok.text or ""
        sent = tok.get("sentence")
        if prev_sent is not None:
            sep = "\n" if sent != prev_sent else (
                "" if t in _NO_SPACE_BEFORE or prev_tok in _NO_SPACE_AFTER else " ")
            parts.append(sep)
            pos += len(sep)
        spans[tok.get("t_id")] = (pos, pos + len(t))
        sentence_of[tok.get("t_id")] = sent
        parts.append(t)
        pos += len(t)
        prev_sent, prev_tok = sent, t
    text = "".join(parts)
    timexes = list(root.iter("TIMEX3"))
    creation = [tx for tx in timexes if tx.get("functionInDocument") == "CREATION_TIME"]
    if not creation:  # two articles leave the dateline unmarked: take the day timex of sentence 1
        creation = [tx for tx in timexes if re.match(r"\d{4}-\d{2}-\d{2}$", tx.get("value", ""))
                    and {sentence_of.get(a.get("t_id")) for a in tx.findall("token_anchor")} == {"1"}]
    dct = _day(creation[0].get("value", "")) if creation else None
    golds = []
    for tx in timexes:
        if creation and tx is creation[0]:
            continue
        anchors = [spans[a.get("t_id")] for a in tx.findall("token_anchor") if a.get("t_id") in spans]
        if anchors:
            golds.append(Gold(min(a[0] for a in anchors), max(a[1] for a in anchors), tx.get("value", ""),
                              tx.get("type", "")))
    if dct is None:
        return None
    dct_span = (0, 0)
    if creation:
        anchors = [spans[a.get("t_id")] for a in creation[0].findall("token_anchor") if a.get("t_id") in spans]
        if anchors:
            dct_span = (min(a[0] for a in anchors), max(a[1] for a in anchors))
    last = max((int(s) for s in sentence_of.values()), default=0)
    annotated = [spans[t] for t, s in sentence_of.items() if int(s) <= min(last, ANNOTATED_SENTENCES)]
    end = max((e for _, e in annotated), default=len(text))
    return Article(root.get("doc_id", path.stem), path.stem, text, dct, golds, dct_span, end)


def _day(value: str) -> date | None:
    """The creation day: ISO, or (once in the corpus) DD-MM-YYYY."""
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.match(r"(\d{2})-(\d{2})-(\d{4})$", value)
    return date(int(m.group(3)), int(m.group(2)), int(m.group(1))) if m else None


def articles() -> list[Article]:
    out = []
    for path in sorted(MEANTIME.glob("*/*.xml")):
        a = read_article(path)
        if a is not None:
            out.append(a)
    return out


# ---------------------------------------------------------------- systems

Predict = Callable[[str, date], list[tuple[int, int, str]]]


def system_after() -> Predict:
    from newsloom.dates.extract import find_dates

    return lambda text, dct: [(d.start, d.end, d.value) for d in find_dates(text, "en", dct)]


def _git_show(ref: str, path: str) -> str | None:
    r = subprocess.run(["git", "show", f"{ref}:{path}"], cwd=ROOT, capture_output=True, text=True)
    return r.stdout if r.returncode == 0 else None


def system_before(ref: str) -> Predict:
    """The committed extract.py of ``ref`` with that commit's dates.yaml files."""
    from newsloom import resources

    src = _git_show(ref, "src/newsloom/dates/extract.py")
    if src is None:
        raise SystemExit(f"cannot read extract.py at {ref}")
    # the tokenizer and number reading moved from quantities/ to clean/ (they are shared): same code
    src = src.replace("newsloom.quantities.extract import", "newsloom.clean.tokens import")
    src = src.replace("newsloom.quantities.numbers import", "newsloom.clean.numbers import")
    mod = types.ModuleType("newsloom_dates_before")
    sys.modules[mod.__name__] = mod  # dataclasses look their module up
    exec(compile(src, f"{ref[:7]}:extract.py", "exec"), mod.__dict__)  # noqa: S102 - our own code from git

    def raw(lang: str, name: str) -> dict:
        if name != "dates":
            return resources.raw_file(lang, name)
        text = _git_show(ref, f"src/newsloom/resources/lang/{lang}/dates.yaml")
        return (yaml.safe_load(text) or {}) if text else {}

    def combined(lang: str | None, name: str) -> dict:
        data = raw("_base", name)
        if lang and lang != "_base":
            data = resources._combine(data, raw(lang, name))
        return data

    mod.raw_file = raw
    mod.lang_resource = combined
    finder = mod.DateFinder("en")
    return lambda text, dct: [(d.start, d.end, d.value) for d in finder.find(text, dct) if d.value]


def system_dateparser() -> Predict:
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    def run(text: str, dct: date) -> list[tuple[int, int, str]]:
        base = datetime(dct.year, dct.month, dct.day, 12)
        settings = {"RELATIVE_BASE": base}
        out = []
        pos = 0
        for line_start, line in _lines(text):
            try:
                hits = search_dates(line, languages=["en"], settings=settings) or []
            except Exception:  # noqa: BLE001 - a baseline crash on one line costs that line only
                hits = []
            pos = 0
            for sub, when in hits:
                k = line.find(sub, pos)
                if k < 0:
                    continue
                pos = k + len(sub)
                data = DateDataParser(languages=["en"], settings=settings).get_date_data(sub)
                period = data.period or "day"
                d = data.date_obj or when
                if period == "year":
                    value = f"{d.year:04d}"
                elif period == "month":
                    value = f"{d.year:04d}-{d.month:02d}"
                elif period == "week":
                    y, w, _ = d.isocalendar()
                    value = f"{y:04d}-W{w:02d}"
                else:
                    value = d.date().isoformat()
                out.append((line_start + k, line_start + k + len(sub), value))
        return out

    return run


def _lines(text: str):
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


# ---------------------------------------------------------------- scoring

@dataclass
class Score:
    gold: int = 0
    found: int = 0
    right: int = 0
    spurious: int = 0
    predicted: int = 0
    errors: list[tuple[str, str, str, str]] = field(default_factory=list)  # (article, span, gold, predicted)
    misses: list[tuple[str, str, str]] = field(default_factory=list)
    extra: list[tuple[str, str, str]] = field(default_factory=list)

    def row(self) -> str:
        acc = self.right / self.found if self.found else 0.0
        rec = self.found / self.gold if self.gold else 0.0
        strict = self.right / self.gold if self.gold else 0.0
        return (f"{rec:8.3f} {acc:8.3f} {strict:8.3f} {self.spurious:5d}/{self.predicted:<5d}"
                f" ({self.found}/{self.gold} found, {self.right} right)")


def score(arts: list[Article], predict: Predict) -> Score:
    s = Score()
    for a in arts:
        preds = predict(a.text, a.dct)
        for p in preds:
            if p[0] >= a.annotated_end or (p[0] < a.scored[1] and a.scored[0] < p[1]):
                continue
            s.predicted += 1
            if not any(p[0] < g.end and g.start < p[1] for g in a.golds):
                s.spurious += 1
                s.extra.append((a.name, _context(a.text, p[0], p[1]), p[2]))
        for g in a.golds:
            if g.type != "DATE" or not CALENDAR.match(g.value):
                continue
            s.gold += 1
            over = [(min(p[1], g.end) - max(p[0], g.start), p) for p in preds if p[0] < g.end and g.start < p[1]]
            if not over:
                s.misses.append((a.name, _context(a.text, g.start, g.end), g.value))
                continue
            s.found += 1
            best = max(over, key=lambda o: o[0])[1]
            if best[2] == g.value:
                s.right += 1
            else:
                s.errors.append((a.name, _context(a.text, g.start, g.end), g.value,
                                 f"{best[2]} ({a.text[best[0]:best[1]]!r}, dct {a.dct})"))
    return s


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    return (text[max(0, start - width):start] + "[" + text[start:end] + "]" + text[end:end + width]).replace("\n", " / ")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--errors", choices=["dev", "test"], help="list value errors and misses of this split")
    ap.add_argument("--no-dateparser", action="store_true", help="skip the dateparser baseline")
    ap.add_argument("--split", choices=["dev", "test", "both"], default="both", help="which split to score")
    ap.add_argument("--before", default=BEFORE, help="git commit of the 'before' code (default: %(default)s)")
    args = ap.parse_args(argv)
    if not MEANTIME.is_dir():
        print(f"MEANTIME not found at {MEANTIME}", file=sys.stderr)
        return 2
    arts = articles()
    by_split = {sp: [a for a in arts if split_of(a.doc_id) == sp] for sp in ("dev", "test")}
    print(f"MEANTIME English: {len(arts)} articles; dev {len(by_split['dev'])}, test {len(by_split['test'])} "
          "(sha256(doc_id) % 10 < 4 -> dev)")
    systems: dict[str, Predict] = {"after": system_after(), "before": system_before(args.before)}
    if not args.no_dateparser:
        systems["dateparser"] = system_dateparser()
    print(f"{'split':5} {'system':11} {'recall':>8} {'val.acc':>8} {'strict':>8} spurious/pred   seconds")
    for sp in ("dev", "test") if args.split == "both" else (args.split,):
        for name, fn in systems.items():
            t0 = time.perf_counter()
            s = score(by_split[sp], fn)
            print(f"{sp:5} {name:11} {s.row()}  {time.perf_counter() - t0:.2f}s")
            if args.errors == sp and name == "after":
                for e in s.errors:
                    print("   VALUE", *e, sep=" | ")
                for m in s.misses:
                    print("   MISS ", *m, sep=" | ")
                for x in s.extra:
                    print("   EXTRA", *x, sep=" | ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
