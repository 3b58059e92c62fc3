//! Trading rules: from predictions to target weights. A weight decided at the close of t uses only
//! predictions made at t. Names are equally weighted so that gross exposure is at most 1.
//!
//! Depends on [`crate::dataset`] (samples) only.

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
}

impl Rule {
    /// How the rule reads in a report.
    pub fn label(self) -> &'static str {
        match self {
            Rule::LongShort => "long/short on the sign of the prediction",
            Rule::LongFlat => "long/flat on the sign of the prediction",
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
}

impl Default for StrategySpec {
    fn default() -> Self {
        StrategySpec { rule: Rule::LongShort, cost_bps: 0.0, execution_lag: 0 }
    }
}

/// Target weights `weights[t][ticker]` (0 where no position) from predictions
/// `(ticker, t, prediction)` on a calendar of `n_dates` dates and `n_tickers` tickers.
pub fn weights(
    rule: Rule,
    predictions: &[(usize, usize, f64)],
    n_dates: usize,
    n_tickers: usize,
) -> Vec<Vec<f64>> {
    let mut w = vec![vec![0.0; n_tickers]; n_dates];
    let mut count = vec![0usize; n_dates];
    for &(_, t, p) in predictions {
        if p.is_finite() {
            count[t] += 1;
        }
    }
    for &(i, t, p) in predictions {
        if !p.is_finite() {
            continue;
        }
        let side = match rule {
            Rule::LongShort => p.signum() * (p != 0.0) as u8 as f64,
            Rule::LongFlat => (p > 0.0) as u8 as f64,
        };
        w[t][i] = side / count[t] as f64;
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_weights_by_sign() {
        let preds = [(0, 0, 0.2), (1, 0, -0.1), (2, 0, 0.0), (0, 1, 0.3)];
        let ls = weights(Rule::LongShort, &preds, 2, 3);
        assert_eq!(ls[0], vec![1.0 / 3.0, -1.0 / 3.0, 0.0]);
        assert_eq!(ls[1], vec![1.0, 0.0, 0.0]);
        let lf = weights(Rule::LongFlat, &preds, 2, 3);
        assert_eq!(lf[0], vec![1.0 / 3.0, 0.0, 0.0]);
    }
}
