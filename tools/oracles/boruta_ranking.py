"""Reference rankings for alphaseq's Boruta `ranking` (crates/alphaseq/src/selection/boruta.rs):
BorutaPy fitted on small random classification sets; for each, its importance history (the
rounds' real-feature importances, NaN once a feature is rejected), its decisions (support_,
support_weak_) and its `ranking_`. alphaseq's ranking, given the same history and decisions,
must give the same ranks. Writes crates/alphaseq/tests/fixtures/boruta_ranking.json.

usage: python tools/oracles/boruta_ranking.py
"""
import json
import os
from importlib.metadata import version

import numpy as np
from boruta import BorutaPy
from sklearn.ensemble import RandomForestClassifier

rng = np.random.default_rng(11)
cases = []
for k in range(12):
    n, p = 200, int(rng.integers(6, 16))
    x = rng.normal(size=(n, p))
    informative = int(rng.integers(0, 3))
    z = x[:, :informative].sum(axis=1) + rng.normal(size=n) * (1.0 + k % 3)
    y = (z > 0).astype(int)
    rf = RandomForestClassifier(n_estimators=30, max_depth=5, random_state=k)
    b = BorutaPy(rf, n_estimators=30, alpha=float(rng.choice([0.05, 0.15])),
                 max_iter=int(rng.integers(8, 30)), random_state=k)
    b.fit(x, y)
    history = b.importance_history_[1:].T  # features x rounds
    decision = np.where(b.support_, "confirmed", np.where(b.support_weak_, "tentative", "rejected"))
    cases.append({
        "history": [[None if np.isnan(v) else float(v) for v in row] for row in history],
        "decisions": decision.tolist(),
        "ranking": [int(r) for r in b.ranking_],
    })
out = {"generated_by": "tools/oracles/boruta_ranking.py", "boruta": version("boruta"), "cases": cases}
path = os.path.join(os.path.dirname(__file__), "..", "..", "crates", "alphaseq", "tests", "fixtures",
                    "boruta_ranking.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
print("wrote", path, len(cases), "cases;", sum(max(c["ranking"]) > 2 for c in cases), "with rejected ranks")
