"""PyTorch side of the study-5 speed comparison (issue 17): one Table 3 row of
configs/studies/study5_paper.toml, the deep-momentum paper's recipe, written in PyTorch the way
../shared/reference/seed004_torch.py writes its reduced run, on the same inputs as alphaseq.

Inputs: the feature matrix alphaseq computes for the experiment (`alphaseq features compute
configs/studies/study5_paper.toml --out F.parquet`: 21 momentum features, 334 tickers) and the
prices, for the target: the next day's simple return of adj_close x 0.15 / (sigma_t sqrt 252),
sigma the EWM std of daily returns with span 60 (alphaseq's `vol_scaled`).

Recipe (as study5_paper.toml):
  walk forward: test years 2005 .. 2021 (17 refits), expanding training span from the first date
    with complete features, its last 20% of dates held out for validation; the targets of the
    training part end before its last date (purge of one bar)
  scaling: robust ((x - median) / IQR) per ticker and feature, fitted on each training span
  training sequences: 63-day windows of each stock ending on every 63rd date of the calendar
    (non-overlapping, calendar-aligned); many-to-many (every step is a position and enters the
    loss); a window counts when all its steps have features and targets
  model: LSTM(21 -> 120, sequences) -> BatchNorm(120) -> Dropout(0.25) -> Linear(120 -> 1) -> tanh
    -> per step across the batch: minus the mean, over the sum of absolute values + 1e-9
  loss: per step (date) the portfolio return sum_b w_b r_b; minus sqrt(252) x mean / sqrt(population
    variance + 1e-9) over the steps; plus 1e-5 x the L1 norms of the input and recurrent kernels
  batches: the windows of one as-of date, 32 stocks at a time (dates and stocks shuffled each epoch);
    validation: each date's whole cross-section as one batch
  Adam lr 0.005, per-tensor gradient clipping at norm 10 (Keras clipnorm), epochs and patience
    from the command line (the paper: 250 and 25; the speed comparison fixes the epochs on both
    sides with --patience 0, so both do the same work)
  test positions: the last step of each stock's trailing 63-day window, every test date, one batch
    per date (the normalisation needs the date's cross-section)

Not copied: Keras' initialisers (PyTorch's defaults; no effect on the time per epoch).

usage: python tools/bench/study5_torch.py FEATURES.parquet PRICES.csv.gz [--epochs 2]
          [--patience 0] [--threads 2] [--cell lstm] [--seq 63] [--years 2005-2021] [--out F.json]
Prints one line per refit and a RESULT line: total seconds, fit and predict seconds.
"""
import argparse
import json
import resource
import time

import numpy as np
import pandas as pd
import torch
import torch.nn as nn

HIDDEN, DROPOUT, BATCH, LR, CLIPNORM, L1 = 120, 0.25, 32, 0.005, 10.0, 1e-5


def load(features_path, prices_path):
    f = pd.read_parquet(features_path)
    f['date'] = pd.to_datetime(f['date'])
    names = [c for c in f.columns if c not in ('date', 'ticker')]
    dates = np.sort(f['date'].unique())
    tickers = np.sort(f['ticker'].unique())
    di = pd.Index(dates).get_indexer(f['date'])
    ti = pd.Index(tickers).get_indexer(f['ticker'])
    X = np.full((len(dates), len(tickers), len(names)), np.nan, np.float32)
    X[di, ti] = f[names].to_numpy(np.float32)
    p = pd.read_csv(prices_path, usecols=['date', 'ticker', 'adj_close'], parse_dates=['date'])
    p = p[p.ticker.isin(tickers)].pivot(index='date', columns='ticker', values='adj_close')
    p = p.reindex(index=pd.DatetimeIndex(dates), columns=tickers)
    r = p.pct_change(fill_method=None)
    sigma = r.ewm(span=60, min_periods=60).std()
    Y = (r.shift(-1) * 0.15 / (sigma * np.sqrt(252.0))).to_numpy(np.float32)
    return X, Y, pd.DatetimeIndex(dates), names


class Model(nn.Module):
    def __init__(self, n_in, cell):
        super().__init__()
        self.rnn = {'lstm': nn.LSTM, 'gru': nn.GRU, 'rnn': nn.RNN}[cell](n_in, HIDDEN, batch_first=True)
        self.bn = nn.BatchNorm1d(HIDDEN, eps=1e-3, momentum=0.01)
        self.drop = nn.Dropout(DROPOUT)
        self.head = nn.Linear(HIDDEN, 1)

    def forward(self, x):                       # x: (batch, steps, features)
        h, _ = self.rnn(x)
        b, t, _ = h.shape
        h = self.bn(h.reshape(b * t, HIDDEN)).reshape(b, t, HIDDEN)
        w = torch.tanh(self.head(self.drop(h))).squeeze(-1)     # (batch, steps)
        c = w - w.mean(dim=0, keepdim=True)
        return c / (c.abs().sum(dim=0, keepdim=True) + 1e-9)

    def penalty(self):
        return L1 * (self.rnn.weight_ih_l0.abs().sum() + self.rnn.weight_hh_l0.abs().sum())


def xs_sharpe(w, y):
    port = (w * y).sum(dim=0)                   # per step (date)
    mean = port.mean()
    var = (port * port).mean() - mean * mean + 1e-9
    return -np.sqrt(252.0) * mean / torch.sqrt(var)


def windows(complete, ends, tickers_ok):
    """(t, ticker) pairs for as-of dates `ends` whose window is complete."""
    t, k = np.nonzero(complete[ends] & tickers_ok[None, :])
    return ends[t], k


def gather(Xs, Y, t, k, seq):
    rows = t[:, None] + np.arange(-seq + 1, 1)[None, :]
    return torch.from_numpy(Xs[rows, k[:, None]]), torch.from_numpy(Y[rows, k[:, None]])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('features')
    ap.add_argument('prices')
    ap.add_argument('--epochs', type=int, default=2)
    ap.add_argument('--patience', type=int, default=0)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--cell', default='lstm')
    ap.add_argument('--seq', type=int, default=63)
    ap.add_argument('--years', default='2005-2021')
    ap.add_argument('--seed', type=int, default=42)
    ap.add_argument('--out')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    t_all = time.time()
    X, Y, dates, names = load(a.features, a.prices)
    t_load = time.time() - t_all
    seq = a.seq
    feat_ok = np.isfinite(X).all(axis=2)                        # (dates, tickers)
    row_ok = feat_ok & np.isfinite(Y)

    def complete(ok):
        cs = np.vstack([np.zeros((1, ok.shape[1]), np.int64), np.cumsum(ok, axis=0)])
        out = np.zeros_like(ok)
        out[seq - 1:] = (cs[seq:] - cs[:-seq]) == seq
        return out
    train_complete, test_complete = complete(row_ok), complete(feat_ok)
    first = int(np.argmax(feat_ok.any(axis=1)))
    y0, y1 = (int(v) for v in a.years.split('-'))
    refits, total_fit, total_pred = [], 0.0, 0.0
    for year in range(y0, y1 + 1):
        t0 = time.time()
        test_lo = int(np.searchsorted(dates, np.datetime64(f'{year}-01-01')))
        test_hi = int(np.searchsorted(dates, np.datetime64(f'{year + 1}-01-01')))
        span = np.arange(first, test_lo)
        cut = span[int(np.floor(0.8 * len(span)))]
        # the targets of the training part end before the validation part, those of the
        # validation part before the test part (purge of one bar)
        train_end, valid_end = cut - 1, test_lo - 1
        fit_rows = X[first:train_end + 1]
        med = np.nanmedian(fit_rows, axis=0)
        iqr = np.nanpercentile(fit_rows, 75, axis=0) - np.nanpercentile(fit_rows, 25, axis=0)
        iqr[~(iqr > 0)] = 1.0
        scaled = ((X - med[None]) / iqr[None]).astype(np.float32)
        fitted = np.isfinite(med).all(axis=1)
        grid = np.arange(seq - 1, len(dates), seq)
        tr_t, tr_k = windows(train_complete, grid[(grid >= first + seq - 1) & (grid < train_end)], fitted)
        va_t, va_k = windows(train_complete, grid[(grid >= cut + seq - 1) & (grid < valid_end)], fitted)
        te_t, te_k = windows(test_complete, np.arange(test_lo, test_hi), fitted)
        torch.manual_seed(a.seed)
        rng = np.random.default_rng(a.seed)
        model = Model(len(names), a.cell)
        opt = torch.optim.Adam(model.parameters(), lr=LR)
        best, best_state, wait, epochs, t_fit = np.inf, None, 0, [], time.time()
        for ep in range(a.epochs):
            model.train()
            order = rng.permutation(len(tr_t))
            by_date = {}
            for i in order:
                by_date.setdefault(tr_t[i], []).append(i)
            for members in by_date.values():
                for b in range(0, len(members), BATCH):
                    idx = np.array(members[b:b + BATCH])
                    x, y = gather(scaled, Y, tr_t[idx], tr_k[idx], seq)
                    opt.zero_grad(set_to_none=True)
                    loss = xs_sharpe(model(x).T, y.T) + model.penalty()
                    loss.backward()
                    for p in model.parameters():
                        torch.nn.utils.clip_grad_norm_([p], CLIPNORM)
                    opt.step()
            model.eval()
            with torch.no_grad():
                total, n = 0.0, 0
                for d in np.unique(va_t):
                    m = va_t == d
                    x, y = gather(scaled, Y, va_t[m], va_k[m], seq)
                    total += float(xs_sharpe(model(x).T, y.T)) * int(m.sum())
                    n += int(m.sum())
                val = total / max(n, 1) + float(model.penalty())
            epochs.append(round(val, 5))
            if val < best:
                best, wait = val, 0
                best_state = {k: v.clone() for k, v in model.state_dict().items()}
            else:
                wait += 1
                if a.patience and wait >= a.patience:
                    break
        model.load_state_dict(best_state)
        fit_s = time.time() - t_fit
        t_pred = time.time()
        model.eval()
        with torch.no_grad():
            for d in range(test_lo, test_hi):
                m = te_t == d
                if m.any():
                    x, _ = gather(scaled, Y, te_t[m], te_k[m], seq)
                    model(x)[:, -1]
        pred_s = time.time() - t_pred
        total_fit += fit_s
        total_pred += pred_s
        log = dict(year=year, train_windows=int(len(tr_t)), valid_windows=int(len(va_t)),
                   test_windows=int(len(te_t)), epochs=len(epochs), val_loss=epochs,
                   sec_fit=round(fit_s, 2), sec_per_epoch=round(fit_s / max(1, len(epochs)), 3),
                   sec_predict=round(pred_s, 2), sec_refit=round(time.time() - t0, 2))
        refits.append(log)
        print(json.dumps(log), flush=True)
    total = time.time() - t_all
    result = dict(cell=a.cell, seq=seq, epochs=a.epochs, patience=a.patience, threads=a.threads,
                  seconds_total=round(total, 1), seconds_load=round(t_load, 1),
                  seconds_fit=round(total_fit, 1), seconds_predict=round(total_pred, 1),
                  peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  torch=torch.__version__, refits=refits)
    print(f"RESULT study5_torch {a.cell}{seq} epochs={a.epochs} threads={a.threads} "
          f"total={total:.1f}s fit={total_fit:.1f}s predict={total_pred:.1f}s", flush=True)
    if a.out:
        with open(a.out, 'w') as fh:
            json.dump(result, fh, indent=1)


if __name__ == '__main__':
    main()
