//! SUPERTREND (pandas-ta `supertrend`, length 7, multiplier 3): bands hl2 -/+ 3 ATR (RMA ATR of
//! length 7) that only tighten while the trend lasts; the trend flips when the close crosses the
//! previous bar's opposite band. Columns `SUPERT_7_3.0` (the active band), `SUPERTd_7_3.0`
//! (direction, undefined for the first `length` bars), `SUPERTl_7_3.0` and `SUPERTs_7_3.0` (the
//! band when long / short, NaN otherwise).

use crate::features::indicators::{Convention, Family, Indicator, Memory, Ohlcv};

/// Supertrend.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Supertrend {
    /// ATR window (and the direction's warm-up).
    pub length: usize,
    /// Band width in ATRs.
    pub multiplier: f64,
    /// Whose values: pandas-ta's pure-pandas path (default) or with TA-Lib's ATR (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Supertrend {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        let s = format!("{}_{:.1}", self.length, self.multiplier);
        vec![
            format!("SUPERT_{s}"),
            format!("SUPERTd_{s}"),
            format!("SUPERTl_{s}"),
            format!("SUPERTs_{s}"),
        ]
    }

    fn params(&self) -> String {
        let params = { format!("length={} multiplier={}", self.length, self.multiplier) };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        self.length
    }

    fn intermittent(&self) -> Vec<bool> {
        vec![false, false, true, true]
    }

    fn memory(&self) -> Memory {
        Memory::Path
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let m = x.close.len();
        let atr = crate::features::indicators::volatility::atr::Atr {
            length: self.length,
            convention: self.convention,
        }
        .compute(x)
        .remove(0);
        let mid: Vec<f64> = (0..m).map(|t| 0.5 * (x.high[t] + x.low[t])).collect();
        let mut lb: Vec<f64> = (0..m).map(|t| mid[t] - self.multiplier * atr[t]).collect();
        let mut ub: Vec<f64> = (0..m).map(|t| mid[t] + self.multiplier * atr[t]).collect();
        let (mut dir, mut trend) = (vec![1.0; m], vec![0.0; m]);
        let (mut long, mut short) = (vec![f64::NAN; m], vec![f64::NAN; m]);
        for i in 1..m {
            if x.close[i] > ub[i - 1] {
                dir[i] = 1.0;
            } else if x.close[i] < lb[i - 1] {
                dir[i] = -1.0;
            } else {
                dir[i] = dir[i - 1];
                if dir[i] > 0.0 && lb[i] < lb[i - 1] {
                    lb[i] = lb[i - 1];
                }
                if dir[i] < 0.0 && ub[i] > ub[i - 1] {
                    ub[i] = ub[i - 1];
                }
            }
            if dir[i] > 0.0 {
                trend[i] = lb[i];
                long[i] = lb[i];
            } else {
                trend[i] = ub[i];
                short[i] = ub[i];
            }
        }
        if m > 0 {
            trend[0] = f64::NAN;
        }
        dir.iter_mut().take(self.length).for_each(|d| *d = f64::NAN);
        vec![trend, dir, long, short]
    }
}
