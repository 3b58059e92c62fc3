"""Reference values for alphaseq's cost-aware mean-variance program
(crates/alphaseq/src/portfolio/optimize.rs): on five dates of the 29 sample stocks (data/sample),
the trailing 63 daily returns, scikit-learn's LedoitWolf covariance (dense, as cvxpy's quad_form
sees it; alphaseq solves the same program in factor form), mu each stock's trailing 21-day return
per day, and w0 a previous book (the sector-neutral closed-form weights at gross 0.5). Four
programs per date, each

    maximise mu'w - (lam/2) w'Cw - c'|w - w0| - (eta/2) ||w - w0||^2   subject to ...

- "cost_sector": lam 50, c 5 bps per name, weights sum to 0 within each sector;
- "long_only": lam 50, c 5/10/15 bps by name, eta 1e-3, w >= 0, sum |w| <= 1, w <= 0.15;
- "risk_beta": lam 5, c 2 bps, dollar and beta neutral (beta to the equal-weighted mean return
  over the window, numpy ddof 1), sum |w| <= 2, sqrt(w'Cw) <= 0.01;
- "net_bounds": lam 20, c 10 bps, -0.1 <= 1'w <= 0.1, -0.05 <= w <= 0.05.

The objective is multiplied by 1e4 for the solvers (daily returns make it of order 1e-3, below
their absolute tolerances). Solved by cvxpy with Clarabel at tolerances 1e-10 and, as a check of
the reference itself, with SCS at 1e-9 (the largest difference between the two is recorded). Writes
crates/alphaseq/tests/fixtures/cvxpy_portfolio.json.

usage: python tools/oracles/cvxpy_portfolio.py   (needs cvxpy, numpy, pandas, scikit-learn)
"""
import json
import os

import cvxpy as cp
import numpy as np
from sklearn.covariance import LedoitWolf

from sample_stocks import DATES, case_of, kkt, root, window_at


def program(kind, mu, C, w0, groups, beta):
    p = len(mu)
    w = cp.Variable(p)
    cons = []
    eta = 0.0
    if kind == "cost_sector":
        lam, c = 50.0, np.full(p, 5e-4)
        for g in sorted(set(groups)):
            cons.append(cp.sum(w[[i for i in range(p) if groups[i] == g]]) == 0)
    elif kind == "long_only":
        lam, c, eta = 50.0, np.array([5e-4 * (1 + i % 3) for i in range(p)]), 1e-3
        cons += [w >= 0, cp.norm1(w) <= 1.0, w <= 0.15]
    elif kind == "risk_beta":
        lam, c = 5.0, np.full(p, 2e-4)
        L = np.linalg.cholesky(C)
        cons += [cp.sum(w) == 0, beta @ w == 0, cp.norm1(w) <= 2.0, cp.norm(L.T @ w) <= 0.01]
    elif kind == "net_bounds":
        lam, c = 20.0, np.full(p, 1e-3)
        cons += [cp.sum(w) <= 0.1, cp.sum(w) >= -0.1, w <= 0.05, w >= -0.05]
    objective = (mu @ w - lam / 2 * cp.quad_form(w, cp.psd_wrap(C)) - c @ cp.abs(w - w0)
                 - eta / 2 * cp.sum_squares(w - w0))
    # scaled so that the solvers' absolute tolerances bite on a weakly curved objective
    prob = cp.Problem(cp.Maximize(1e4 * objective), cons)
    prob.solve(solver=cp.CLARABEL, tol_gap_abs=1e-10, tol_gap_rel=1e-10, tol_feas=1e-10)
    assert prob.status == "optimal", (kind, prob.status)
    x = w.value.copy()
    value = prob.value
    prob.solve(solver=cp.SCS, eps_abs=1e-9, eps_rel=1e-9, max_iters=200000)
    check = float(np.abs(w.value - x).max())
    return {"lambda": lam, "cost": list(map(float, c)), "impact": eta, "weights": list(map(float, x)),
            "objective": float(value) / 1e4, "scs_max_difference": check}


cases = []
for date in DATES:
    tickers, X, mu, groups = window_at(date)
    mu = mu / 21.0
    C = LedoitWolf().fit(X).covariance_
    market = X.mean(axis=1)
    beta = np.array([np.cov(X[:, j], market)[0, 1] / np.var(market, ddof=1) for j in range(X.shape[1])])
    w0 = 0.5 * kkt(mu, C, groups)
    case = case_of(date, tickers, X, mu, groups)
    case.update({
        "beta": list(map(float, beta)),
        "previous": list(map(float, w0)),
    })
    for kind in ["cost_sector", "long_only", "risk_beta", "net_bounds"]:
        case[kind] = program(kind, mu, C, w0, groups, beta)
    cases.append(case)
path = os.path.join(root, "crates", "alphaseq", "tests", "fixtures", "cvxpy_portfolio.json")
with open(path, "w") as f:
    json.dump({"generated_by": "tools/oracles/cvxpy_portfolio.py", "cvxpy": cp.__version__,
               "cases": cases}, f, separators=(",", ":"))
print("wrote", path, len(cases), "cases; largest Clarabel-SCS difference",
      max(c[k]["scs_max_difference"] for c in cases for k in ["cost_sector", "long_only", "risk_beta", "net_bounds"]))
