//! VIDYA (pandas-ta `vidya`, length 14), Chande's variable index dynamic average: an EMA with
//! alpha = 2 / (length + 1) scaled each bar by |CMO|, where CMO sums the gains and losses over
//! `length` bars (pandas-ta's own `_cmo` here, unlike its `cmo` indicator, which smooths with RMA).
//! pandas-ta starts the recursion from **zero** at bar length-1 rather than from a price, so the
//! early values are pulled towards 0 and converge slowly (at the pace of alpha |CMO|); exact zeros
//! are reported as NaN. alphaseq follows both. TA-Lib has no VIDYA.

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Memory, Ohlcv};

/// Variable index dynamic average.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vidya {
    /// Window of the CMO and span of the EMA.
    pub length: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Vidya {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("VIDYA_{}", self.length)]
    }

    fn params(&self) -> String {
        self.convention.named(format!("length={}", self.length))
    }

    fn warm_up(&self) -> usize {
        self.length
    }

    fn memory(&self) -> Memory {
        Memory::Path
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let m = x.close.len();
        let d = kernels::diff(x.close, 1);
        let gains: Vec<f64> = d.iter().map(|v| if v.is_nan() { *v } else { v.max(0.0) }).collect();
        let losses: Vec<f64> =
            d.iter().map(|v| if v.is_nan() { *v } else { (-v).max(0.0) }).collect();
        let (up, down) =
            (kernels::rolling_sum(&gains, self.length), kernels::rolling_sum(&losses, self.length));
        // |CMO| as a fraction: pandas-ta's (rolling sums) or TA-Lib's CMO / 100 (Wilder's)
        let cmo: Vec<f64> = match self.convention {
            Convention::PandasTa => (0..m).map(|i| (up[i] - down[i]) / (up[i] + down[i])).collect(),
            Convention::Talib => {
                talib::cmo(x.close, self.length).iter().map(|c| 0.01 * c).collect()
            }
        };
        let alpha = 2.0 / (self.length as f64 + 1.0);
        let mut out = vec![0.0; m];
        for i in self.length..m {
            let k = alpha * cmo[i].abs();
            out[i] = k * x.close[i] + out[i - 1] * (1.0 - k);
        }
        out.iter_mut().filter(|v| **v == 0.0).for_each(|v| *v = f64::NAN);
        vec![out]
    }
}
