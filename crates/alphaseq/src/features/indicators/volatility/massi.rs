//! MASSI (pandas-ta `massi`, fast 9, slow 25), the mass index: the `slow`-bar sum of
//! EMA(range, fast) / EMA(EMA(range, fast), fast), where range is pandas-ta's high - low (plus
//! machine epsilon from the first bar with high == low on; see [`kernels::non_zero_range`]).
//! TA-Lib has no mass index.

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Memory, Ohlcv};

/// Mass index.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Massi {
    /// EMA span.
    pub fast: usize,
    /// Summation window.
    pub slow: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or with TA-Lib's building blocks
    /// (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Massi {
    fn family(&self) -> Family {
        Family::Volatility
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("MASSI_{}_{}", self.fast, self.slow)]
    }

    fn params(&self) -> String {
        let params = { format!("fast={} slow={}", self.fast, self.slow) };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return 2 * (self.fast - 1) + self.slow - 1;
        }
        self.fast + self.slow - 2
    }

    fn memory(&self) -> Memory {
        Memory::ema(self.fast, 2)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let range = kernels::non_zero_range(x.high, x.low);
        let e1 = talib::ema_as(self.convention, &range, self.fast);
        let e2 = talib::ema_as(self.convention, &e1, self.fast);
        let ratio: Vec<f64> = e1.iter().zip(&e2).map(|(a, b)| a / b).collect();
        vec![kernels::rolling_sum(&ratio, self.slow)]
    }
}
