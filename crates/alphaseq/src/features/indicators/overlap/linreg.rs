//! LINREG (pandas-ta `linreg`, length 14): the least-squares line through the last `length`
//! closes (x = 1..=length), evaluated at the newest bar, from pandas-ta's closed-form sums. Agrees
//! with TA-Lib `LINEARREG`.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Rolling linear-regression value.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Linreg {
    /// Window.
    pub length: usize,
}

impl Indicator for Linreg {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("LINREG_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        vec![linreg(x.close, self.length, self.length as f64)]
    }
}

/// The least-squares line through each window of `n` values (x = 1..=n), evaluated at `at`
/// (n: the newest bar, pandas-ta's `linreg`; n - 1 with its `tsf=True`), from pandas-ta's sums.
pub fn linreg(close: &[f64], n: usize, at: f64) -> Vec<f64> {
    let len = n as f64;
    let x_sum = 0.5 * len * (len + 1.0);
    let x2_sum = x_sum * (2.0 * len + 1.0) / 3.0;
    let divisor = len * x2_sum - x_sum * x_sum;
    kernels::rolling(close, n, |w| {
        let y_sum: f64 = w.iter().sum();
        let xy_sum: f64 = w.iter().enumerate().map(|(k, y)| (k + 1) as f64 * y).sum();
        let m = (len * xy_sum - x_sum * y_sum) / divisor;
        let b = (y_sum * x2_sum - x_sum * xy_sum) / divisor;
        m * at + b
    })
}
