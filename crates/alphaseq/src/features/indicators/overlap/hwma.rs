//! HWMA (pandas-ta `hwma`, na 0.2, nb 0.1, nc 0.1), the Holt-Winters moving average: level F,
//! velocity V and acceleration A smoothed with na, nb, nc from F = the first close, V = A = 0;
//! the value is `F + V + A / 2`. Column `HWMA_0.2_0.1_0.1`.

use crate::features::indicators::{Family, Indicator, Memory, Ohlcv};

/// Holt-Winters moving average.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hwma {
    /// Level smoothing, in (0, 1).
    pub na: f64,
    /// Velocity smoothing, in (0, 1).
    pub nb: f64,
    /// Acceleration smoothing, in (0, 1).
    pub nc: f64,
}

impl Indicator for Hwma {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        let [na, nb, nc] = self.factors();
        vec![format!("HWMA_{na:?}_{nb:?}_{nc:?}")]
    }

    fn params(&self) -> String {
        format!("na={} nb={} nc={}", self.na, self.nb, self.nc)
    }

    fn warm_up(&self) -> usize {
        0
    }

    fn memory(&self) -> Memory {
        Memory::Path
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let [na, nb, nc] = self.factors();
        let (mut f, mut v, mut a) = (x.close.first().copied().unwrap_or(f64::NAN), 0.0, 0.0);
        let out = x
            .close
            .iter()
            .map(|c| {
                let f1 = (1.0 - na) * (f + v + 0.5 * a) + na * c;
                let v1 = (1.0 - nb) * (v + a) + nb * (f1 - f);
                let a1 = (1.0 - nc) * a + nc * (v1 - v);
                (f, v, a) = (f1, v1, a1);
                f1 + v1 + 0.5 * a1
            })
            .collect();
        vec![out]
    }
}

impl Hwma {
    /// pandas-ta's factors: each as given when in (0, 1), else its default.
    fn factors(&self) -> [f64; 3] {
        let pick = |v: f64, default: f64| if v > 0.0 && v < 1.0 { v } else { default };
        [pick(self.na, 0.2), pick(self.nb, 0.1), pick(self.nc, 0.1)]
    }
}
