"""Train the Indonesian/Malay model shipped in ``models/idms.tsv.gz``.

    python -m newsloom.langid.train_idms [--ntrex ../shared/data/ntrex] [--out PATH]

Learns only from the NTREX-128 documents marked ``dev`` in ``SPLIT.tsv``: the Indonesian
(``ind``) and Malay (``msa``) translations of the same sentences. Naive Bayes log-count
ratios over binary word and character 3-5-gram features (features seen fewer than twice are
dropped). NTREX-128 is CC BY-SA 4.0 (Microsoft); the weights are a derived work and carry
that licence and attribution (see models/README.md).
"""

from __future__ import annotations

import argparse
import gzip
import math
from collections import Counter
from pathlib import Path

from newsloom.langid.idms import MODEL_NAME, features, tokens

ALPHA = 0.5  # additive smoothing, chosen by 5-fold cross-validation over dev documents
MIN_COUNT = 2


def load_pairs(ntrex: Path, split: str) -> list[tuple[str, str, str]]:
    """(doc_id, indonesian, malay) sentence triples of the documents in ``split``."""
    doc_ids = (ntrex / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    splits = {}
    for line in (ntrex / "SPLIT.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        doc, _, which = line.partition("\t")
        splits[doc.strip()] = which.strip()
    ind = (ntrex / "NTREX-128" / "newstest2019-ref.ind.txt").read_text(encoding="utf-8").splitlines()
    msa = (ntrex / "NTREX-128" / "newstest2019-ref.msa.txt").read_text(encoding="utf-8").splitlines()
    if not (len(doc_ids) == len(ind) == len(msa)):
        raise ValueError(f"{ntrex}: ind, msa and DOCUMENT_IDS.tsv are not line-aligned")
    return [(d.strip(), i, m) for d, i, m in zip(doc_ids, ind, msa) if splits.get(d.strip()) == split]


def train(pairs: list[tuple[str, str]], alpha: float = ALPHA) -> dict[str, float]:
    """Log-count ratios: > 0 for features more frequent in Malay sentences."""
    c_id: Counter[str] = Counter()
    c_ms: Counter[str] = Counter()
    for ind, msa in pairs:
        c_id.update(features(tokens(ind)))
        c_ms.update(features(tokens(msa)))
    n = len(pairs)
    weights = {}
    for f in set(c_id) | set(c_ms):
        a, b = c_ms[f], c_id[f]
        if a + b < MIN_COUNT:
            continue
        w = math.log((a + alpha) / (n + 2 * alpha)) - math.log((b + alpha) / (n + 2 * alpha))
        if abs(w) > 1e-9:
            weights[f] = w
    return weights


def write_weights(weights: dict[str, float], out: Path, n_pairs: int) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 keeps the file byte-identical across reruns
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(
            (
                "# newsloom Indonesian/Malay naive Bayes weights (> 0 = Malay).\n"
                f"# Trained on {n_pairs} sentence pairs of the NTREX-128 dev documents (ind, msa).\n"
                "# Derived from NTREX-128 (c) Microsoft, CC BY-SA 4.0; this file is CC BY-SA 4.0.\n"
            ).encode()
        )
        for f in sorted(weights):
            gz.write(f"{f}\t{weights[f]:.4f}\n".encode())


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ntrex", type=Path, default=Path("../shared/data/ntrex"), help="NTREX folder")
    ap.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent / "models" / MODEL_NAME,
        help="output file",
    )
    args = ap.parse_args(argv)
    pairs = [(i, m) for _, i, m in load_pairs(args.ntrex, "dev")]
    weights = train(pairs)
    write_weights(weights, args.out, len(pairs))
    print(f"wrote {len(weights)} features from {len(pairs)} dev sentence pairs to {args.out}")


if __name__ == "__main__":
    main()
