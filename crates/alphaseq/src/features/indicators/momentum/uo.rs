//! UO (pandas-ta `uo`, 7, 14 and 28 with weights 4, 2, 1), the ultimate oscillator of buying
//! pressure (close - min(low, previous close)) over true range sums. Agrees with TA-Lib `ULTOSC`.

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Ohlcv};

/// Ultimate oscillator.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Uo {
    /// Fast window.
    pub fast: usize,
    /// Medium window.
    pub medium: usize,
    /// Slow window.
    pub slow: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Uo {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("UO_{}_{}_{}", self.fast, self.medium, self.slow)]
    }

    fn params(&self) -> String {
        let params = { format!("fast={} medium={} slow={}", self.fast, self.medium, self.slow) };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return self.fast.max(self.medium).max(self.slow);
        }
        self.fast.max(self.medium).max(self.slow) - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        if self.convention == Convention::Talib {
            return vec![talib::ultosc(
                x.high,
                x.low,
                x.close,
                [self.fast, self.medium, self.slow],
            )];
        }
        let m = x.close.len();
        let (mut bp, mut tr) = (vec![0.0; m], vec![0.0; m]);
        for t in 0..m {
            // pandas max/min over (high | low, previous close) skip the missing previous close.
            let (hi, lo) = if t == 0 {
                (x.high[t], x.low[t])
            } else {
                (x.high[t].max(x.close[t - 1]), x.low[t].min(x.close[t - 1]))
            };
            bp[t] = x.close[t] - lo;
            tr[t] = hi - lo;
        }
        let avg = |n: usize| -> Vec<f64> {
            let (b, r) = (kernels::rolling_sum(&bp, n), kernels::rolling_sum(&tr, n));
            b.iter().zip(&r).map(|(a, c)| a / c).collect()
        };
        let (f, md, s) = (avg(self.fast), avg(self.medium), avg(self.slow));
        vec![(0..m).map(|t| 100.0 * (4.0 * f[t] + 2.0 * md[t] + s[t]) / 7.0).collect()]
    }
}
