//! ERI (pandas-ta `eri`, length 13), Elder's ray: bull power = high - EMA(close) and bear power =
//! low - EMA(close). Columns `BULLP_13`, `BEARP_13`.

use crate::features::indicators::{kernels, Family, Indicator, Memory, Ohlcv};

/// Elder ray index.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Eri {
    /// EMA span.
    pub length: usize,
}

impl Indicator for Eri {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("BULLP_{}", self.length), format!("BEARP_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn memory(&self) -> Memory {
        Memory::ema(self.length, 1)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let ema = kernels::ema(x.close, self.length);
        let bull = x.high.iter().zip(&ema).map(|(h, e)| h - e).collect();
        let bear = x.low.iter().zip(&ema).map(|(l, e)| l - e).collect();
        vec![bull, bear]
    }
}
