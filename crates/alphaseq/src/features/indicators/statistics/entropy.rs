//! ENTROPY (pandas-ta `entropy`, length 10, base 2): p = close / (sum of the last `length`
//! closes), then the `length`-bar sum of -p log(p) / log(base). Column `ENTP_10`.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Rolling entropy of the close.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entropy {
    /// Window.
    pub length: usize,
    /// Logarithm base.
    pub base: f64,
}

impl Indicator for Entropy {
    fn family(&self) -> Family {
        Family::Statistics
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("ENTP_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={} base={}", self.length, self.base)
    }

    fn warm_up(&self) -> usize {
        2 * self.length - 2
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let total = kernels::rolling_sum(x.close, self.length);
        let terms: Vec<f64> = (0..total.len())
            .map(|t| {
                let p = x.close[t] / total[t];
                -p * p.ln() / self.base.ln()
            })
            .collect();
        vec![kernels::rolling_sum(&terms, self.length)]
    }
}
