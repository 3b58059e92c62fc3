"""Reference values for alphaseq's significance statistics (crates/alphaseq/src/metrics/
significance.rs) on real daily returns: five sample stocks (data/sample) and their equal-weight
portfolio, 2005-2021.

- Lo (2002): the standard error of the per-period Sharpe ratio for IID returns, eq. (9), and the
  GMM/delta-method error with Newey-West weights, written out in NumPy;
- Bailey and Lopez de Prado: the probabilistic Sharpe ratio with scipy's `norm`, `skew` and
  `kurtosis(fisher=False)`, and the deflated Sharpe ratio of the best of the 29 sample stocks
  (its benchmark from the variance of their per-period Sharpe ratios, ddof 1);
- the Newey-West t-statistic of a series' mean with statsmodels
  (`OLS(x, ones).fit(cov_type="HAC", cov_kwds={"maxlags": L, "use_correction": False})`);
- scipy's `norm.cdf` and `norm.ppf`;
- the stationary bootstrap (Politis and Romano 1994) percentile interval of the Sharpe ratio,
  written out with alphaseq's SplitMix64 generator and draw order (`numpy.percentile`, linear).

Writes crates/alphaseq/tests/fixtures/significance.json.

usage: python tools/oracles/significance.py
"""
import json
import os

import numpy as np
import statsmodels.api as sm
from scipy import stats

from sample_stocks import ret, root

EULER_GAMMA = 0.5772156649015329
returns = ret.loc["2005-01-01":]
names = ["AAPL", "XOM", "JPM", "KO", "PFE"]


def sharpe(r):
    return r.mean() / r.std(ddof=1)


def se_iid(r):
    sr = sharpe(r)
    return np.sqrt((1 + sr * sr / 2) / len(r))


def se_hac(r, lags):
    n = len(r)
    mu = r.mean()
    var = ((r - mu) ** 2).mean()
    sigma = np.sqrt(var)
    u = np.column_stack([r - mu, (r - mu) ** 2 - var])
    omega = u.T @ u / n
    for j in range(1, lags + 1):
        g = u[j:].T @ u[:-j] / n
        omega += (1 - j / (lags + 1)) * (g + g.T)
    grad = np.array([1 / sigma, -mu / (2 * sigma ** 3)])
    return np.sqrt(grad @ omega @ grad / n)


def psr(r, benchmark):
    sr = sharpe(r)
    g3, g4 = stats.skew(r), stats.kurtosis(r, fisher=False)
    return stats.norm.cdf((sr - benchmark) * np.sqrt(len(r) - 1) / np.sqrt(1 - g3 * sr + (g4 - 1) / 4 * sr ** 2))


def sr0(trials, variance):
    return np.sqrt(variance) * ((1 - EULER_GAMMA) * stats.norm.ppf(1 - 1 / trials)
                                + EULER_GAMMA * stats.norm.ppf(1 - 1 / (trials * np.e)))


def nw_t(x, lags):
    fit = sm.OLS(x, np.ones(len(x))).fit(cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": False})
    return float(fit.tvalues[0])


MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next_u64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform(self):
        return (self.next_u64() >> 11) / float(1 << 53)

    def below(self, n):
        return int(self.uniform() * n) % max(n, 1)


def bootstrap_interval(r, mean_block, resamples, level, seed):
    rng = SplitMix64(seed)
    n, p = len(r), 1.0 / mean_block
    sharpes = []
    for _ in range(resamples):
        idx = np.empty(n, dtype=np.int64)
        idx[0] = rng.below(n)
        for i in range(1, n):
            idx[i] = rng.below(n) if rng.uniform() < p else (idx[i - 1] + 1) % n
        s = r[idx]
        if s.std(ddof=1) > 0:
            sharpes.append(s.mean() / s.std(ddof=1))
    tail = (1 - level) / 2
    return [float(np.percentile(sharpes, 100 * tail)), float(np.percentile(sharpes, 100 * (1 - tail)))]


series = {n: returns[n].dropna().to_numpy() for n in names}
series["equal_weight"] = returns[names].mean(axis=1, skipna=True).dropna().to_numpy()
cases = []
for name, r in series.items():
    lags = int(np.floor(4 * (len(r) / 100) ** (2 / 9)))
    cases.append({
        "name": name,
        "returns": list(map(float, r)),
        "sharpe": float(sharpe(r)),
        "se_iid": float(se_iid(r)),
        "nw_lags": lags,
        "se_hac": {str(L): float(se_hac(r, L)) for L in (0, 5, lags)},
        "psr_0": float(psr(r, 0.0)),
        "psr_002": float(psr(r, 0.02)),
        "nw_t": {str(L): nw_t(r, L) for L in (0, 5, lags)},
        "bootstrap_95": bootstrap_interval(r, 21.0, 200, 0.95, 7),
    })
all_sharpes = returns.apply(lambda c: sharpe(c.dropna().to_numpy()))
best = all_sharpes.idxmax()
r_best = returns[best].dropna().to_numpy()
var = float(np.var(all_sharpes.to_numpy(), ddof=1))
deflated = {
    "best": best,
    "returns": list(map(float, r_best)),
    "trial_sharpes": list(map(float, all_sharpes.to_numpy())),
    "sr0": float(sr0(len(all_sharpes), var)),
    "dsr": float(psr(r_best, sr0(len(all_sharpes), var))),
}
ps = [1e-10, 1e-4, 0.01, 0.02425, 0.2, 0.5, 0.8, 0.97575, 0.99, 1 - 1e-6]
normal = {"p": ps, "ppf": [float(stats.norm.ppf(p)) for p in ps],
          "x": [-8.0, -3.0, -1.0, 0.0, 0.5, 2.0, 6.0],
          "cdf": [float(stats.norm.cdf(x)) for x in [-8.0, -3.0, -1.0, 0.0, 0.5, 2.0, 6.0]]}
path = os.path.join(root, "crates", "alphaseq", "tests", "fixtures", "significance.json")
with open(path, "w") as f:
    json.dump({"generated_by": "tools/oracles/significance.py", "cases": cases,
               "deflated": deflated, "normal": normal}, f, separators=(",", ":"))
print("wrote", path, len(cases), "series; best of", len(all_sharpes), "is", best)
