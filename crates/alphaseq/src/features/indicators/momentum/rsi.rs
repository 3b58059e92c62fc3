//! RSI (pandas-ta `rsi`, pure-pandas path): 100 * RMA(gains) / (RMA(gains) + |RMA(losses)|) with
//! RMA = `ewm(alpha = 1 / length, adjust=False)` started at the second bar. **Unlike TA-Lib's RSI
//! (which leaves `length` bars undefined and seeds with an SMA), pandas-ta's pure path is defined
//! from the second bar on**, so its first values rest on very few changes; they differ from TA-Lib
//! early on and converge later. alphaseq follows pandas-ta. `mamode = "sma"` smooths with simple
//! means of `length` changes instead (pandas-ta's `rsi(mamode="sma")`, which ALPHATREND uses).

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Memory, Ohlcv};

/// Relative strength index over `length` bars.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rsi {
    /// Window.
    pub length: usize,
    /// How gains and losses are averaged.
    #[serde(default)]
    pub mamode: RsiSmoothing,
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

/// The average of gains and losses in [`Rsi`] (pandas-ta's `mamode`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RsiSmoothing {
    /// Wilder's RMA, `ewm(alpha = 1 / length, adjust=False)` (pandas-ta's default).
    #[default]
    Rma,
    /// The simple mean of the last `length` changes.
    Sma,
}

impl Rsi {
    /// pandas-ta's default RSI (Wilder's smoothing) over `length` bars.
    pub fn new(length: usize) -> Rsi {
        Rsi::under(length, Convention::PandasTa)
    }

    /// Wilder's RSI over `length` bars under `convention` (pandas-ta's `rsi()` inside another
    /// indicator: TA-Lib's RSI when TA-Lib is installed).
    pub fn under(length: usize, convention: Convention) -> Rsi {
        Rsi { length, mamode: RsiSmoothing::Rma, convention }
    }
}

impl Indicator for Rsi {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("RSI_{}", self.length)]
    }

    fn params(&self) -> String {
        let params = {
            let mamode = match self.mamode {
                RsiSmoothing::Rma => "rma",
                RsiSmoothing::Sma => "sma",
            };
            format!("length={} mamode={mamode}", self.length)
        };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return self.length;
        }
        match self.mamode {
            RsiSmoothing::Rma => 1,
            RsiSmoothing::Sma => self.length,
        }
    }

    fn memory(&self) -> Memory {
        match self.mamode {
            RsiSmoothing::Rma => Memory::rma(self.length, 1),
            RsiSmoothing::Sma => Memory::Window,
        }
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        if self.convention == Convention::Talib {
            return vec![talib::rsi(x.close, self.length)];
        }
        let d = kernels::diff(x.close, 1);
        let gains: Vec<f64> = d.iter().map(|v| if *v < 0.0 { 0.0 } else { *v }).collect();
        let losses: Vec<f64> = d.iter().map(|v| if *v > 0.0 { 0.0 } else { *v }).collect();
        let average = |v: &[f64]| match self.mamode {
            RsiSmoothing::Rma => kernels::ewm_mean(v, 1.0 / self.length as f64),
            RsiSmoothing::Sma => kernels::rolling_mean(v, self.length),
        };
        let (up, down) = (average(&gains), average(&losses));
        vec![up.iter().zip(&down).map(|(u, d)| 100.0 * u / (u + d.abs())).collect()]
    }
}
