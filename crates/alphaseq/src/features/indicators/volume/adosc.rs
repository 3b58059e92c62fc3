//! ADOSC (pandas-ta `adosc`, 3 and 10), the Chaikin oscillator: EMA(3) - EMA(10) of the AD line
//! (SMA-seeded EMAs, as pandas-ta).

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Memory, Ohlcv};

/// Chaikin accumulation/distribution oscillator.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Adosc {
    /// Fast span.
    pub fast: usize,
    /// Slow span.
    pub slow: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Adosc {
    fn family(&self) -> Family {
        Family::Volume
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("ADOSC_{}_{}", self.fast, self.slow)]
    }

    fn params(&self) -> String {
        let params = { format!("fast={} slow={}", self.fast, self.slow) };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return self.fast.max(self.slow) - 1;
        }
        self.fast.max(self.slow) - 1
    }

    fn memory(&self) -> Memory {
        Memory::ema(self.fast.max(self.slow), 1)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        if self.convention == Convention::Talib {
            return vec![talib::adosc(x.high, x.low, x.close, x.volume, self.fast, self.slow)];
        }
        let ad = kernels::cumsum(&kernels::money_flow(x));
        let (f, s) = (kernels::ema(&ad, self.fast), kernels::ema(&ad, self.slow));
        vec![f.iter().zip(&s).map(|(a, b)| a - b).collect()]
    }
}
