//! CDL_DOJI (pandas-ta `cdl_doji`, length 10, factor 10), pandas-ta's own doji: 100 when the real
//! body |close - open| is below `factor` percent of the SMA(length) of the high-low range, else 0.
//! Column `CDL_DOJI_10_0.1`. Follows pandas-ta: the first `length - 1` rows, before the average
//! exists, are 0 (placeholders). (TA-Lib's `CDLDOJI` is another definition.)

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Doji.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CdlDoji {
    /// Window of the average range.
    pub length: usize,
    /// Body limit in percent of the average range (pandas-ta takes values outside 0-100 as 10).
    pub factor: f64,
}

impl CdlDoji {
    fn factor(&self) -> f64 {
        if (0.0..=100.0).contains(&self.factor) {
            self.factor
        } else {
            10.0
        }
    }
}

impl Indicator for CdlDoji {
    fn family(&self) -> Family {
        Family::Candles
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("CDL_DOJI_{}_{:?}", self.length, 0.01 * self.factor())]
    }

    fn params(&self) -> String {
        format!("length={} factor={}", self.length, self.factor)
    }

    fn warm_up(&self) -> usize {
        0
    }

    fn placeholder_rows(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let body = kernels::non_zero_range(x.close, x.open);
        let range: Vec<f64> =
            kernels::non_zero_range(x.high, x.low).iter().map(|r| r.abs()).collect();
        let average = kernels::rolling_mean(&range, self.length);
        let limit = 0.01 * self.factor();
        let doji = (0..body.len())
            .map(|t| if body[t].abs() < limit * average[t] { 100.0 } else { 0.0 })
            .collect();
        vec![doji]
    }
}
