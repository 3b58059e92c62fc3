//! ALLIGATOR (pandas-ta `alligator`, jaw 13, teeth 8, lips 5), Bill Williams' alligator: the
//! SMMAs of the close over the three lengths (pandas-ta does not shift them forward as Williams
//! draws them). Columns `AGj_13_8_5`, `AGt_13_8_5`, `AGl_13_8_5`.

use crate::features::indicators::overlap::smma::Smma;
use crate::features::indicators::{Family, Indicator, Memory, Ohlcv};

/// Williams' alligator.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alligator {
    /// Jaw SMMA length.
    pub jaw: usize,
    /// Teeth SMMA length.
    pub teeth: usize,
    /// Lips SMMA length.
    pub lips: usize,
}

impl Indicator for Alligator {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        let s = format!("{}_{}_{}", self.jaw, self.teeth, self.lips);
        vec![format!("AGj_{s}"), format!("AGt_{s}"), format!("AGl_{s}")]
    }

    fn params(&self) -> String {
        format!("jaw={} teeth={} lips={}", self.jaw, self.teeth, self.lips)
    }

    fn warm_up(&self) -> usize {
        self.jaw.max(self.teeth).max(self.lips) - 1
    }

    fn memory(&self) -> Memory {
        Memory::rma(self.jaw.max(self.teeth).max(self.lips), 1)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        [self.jaw, self.teeth, self.lips]
            .iter()
            .map(|&length| Smma { length }.smooth(x.close))
            .collect()
    }
}
