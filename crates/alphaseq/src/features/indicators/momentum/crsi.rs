//! CRSI (pandas-ta `crsi`, rsi_length 3, streak_length 2, rank_length 100), Connors RSI: the mean
//! of the RSI(rsi_length) of the close, the RSI(streak_length) of its "streak" and the percent
//! rank of today's 1-bar return among the previous `rank_length`. Column `CRSI_3_2_100`.
//!
//! Follows pandas-ta knowingly where it departs from Connors: its "streak" is only the sign of
//! each change (1, -1, 0; 0 at the first bar), not the count of consecutive up or down bars; the
//! percent rank counts a missing return in the window as not below (the first window holds one).

use crate::features::indicators::momentum::rsi::Rsi;
use crate::features::indicators::{Family, Indicator, Memory, Ohlcv};

/// Connors RSI.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Crsi {
    /// RSI window of the close.
    pub rsi_length: usize,
    /// RSI window of the streak.
    pub streak_length: usize,
    /// Percent-rank window.
    pub rank_length: usize,
}

impl Indicator for Crsi {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("CRSI_{}_{}_{}", self.rsi_length, self.streak_length, self.rank_length)]
    }

    fn params(&self) -> String {
        format!(
            "rsi_length={} streak_length={} rank_length={}",
            self.rsi_length, self.streak_length, self.rank_length
        )
    }

    fn warm_up(&self) -> usize {
        let rsi = Rsi::new(self.rsi_length).warm_up();
        let streak = Rsi::new(self.streak_length).warm_up();
        self.rank_length.max(rsi).max(streak)
    }

    fn placeholder_rows(&self) -> usize {
        // the first percent rank's window holds the first bar's missing return
        self.rank_length + 1
    }

    fn memory(&self) -> Memory {
        // the RSIs settle within the percent rank's window at the defaults: a window then
        let rsi = Memory::rma(self.rsi_length.max(self.streak_length), 1);
        if rsi.settled(0).is_some_and(|rows| rows <= self.placeholder_rows()) {
            Memory::Window
        } else {
            rsi
        }
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let c = x.close;
        let m = c.len();
        let streak: Vec<f64> = (0..m)
            .map(|t| {
                let d = if t == 0 { 0.0 } else { c[t] - c[t - 1] };
                if d > 0.0 {
                    1.0
                } else if d < 0.0 {
                    -1.0
                } else {
                    d // 0, or NaN for a missing close (numpy's sign)
                }
            })
            .collect();
        let rsi = Rsi::new(self.rsi_length).compute(x).remove(0);
        let on_streak = Ohlcv { close: &streak, ..*x };
        let streak_rsi = Rsi::new(self.streak_length).compute(&on_streak).remove(0);
        let ret: Vec<f64> =
            (0..m).map(|t| if t == 0 { f64::NAN } else { c[t] / c[t - 1] - 1.0 }).collect();
        let n = self.rank_length;
        let rank: Vec<f64> = (0..m)
            .map(|t| {
                if t < n {
                    return f64::NAN;
                }
                let below = ret[t - n..t].iter().filter(|r| **r < ret[t]).count();
                100.0 * below as f64 / n as f64
            })
            .collect();
        vec![(0..m).map(|t| (rsi[t] + streak_rsi[t] + rank[t]) / 3.0).collect()]
    }
}
