"""NTREX-128 as news documents: one document per (article, language), read from ../shared/data/ntrex.

Used by the benchmarks and the slow end-to-end test; the text stays in ../shared/data and is
only ever written to temporary folders, never into the repo.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

NTREX = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ntrex"


def languages() -> list[str]:
    files = sorted((NTREX / "NTREX-128").glob("newstest2019-ref.*.txt"))
    return ["eng"] + [f.name.split(".")[1] for f in files]


def _lines(lang: str) -> list[str]:
    name = "newstest2019-src.eng.txt" if lang == "eng" else f"newstest2019-ref.{lang}.txt"
    return (NTREX / "NTREX-128" / name).read_text(encoding="utf-8").splitlines()


def splits() -> dict[str, str]:
    rows = (NTREX / "SPLIT.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return dict(r.split("\t") for r in rows if r.strip())


def documents(lang: str, split: str | None = None) -> dict[str, list[str]]:
    """doc id -> its sentences in ``lang`` (the first is the headline), in corpus order."""
    ids = (NTREX / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    which = splits()
    docs: dict[str, list[str]] = defaultdict(list)
    for doc_id, line in zip(ids, _lines(lang)):
        if split is None or which.get(doc_id) == split:
            docs[doc_id].append(line)
    return dict(docs)


def write_folder(out: Path, langs: list[str], split: str | None = None, limit: int | None = None) -> int:
    """Write ``<out>/<lang>/<doc id>.txt`` (headline, blank line, one paragraph per sentence)."""
    n = 0
    for lang in langs:
        folder = out / lang
        folder.mkdir(parents=True, exist_ok=True)
        for doc_id, sents in documents(lang, split).items():
            if limit is not None and n >= limit:
                return n
            (folder / f"{doc_id}.txt").write_text(sents[0] + "\n\n" + "\n\n".join(sents[1:]) + "\n", encoding="utf-8")
            n += 1
    return n
