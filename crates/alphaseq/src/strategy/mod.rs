//! Trading rules: from predictions to target weights. A weight decided at the close of t uses only
//! predictions made at t. Names are equally weighted so that gross exposure is at most 1.
//!
//! Depends on [`crate::dataset`] (samples) and [`crate::numeric`] only.

use serde::{Deserialize, Serialize};

/// How predictions become positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// +1 if the prediction is positive, -1 if negative, 0 if zero; divided by the number of names
    /// with a prediction that date.
    #[default]
    LongShort,
    /// +1 if the prediction is positive, else 0; divided by the number of names with a prediction.
    LongFlat,
    /// +1 if the prediction (a probability) is above `threshold`, else 0; divided by the number
    /// of names with a prediction (the threshold strategies of direction classifiers).
    LongAbove,
    /// +1 above `threshold`, -1 at or below it; divided by the number of names with a prediction.
    LongShortAround,
    /// Cross-sectional: long the top and short the bottom of `quantiles` prediction quantiles
    /// that date (pandas `qcut`, duplicate edges dropped), each side equally weighted to 1/2, so
    /// gross exposure is 1 and the book is dollar neutral.
    TopBottom,
}

impl Rule {
    /// How the rule reads in a report.
    pub fn label(self) -> &'static str {
        match self {
            Rule::LongShort => "long/short on the sign of the prediction",
            Rule::LongFlat => "long/flat on the sign of the prediction",
            Rule::LongAbove => "long when the prediction is above the threshold, else flat",
            Rule::LongShortAround => "long above the threshold, short at or below",
            Rule::TopBottom => "long the top, short the bottom prediction quantile",
        }
    }
}

/// Strategy options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StrategySpec {
    /// The rule.
    pub rule: Rule,
    /// Transaction cost in basis points of the absolute change of each weight.
    pub cost_bps: f64,
    /// Extra bars between the decision and the first return it earns (0 = earn t -> t+1).
    pub execution_lag: usize,
    /// The threshold of `long_above` and `long_short_around`.
    pub threshold: f64,
    /// The number of quantiles of `top_bottom`.
    pub quantiles: usize,
}

impl Default for StrategySpec {
    fn default() -> Self {
        StrategySpec {
            rule: Rule::LongShort,
            cost_bps: 0.0,
            execution_lag: 0,
            threshold: 0.5,
            quantiles: 5,
        }
    }
}

/// Target weights `weights[t][ticker]` (0 where no position) from predictions
/// `(ticker, t, prediction)` on a calendar of `n_dates` dates and `n_tickers` tickers.
pub fn weights(
    spec: &StrategySpec,
    predictions: &[(usize, usize, f64)],
    n_dates: usize,
    n_tickers: usize,
) -> Vec<Vec<f64>> {
    let mut w = vec![vec![0.0; n_tickers]; n_dates];
    let mut by_date: Vec<Vec<(usize, f64)>> = vec![vec![]; n_dates];
    for &(i, t, p) in predictions {
        if p.is_finite() {
            by_date[t].push((i, p));
        }
    }
    for (t, names) in by_date.iter().enumerate() {
        let n = names.len() as f64;
        if spec.rule == Rule::TopBottom {
            let preds: Vec<f64> = names.iter().map(|(_, p)| *p).collect();
            let (bins, count) = crate::numeric::qcut(&preds, spec.quantiles);
            if count < 2 {
                continue;
            }
            let side = |b: usize| {
                if b == count - 1 {
                    1.0
                } else if b == 0 {
                    -1.0
                } else {
                    0.0
                }
            };
            let longs = bins.iter().filter(|b| **b == Some(count - 1)).count() as f64;
            let shorts = bins.iter().filter(|b| **b == Some(0)).count() as f64;
            for ((i, _), b) in names.iter().zip(&bins) {
                if let Some(b) = b {
                    let s = side(*b);
                    let size = if s > 0.0 { 0.5 / longs } else { 0.5 / shorts };
                    w[t][*i] = s * size;
                }
            }
            continue;
        }
        for &(i, p) in names {
            let side = match spec.rule {
                Rule::LongShort => p.signum() * f64::from(u8::from(p != 0.0)),
                Rule::LongFlat => f64::from(u8::from(p > 0.0)),
                Rule::LongAbove => f64::from(u8::from(p > spec.threshold)),
                Rule::LongShortAround => {
                    if p > spec.threshold {
                        1.0
                    } else {
                        -1.0
                    }
                }
                Rule::TopBottom => 0.0,
            };
            w[t][i] = side / n;
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_weights_by_sign() {
        let preds = [(0, 0, 0.2), (1, 0, -0.1), (2, 0, 0.0), (0, 1, 0.3)];
        let spec = |rule| StrategySpec { rule, ..StrategySpec::default() };
        let ls = weights(&spec(Rule::LongShort), &preds, 2, 3);
        assert_eq!(ls[0], vec![1.0 / 3.0, -1.0 / 3.0, 0.0]);
        assert_eq!(ls[1], vec![1.0, 0.0, 0.0]);
        let lf = weights(&spec(Rule::LongFlat), &preds, 2, 3);
        assert_eq!(lf[0], vec![1.0 / 3.0, 0.0, 0.0]);
        let probs = [(0, 0, 0.7), (1, 0, 0.5), (2, 0, 0.2)];
        let above =
            weights(&StrategySpec { threshold: 0.6, ..spec(Rule::LongAbove) }, &probs, 1, 3);
        assert_eq!(above[0], vec![1.0 / 3.0, 0.0, 0.0]);
        let around = weights(&spec(Rule::LongShortAround), &probs, 1, 3);
        assert_eq!(around[0], vec![1.0 / 3.0, -1.0 / 3.0, -1.0 / 3.0], "at the threshold is short");
    }

    #[test]
    fn top_bottom_is_dollar_neutral_with_unit_gross() {
        let preds: Vec<(usize, usize, f64)> = (0..10).map(|i| (i, 0, i as f64)).collect();
        let w = weights(
            &StrategySpec { rule: Rule::TopBottom, ..StrategySpec::default() },
            &preds,
            1,
            10,
        );
        // quintiles of 0..9: bottom {0, 1}, top {8, 9}
        assert_eq!(w[0][..2], [-0.25, -0.25]);
        assert_eq!(w[0][8..], [0.25, 0.25]);
        assert_eq!(w[0].iter().sum::<f64>(), 0.0);
        assert_eq!(w[0].iter().map(|x| x.abs()).sum::<f64>(), 1.0);
        assert!(w[0][2..8].iter().all(|x| *x == 0.0));
    }
}
