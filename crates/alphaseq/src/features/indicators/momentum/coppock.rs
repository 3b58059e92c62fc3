//! COPPOCK (pandas-ta `coppock`, length 10, fast 11, slow 14), the Coppock curve: the WMA(length)
//! of ROC(fast) + ROC(slow). Column `COPC_11_14_10`. TA-Lib has no Coppock curve.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Coppock curve.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coppock {
    /// WMA window.
    pub length: usize,
    /// Shorter ROC window.
    pub fast: usize,
    /// Longer ROC window.
    pub slow: usize,
}

impl Indicator for Coppock {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("COPC_{}_{}_{}", self.fast, self.slow, self.length)]
    }

    fn params(&self) -> String {
        format!("length={} fast={} slow={}", self.length, self.fast, self.slow)
    }

    fn warm_up(&self) -> usize {
        self.fast.max(self.slow) + self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let roc = |n| super::roc::Roc { length: n }.compute(x).remove(0);
        let total: Vec<f64> =
            roc(self.fast).iter().zip(roc(self.slow)).map(|(a, b)| a + b).collect();
        vec![kernels::wma(&total, self.length)]
    }
}
