//! T3 (pandas-ta `t3`, length 10, a 0.7), Tillson's T3: six EMAs in cascade (each SMA-seeded as
//! pandas-ta's `ema`), combined as `c1 e6 + c2 e5 + c3 e4 + c4 e3` with `c1 = -a^3`,
//! `c2 = 3 a^2 + 3 a^3`, `c3 = -6 a^2 - 3 a - 3 a^3`, `c4 = a^3 + 3 a^2 + 3 a + 1`.
//! Column `T3_10_0.7`.

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Memory, Ohlcv};

/// Tillson's T3 moving average.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct T3 {
    /// EMA span of each of the six.
    pub length: usize,
    /// Volume factor, in (0, 1) (pandas-ta takes others as 0.7).
    pub a: f64,
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for T3 {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("T3_{}_{:?}", self.length, self.a())]
    }

    fn params(&self) -> String {
        self.convention.named(format!("length={} a={}", self.length, self.a))
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return 6 * (self.length - 1);
        }
        self.length - 1
    }

    fn memory(&self) -> Memory {
        Memory::ema(self.length, 6)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let a = self.a();
        if self.convention == Convention::Talib {
            return vec![talib::t3(x.close, self.length, a)];
        }
        let c1 = -a * a * a;
        let c2 = 3.0 * a * a + 3.0 * a * a * a;
        let c3 = -6.0 * a * a - 3.0 * a - 3.0 * a * a * a;
        let c4 = a * a * a + 3.0 * a * a + 3.0 * a + 1.0;
        let mut e = vec![kernels::ema(x.close, self.length)];
        for _ in 1..6 {
            let next = kernels::ema(&e[e.len() - 1], self.length);
            e.push(next);
        }
        let t3 = (0..x.close.len())
            .map(|t| c1 * e[5][t] + c2 * e[4][t] + c3 * e[3][t] + c4 * e[2][t])
            .collect();
        vec![t3]
    }
}

impl T3 {
    /// pandas-ta's volume factor: `a` when in (0, 1), else 0.7.
    fn a(&self) -> f64 {
        if self.a > 0.0 && self.a < 1.0 {
            self.a
        } else {
            0.7
        }
    }
}
