//! ABER (pandas-ta `aberration`, length 5, ATR length 15): the SMA of the typical price (ZG), ZG +/-
//! ATR (SG, XG) and the ATR itself (pandas-ta's RMA ATR; with TA-Lib installed pandas-ta would use
//! TA-Lib's ATR here, whatever `talib` says, since `aberration` does not pass the flag on).
//! Columns `ABER_ZG_5_15`, `ABER_SG_5_15`, `ABER_XG_5_15`, `ABER_ATR_5_15`.

use crate::features::indicators::{kernels, Convention, Family, Indicator, Memory, Ohlcv};

/// Aberration bands.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aberration {
    /// SMA window of the typical price.
    pub length: usize,
    /// ATR window.
    pub atr_length: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or with TA-Lib's ATR (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Aberration {
    fn family(&self) -> Family {
        Family::Volatility
    }

    fn columns(&self) -> Vec<String> {
        let s = format!("{}_{}", self.length, self.atr_length);
        ["ZG", "SG", "XG", "ATR"].iter().map(|p| format!("ABER_{p}_{s}")).collect()
    }

    fn params(&self) -> String {
        let params = { format!("length={} atr_length={}", self.length, self.atr_length) };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        let atr = crate::features::indicators::volatility::atr::Atr {
            length: self.atr_length,
            convention: self.convention,
        };
        (self.length - 1).max(atr.warm_up())
    }

    fn memory(&self) -> Memory {
        Memory::rma(self.atr_length, 1)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let atr = super::super::volatility::atr::Atr {
            length: self.atr_length,
            convention: self.convention,
        }
        .compute(x)
        .remove(0);
        let tp: Vec<f64> =
            (0..x.close.len()).map(|t| (x.high[t] + x.low[t] + x.close[t]) / 3.0).collect();
        let zg = kernels::rolling_mean(&tp, self.length);
        let sg = zg.iter().zip(&atr).map(|(z, a)| z + a).collect();
        let xg = zg.iter().zip(&atr).map(|(z, a)| z - a).collect();
        vec![zg, sg, xg, atr]
    }
}
