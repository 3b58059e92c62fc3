"""Reference decisions for alphaseq's Boruta tests (crates/alphaseq/src/selection/boruta.rs):
BorutaPy's own `_do_tests` (boruta package, with its `_fdrcorrection`) on random hit counts,
rounds and states, with and without `two_step`. The forest and shadows are random and cannot be
compared value for value; the statistical rule can, exactly.
Writes crates/alphaseq/tests/fixtures/boruta_tests.json.

usage: python tools/oracles/boruta_tests.py
"""
import json
import os
from importlib.metadata import version

import numpy as np
from boruta import BorutaPy
from sklearn.ensemble import RandomForestClassifier

rng = np.random.default_rng(7)
cases = []
for two_step in (True, False):
    b = BorutaPy(RandomForestClassifier(), alpha=0.05, two_step=two_step)
    for _ in range(300):
        n_feat = int(rng.integers(1, 40))
        rounds = int(rng.integers(1, 100))
        hits = rng.binomial(rounds, rng.uniform(0.0, 1.0, n_feat)).astype(int)
        state = rng.choice([-1, 0, 0, 0, 1], n_feat).astype(int)
        after = b._do_tests(state.copy(), hits.copy(), rounds)
        cases.append({"two_step": two_step, "round": rounds, "hits": hits.tolist(),
                      "state": state.tolist(), "after": [int(v) for v in after]})
out = {"generated_by": "tools/oracles/boruta_tests.py", "boruta": version("boruta"), "alpha": 0.05, "cases": cases}
path = os.path.join(os.path.dirname(__file__), "..", "..", "crates", "alphaseq", "tests", "fixtures", "boruta_tests.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
changed = sum(c["state"] != c["after"] for c in cases)
print("wrote", path, len(cases), "cases,", changed, "with a decision")
