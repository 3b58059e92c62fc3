//! DRAWDOWN (pandas-ta `drawdown`): the close's distance below its running maximum, in price
//! (`DD`), as a fraction (`DD_PCT`, 1 - close / max) and in log terms (`DD_LOG`). The running
//! maximum skips missing closes, as pandas' `cummax`.

use crate::features::indicators::{Family, Indicator, Memory, Ohlcv};

/// Drawdown from the running maximum close.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Drawdown;

impl Indicator for Drawdown {
    fn family(&self) -> Family {
        Family::Performance
    }

    fn columns(&self) -> Vec<String> {
        vec!["DD".into(), "DD_PCT".into(), "DD_LOG".into()]
    }

    fn params(&self) -> String {
        String::new()
    }

    fn warm_up(&self) -> usize {
        0
    }

    fn memory(&self) -> Memory {
        Memory::Path
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let mut peak = f64::NAN;
        let mut out = [vec![], vec![], vec![]];
        for &c in x.close {
            let max = if c.is_nan() {
                f64::NAN
            } else {
                peak = if peak.is_nan() { c } else { peak.max(c) };
                peak
            };
            out[0].push(max - c);
            out[1].push(1.0 - c / max);
            out[2].push(max.ln() - c.ln());
        }
        out.to_vec()
    }
}
