//! CFO (pandas-ta `cfo`, length 9), Chande's forecast oscillator: 100 (close - TSF) / close, where
//! TSF is the window's least-squares line at its next-to-last x (pandas-ta's `linreg(tsf=True)`,
//! `m (length - 1) + b`, which is TA-Lib's TSF shifted back one step, as pandas-ta has it).

use crate::features::indicators::{talib, Convention, Family, Indicator, Ohlcv};

/// Chande forecast oscillator.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cfo {
    /// Window.
    pub length: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Cfo {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("CFO_{}", self.length)]
    }

    fn params(&self) -> String {
        self.convention.named(format!("length={}", self.length))
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let tsf = match self.convention {
            Convention::PandasTa => super::super::overlap::linreg::linreg(
                x.close,
                self.length,
                self.length as f64 - 1.0,
            ),
            Convention::Talib => talib::linearreg(x.close, self.length, 1),
        };
        vec![(0..tsf.len()).map(|t| 100.0 * (x.close[t] - tsf[t]) / x.close[t]).collect()]
    }
}
