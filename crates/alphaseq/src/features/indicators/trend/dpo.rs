//! DPO, detrended price oscillator, **causal form**: close_t - SMA(length)_{t - (length/2 + 1)}
//! (pandas-ta `dpo(..., centered=False)`). pandas-ta's default is `centered=True`, which shifts the
//! result back by length/2 + 1 bars and so puts a later price into the value at t: a look-ahead
//! that a study choosing features by importance will find (see ../shared/reference). alphaseq's
//! `DPO_20` is the causal form. The centred form, `close_t - SMA(length)_{t + length/2 + 1}`, is
//! `{ kind = "dpo", centered = true }`: it reads the future and is refused as an input unless
//! `features.look_ahead = "allow"` (its last length/2 + 1 rows are undefined, as pandas-ta's).

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Detrended price oscillator (causal unless `centered`).
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dpo {
    /// Window.
    pub length: usize,
    /// pandas-ta's default, the centred form: reads length/2 + 1 bars ahead.
    #[serde(default)]
    pub centered: bool,
}

impl Indicator for Dpo {
    fn family(&self) -> Family {
        Family::Trend
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("DPO_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={} centered={}", self.length, self.centered)
    }

    fn warm_up(&self) -> usize {
        if self.centered {
            (self.length - 1).saturating_sub(self.length / 2 + 1)
        } else {
            self.length - 1 + self.length / 2 + 1
        }
    }

    fn look_ahead(&self) -> Option<String> {
        self.centered.then(|| {
            format!(
                "the value at t is the close at t minus the {}-bar SMA ending at t + {}",
                self.length,
                self.length / 2 + 1
            )
        })
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let lag = self.length / 2 + 1;
        let m = x.close.len();
        let ma = kernels::rolling_mean(x.close, self.length);
        let value = |t: usize| match self.centered {
            false if t >= lag => x.close[t] - ma[t - lag],
            true if t + lag < m => x.close[t] - ma[t + lag],
            _ => f64::NAN,
        };
        vec![(0..m).map(value).collect()]
    }
}
