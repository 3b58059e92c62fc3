//! The hand-made momentum features of Lim, Zohren & Roberts (2019, "Enhancing time-series
//! momentum strategies using deep neural networks") and of the cross-sectional study built on
//! them, per ticker from its adjusted close (and a market's, for beta and alpha). Each is written
//! as pandas code in its doc and checked against that code (`tools/oracles/momentum_features.py`).
//!
//! Unlike the DMN reference code (`mom_trans/data_prep.py`), nothing is back-filled: that code's
//! `fillna(method="bfill")` on the volatility and the MACD normalisers copies a later value into
//! the first rows, which is look-ahead. Here those rows stay NaN (undefined).

use serde::{Deserialize, Serialize};

use super::indicators::{self, kernels, kernels::online, Memory};
use crate::error::{Error, Result};

/// Which momentum features to compute (`[features.momentum]`; an empty table gives the study's
/// set). With `r` the one-bar simple return of the adjusted close and `sigma` its EWM standard
/// deviation (pandas `r.ewm(span=vol_span, min_periods=vol_span).std()`):
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MomentumSpec {
    /// `nret_h = (p / p.shift(h) - 1) / sigma / sqrt(h)`: returns over h bars in units of daily
    /// volatility.
    pub returns: Vec<usize>,
    /// Span of the EWM volatility `sigma` (and its `min_periods`).
    pub vol_span: usize,
    /// MACD signals `macd_S_L`: `m = p.ewm(halflife=hl(S)).mean() - p.ewm(halflife=hl(L)).mean()`
    /// with `hl(n) = ln 0.5 / ln(1 - 1/n)`; `q = m / p.rolling(63).std()`; the feature is
    /// `q / q.rolling(252).std()`.
    pub macd: Vec<[usize; 2]>,
    /// `rv_w = r.rolling(w).std()`: realised volatility (daily, not annualised).
    pub realised_vol: Vec<usize>,
    /// `beta_w = r.rolling(w).cov(r_m) / r_m.rolling(w).var()`: beta to the market's returns.
    pub beta: Vec<usize>,
    /// `alpha_h = r.rolling(h).sum() - beta_W * r_m.rolling(h).sum()` with W = `alpha_window`:
    /// the return over h bars not explained by the market (CAPM with the trailing W-bar beta).
    pub alpha: Vec<usize>,
    /// W, the beta window of `alpha_h` and of the alpha-variance ratio.
    pub alpha_window: usize,
    /// `alpha_var_W = (r - beta_W r_m).rolling(W).var() / r.rolling(W).var()`: the share of the
    /// ticker's variance the market does not explain (1 - R^2 of the trailing regression), with
    /// the residual formed with each bar's own trailing beta.
    pub alpha_variance: bool,
    /// `cti_n`: Ehlers' correlation trend (pandas-ta `cti(close, length=n)`).
    pub cti: Vec<usize>,
    /// Winsorise the price first, as the DMN code: with `e = p.ewm(halflife=252)`,
    /// `p = minimum(p, e.mean() + 5 e.std())`, then `maximum(p, e.mean() - 5 e.std())` (numpy's
    /// NaN-propagating min/max, so the first bar, whose EWM std is undefined, becomes NaN). Every
    /// feature above is then computed from the winsorised price.
    pub winsorise: bool,
    /// The market ticker for beta and alpha (default: the experiment's benchmark).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub market: Option<String>,
}

impl Default for MomentumSpec {
    fn default() -> Self {
        MomentumSpec {
            returns: vec![1, 5, 21, 63, 126, 252],
            vol_span: 60,
            macd: vec![[8, 24], [16, 48], [32, 96]],
            realised_vol: vec![5, 21],
            beta: vec![126, 252],
            alpha: vec![21, 63, 126],
            alpha_window: 252,
            alpha_variance: true,
            cti: vec![21, 63, 126, 252],
            winsorise: false,
            market: None,
        }
    }
}

/// Window of the price standard deviation that normalises a MACD.
const MACD_PRICE_STD: usize = 63;
/// Window of the MACD's own standard deviation.
const MACD_SIGNAL_STD: usize = 252;
/// Half-life and width (in EWM standard deviations) of the winsorisation.
const WINSOR_HALFLIFE: f64 = 252.0;
const WINSOR_SIGMAS: f64 = 5.0;

impl MomentumSpec {
    /// True when a feature needs the market's returns.
    pub fn needs_market(&self) -> bool {
        !self.beta.is_empty() || !self.alpha.is_empty() || self.alpha_variance
    }

    /// Column names, in order.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.returns.iter().map(|h| format!("nret_{h}")).collect();
        names.extend(self.macd.iter().map(|[s, l]| format!("macd_{s}_{l}")));
        names.extend(self.realised_vol.iter().map(|w| format!("rv_{w}")));
        names.extend(self.beta.iter().map(|w| format!("beta_{w}")));
        names.extend(self.alpha.iter().map(|h| format!("alpha_{h}")));
        if self.alpha_variance {
            names.push(format!("alpha_var_{}", self.alpha_window));
        }
        names.extend(self.cti.iter().map(|n| format!("cti_{n}")));
        names
    }

    /// Bars before every feature can be defined.
    pub fn warm_up(&self) -> usize {
        let w = usize::from(self.winsorise);
        let returns = self.returns.iter().map(|&h| h.max(self.vol_span)).max().unwrap_or(0);
        let macd = if self.macd.is_empty() { 0 } else { MACD_PRICE_STD + MACD_SIGNAL_STD - 2 };
        let rv = self.realised_vol.iter().copied().max().unwrap_or(0);
        let beta = self.beta.iter().copied().max().unwrap_or(0);
        let alpha = if self.alpha.is_empty() && !self.alpha_variance {
            0
        } else {
            let h = self.alpha.iter().copied().max().unwrap_or(0);
            let var = if self.alpha_variance { 2 * self.alpha_window - 1 } else { 0 };
            self.alpha_window.max(h).max(var)
        };
        let cti = self.cti.iter().map(|n| n - 1).max().unwrap_or(0);
        w + returns.max(macd).max(rv).max(beta).max(alpha).max(cti)
    }

    /// Per column (in [`MomentumSpec::names`] order): rows from the first bar after which the
    /// value does not depend on where the series starts ([`Memory::settled`]). The normalised
    /// returns divide by an EWM volatility and the MACDs are EWMs, so they settle; the windows
    /// need only the warm-up; winsorising puts a half-life-252 EWM (about 10,000 rows to
    /// settle) under every column.
    pub fn settled(&self) -> Vec<Option<usize>> {
        let warm_up = self.warm_up();
        let winsor = if self.winsorise {
            let decay = 1.0 - kernels::alpha_from_halflife(WINSOR_HALFLIFE);
            Memory::Recursive { decay, depth: 1 }.settled(0).unwrap_or(0)
        } else {
            0
        };
        let vol = Memory::ema(self.vol_span, 1).settled(0).unwrap_or(0);
        let windows = self.names().len() - self.returns.len() - self.macd.len();
        let mut out: Vec<Option<usize>> =
            self.returns.iter().map(|_| Some(warm_up + winsor + vol)).collect();
        out.extend(
            self.macd
                .iter()
                .map(|&[_, l]| Memory::rma(l, 1).settled(warm_up).map(|rows| rows + winsor)),
        );
        out.extend((0..windows).map(|_| Some(warm_up + winsor)));
        out
    }

    /// Checks windows and horizons.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the bad entry.
    pub fn validate(&self) -> Result<()> {
        let bad = |what: &str, v: usize, min: usize| {
            Error::config(
                format!("features.momentum.{what}"),
                format!("{v} must be at least {min}"),
            )
        };
        if let Some(&h) = self.returns.iter().chain(&self.alpha).find(|&&h| h == 0) {
            return Err(bad("returns/alpha", h, 1));
        }
        for (what, list) in [("realised_vol", &self.realised_vol), ("beta", &self.beta)] {
            if let Some(&w) = list.iter().find(|&&w| w < 2) {
                return Err(bad(what, w, 2));
            }
        }
        if let Some(&n) = self.cti.iter().find(|&&n| n < 2) {
            return Err(bad("cti", n, 2));
        }
        if self.vol_span < 2 {
            return Err(bad("vol_span", self.vol_span, 2));
        }
        if self.alpha_window < 2 {
            return Err(bad("alpha_window", self.alpha_window, 2));
        }
        if let Some([s, l]) = self.macd.iter().find(|[s, l]| s < &2 || l <= s) {
            return Err(Error::config(
                "features.momentum.macd",
                format!("[{s}, {l}] needs 2 <= short < long"),
            ));
        }
        Ok(())
    }

    /// The features of one ticker from its adjusted close `price` (its own span; NaN = missing)
    /// and the market's one-bar returns on the same bars (`None` when no feature needs them).
    pub fn compute(&self, price: &[f64], market: Option<&[f64]>) -> Vec<Vec<f64>> {
        let n = price.len();
        let p = if self.winsorise { winsorise(price) } else { price.to_vec() };
        let r: Vec<f64> =
            (0..n).map(|t| if t == 0 { f64::NAN } else { p[t] / p[t - 1] - 1.0 }).collect();
        let span = self.vol_span as f64;
        let sigma = kernels::ewm_std(&r, kernels::alpha_from_span(span), self.vol_span);
        let mut out = Vec::with_capacity(self.names().len());
        for &h in &self.returns {
            let scale = (h as f64).sqrt();
            out.push(
                (0..n)
                    .map(|t| {
                        if t < h {
                            return f64::NAN;
                        }
                        (p[t] / p[t - h] - 1.0) / sigma[t] / scale
                    })
                    .collect(),
            );
        }
        for &[s, l] in &self.macd {
            out.push(macd_signal(&p, s, l));
        }
        for &w in &self.realised_vol {
            out.push(online::rolling_std(&r, w));
        }
        if self.needs_market() {
            let no_market = vec![f64::NAN; n];
            let m = market.unwrap_or(&no_market);
            let beta_over = |w| ratio(&online::rolling_cov(&r, m, w), &online::rolling_var(m, w));
            for &w in &self.beta {
                out.push(beta_over(w));
            }
            let big_w = self.alpha_window;
            let beta = beta_over(big_w);
            for &h in &self.alpha {
                let (sr, sm) = (online::rolling_sum(&r, h), online::rolling_sum(m, h));
                out.push((0..n).map(|t| sr[t] - beta[t] * sm[t]).collect());
            }
            if self.alpha_variance {
                let resid: Vec<f64> = (0..n).map(|t| r[t] - beta[t] * m[t]).collect();
                let var_e = online::rolling_var(&resid, big_w);
                out.push(ratio(&var_e, &online::rolling_var(&r, big_w)));
            }
        }
        for &length in &self.cti {
            let cti = indicators::momentum::cti::Cti { length };
            out.push(cti.compute_close(&p));
        }
        out
    }
}

fn ratio(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| x / y).collect()
}

/// The DMN paper's normalised MACD signal of `p` for timescales (s, l).
fn macd_signal(p: &[f64], s: usize, l: usize) -> Vec<f64> {
    let halflife = |n: usize| 0.5f64.ln() / (1.0 - 1.0 / n as f64).ln();
    let fast = kernels::ewm_mean_adjusted(p, kernels::alpha_from_halflife(halflife(s)), 0);
    let slow = kernels::ewm_mean_adjusted(p, kernels::alpha_from_halflife(halflife(l)), 0);
    let price_std = online::rolling_std(p, MACD_PRICE_STD);
    let q: Vec<f64> = (0..p.len()).map(|t| (fast[t] - slow[t]) / price_std[t]).collect();
    ratio(&q, &online::rolling_std(&q, MACD_SIGNAL_STD))
}

/// The DMN code's winsorisation of a price at 5 EWM standard deviations (half-life 252).
fn winsorise(p: &[f64]) -> Vec<f64> {
    let alpha = kernels::alpha_from_halflife(WINSOR_HALFLIFE);
    let mean = kernels::ewm_mean_adjusted(p, alpha, 0);
    let std = kernels::ewm_std(p, alpha, 0);
    (0..p.len())
        .map(|t| {
            let capped = kernels::nan_min(p[t], mean[t] + WINSOR_SIGMAS * std[t]);
            kernels::nan_max(capped, mean[t] - WINSOR_SIGMAS * std[t])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_warm_up_of_the_default_set() {
        let spec = MomentumSpec::default();
        let names = spec.names();
        assert_eq!(names.len(), 6 + 3 + 2 + 2 + 3 + 1 + 4);
        assert_eq!(names[0], "nret_1");
        assert_eq!(names[6], "macd_8_24");
        assert!(names.contains(&"alpha_var_252".to_string()));
        // alpha_var needs a 252-bar beta (bars 1..=252) and then 252 residuals.
        assert_eq!(spec.warm_up(), 2 * 252 - 1);
        // docs/indicators.md "Where the series starts": returns, the three MACDs, windows.
        let settled = spec.settled();
        assert_eq!(
            settled[..9].iter().flatten().copied().collect::<Vec<_>>(),
            [1332, 1332, 1332, 1332, 1332, 1332, 1153, 1816, 3142]
        );
        assert!(settled[9..].iter().all(|s| *s == Some(503)));
        assert!(MomentumSpec { macd: vec![[10, 5]], ..spec.clone() }.validate().is_err());
        assert!(MomentumSpec { beta: vec![1], ..spec }.validate().is_err());
    }
}
