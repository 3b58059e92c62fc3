//! DPO, detrended price oscillator, **causal form**: close_t - SMA(length)_{t - (length/2 + 1)}
//! (pandas-ta `dpo(..., centered=False)`). pandas-ta's default is `centered=True`, which shifts the
//! result back by length/2 + 1 bars and so puts a later price into the value at t: a look-ahead
//! that a study choosing features by importance will find (see ../shared/reference). alphaseq's
//! `DPO_20` is the causal form; the centered form is not offered as a model input.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Detrended price oscillator (causal).
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dpo {
    /// Window.
    pub length: usize,
}

impl Indicator for Dpo {
    fn family(&self) -> Family {
        Family::Trend
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("DPO_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={} centered=false", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1 + self.length / 2 + 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let lag = self.length / 2 + 1;
        let ma = kernels::rolling_mean(x.close, self.length);
        vec![(0..x.close.len())
            .map(|t| if t < lag { f64::NAN } else { x.close[t] - ma[t - lag] })
            .collect()]
    }
}
