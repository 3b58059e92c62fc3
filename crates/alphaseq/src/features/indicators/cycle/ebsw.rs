//! EBSW (pandas-ta `ebsw`, length 40, bars 10), Ehlers' even better sinewave: the close through a
//! one-pole high-pass filter (period `length`) and a two-pole super smoother (period `bars`),
//! and the mean of the last three filtered values over their root mean square. Column
//! `EBSW_40_10`; 0 at row length - 1.
//!
//! Follows pandas-ta's loop (its default, not `initial_version`): it starts at bar `length` from a
//! previous close and filter state of 0, so its first values carry the close's level as a step.

use crate::features::indicators::{Family, Indicator, Memory, Ohlcv};

/// Even better sinewave.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ebsw {
    /// High-pass period.
    pub length: usize,
    /// Super smoother period.
    pub bars: usize,
}

impl Indicator for Ebsw {
    fn family(&self) -> Family {
        Family::Cycle
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("EBSW_{}_{}", self.length, self.bars)]
    }

    fn params(&self) -> String {
        format!("length={} bars={}", self.length, self.bars)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn memory(&self) -> Memory {
        Memory::Path
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let (c, n) = (x.close, self.length);
        let mut out = vec![f64::NAN; c.len()];
        if c.len() < n {
            return vec![out];
        }
        out[n - 1] = 0.0;
        let angle = 2.0 * std::f64::consts::PI / n as f64;
        let alpha1 = (1.0 - angle.sin()) / angle.cos();
        let ang = 2f64.powf(0.5) * std::f64::consts::PI / self.bars as f64;
        let a1 = (-ang).exp();
        let c2 = 2.0 * a1 * ang.cos();
        let c3 = -a1.powi(2);
        let c1 = 1.0 - c2 - c3;
        let (mut last_hp, mut last_close) = (0.0, 0.0);
        let mut hist = [0.0f64; 3];
        for i in n..c.len() {
            let hp = 0.5 * (1.0 + alpha1) * (c[i] - last_close) + alpha1 * last_hp;
            hist.rotate_left(1);
            hist[2] = 0.5 * c1 * (hp + last_hp) + c2 * hist[1] + c3 * hist[0];
            let wave = hist.iter().sum::<f64>() / 3.0;
            let rms = (hist.iter().map(|h| h * h).sum::<f64>() / 3.0).sqrt();
            out[i] = wave / rms;
            (last_hp, last_close) = (hp, c[i]);
        }
        vec![out]
    }
}
