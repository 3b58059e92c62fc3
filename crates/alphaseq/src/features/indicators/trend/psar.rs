//! PSAR (pandas-ta `psar`, acceleration 0.02 up to 0.2), Wilder's parabolic stop and reverse,
//! started as pandas-ta does: the first direction from the first two bars' directional movement,
//! the first SAR at the first close. Columns `PSARl_0.02_0.2` / `PSARs_0.02_0.2` (the stop when
//! long / short, NaN otherwise), `PSARaf_0.02_0.2` (the acceleration factor) and `PSARr_0.02_0.2`
//! (1 on a reversal bar).

use crate::features::indicators::{Family, Indicator, Memory, Ohlcv};

/// Parabolic SAR.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Psar {
    /// Initial acceleration factor and its step.
    pub af: f64,
    /// Largest acceleration factor.
    pub max_af: f64,
}

impl Indicator for Psar {
    fn family(&self) -> Family {
        Family::Trend
    }

    fn columns(&self) -> Vec<String> {
        let s = format!("{}_{}", self.af, self.max_af);
        vec![
            format!("PSARl_{s}"),
            format!("PSARs_{s}"),
            format!("PSARaf_{s}"),
            format!("PSARr_{s}"),
        ]
    }

    fn params(&self) -> String {
        format!("af={} max_af={}", self.af, self.max_af)
    }

    fn warm_up(&self) -> usize {
        0
    }

    fn intermittent(&self) -> Vec<bool> {
        vec![true, true, false, false]
    }

    fn memory(&self) -> Memory {
        Memory::Path
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let (h, l, m) = (x.high, x.low, x.close.len());
        let (mut long, mut short) = (vec![f64::NAN; m], vec![f64::NAN; m]);
        let (mut af_out, mut reversal) = (vec![0.0; m], vec![0.0; m]);
        if m == 0 {
            return vec![long, short, af_out, reversal];
        }
        af_out.iter_mut().take(2).for_each(|v| *v = self.af);
        // pandas-ta's _falling: the second bar's -DM is positive.
        let mut falling = m > 1 && {
            let (up, dn) = (h[1] - h[0], l[0] - l[1]);
            dn > up && dn > 0.0 && dn.abs() >= f64::EPSILON
        };
        let mut ep = if falling { l[0] } else { h[0] };
        let mut af = self.af;
        let mut sar = vec![0.0; m];
        sar[0] = x.close[0];
        for i in 1..m {
            sar[i] = sar[i - 1] + af * (ep - sar[i - 1]);
            let reverse;
            if falling {
                reverse = h[i] > sar[i];
                if l[i] < ep {
                    ep = l[i];
                    af = (af + self.af).min(self.max_af);
                }
                sar[i] = h[i - 1].max(sar[i]);
            } else {
                reverse = l[i] < sar[i];
                if h[i] > ep {
                    ep = h[i];
                    af = (af + self.af).min(self.max_af);
                }
                sar[i] = l[i - 1].min(sar[i]);
            }
            if reverse {
                sar[i] = ep;
                af = self.af;
                falling = !falling;
                ep = if falling { l[i] } else { h[i] };
            }
            if falling {
                short[i] = sar[i];
            } else {
                long[i] = sar[i];
            }
            af_out[i] = af;
            reversal[i] = reverse as u8 as f64;
        }
        vec![long, short, af_out, reversal]
    }
}
