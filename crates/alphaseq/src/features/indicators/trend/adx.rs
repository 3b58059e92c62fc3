//! ADX (pandas-ta `adx`, length 14, RMA, pure-pandas path): with ATR computed as pandas-ta's ADX
//! does (true range undefined on the first bar, so the SMA seed averages `length - 1` values),
//! +DI = 100 RMA(+DM) / ATR and -DI = 100 RMA(-DM) / ATR, DX = 100 |+DI - -DI| / (+DI + -DI),
//! ADX = RMA(DX) and ADXR = (ADX_t + ADX_{t-2}) / 2. Columns `ADX_14`, `ADXR_14_2`, `DMP_14`,
//! `DMN_14`. TA-Lib's ADX seeds differently, so early values differ.

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Memory, Ohlcv};

/// Average directional index with the directional indicators.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Adx {
    /// Window.
    pub length: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

/// pandas-ta's `zero`: values within machine epsilon of 0 become 0.
fn zero(x: f64) -> f64 {
    if x.abs() < f64::EPSILON {
        0.0
    } else {
        x
    }
}

impl Indicator for Adx {
    fn family(&self) -> Family {
        Family::Trend
    }

    fn columns(&self) -> Vec<String> {
        let n = self.length;
        vec![format!("ADX_{n}"), format!("ADXR_{n}_2"), format!("DMP_{n}"), format!("DMN_{n}")]
    }

    fn params(&self) -> String {
        self.convention.named(format!("length={} adxr_length=2", self.length))
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return 2 * self.length + 1;
        }
        self.length + 1
    }

    fn memory(&self) -> Memory {
        Memory::rma(self.length, 2)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let (n, m) = (self.length, x.close.len());
        let adxr = |adx: &[f64]| {
            (0..m).map(|t| if t < 2 { f64::NAN } else { 0.5 * (adx[t] + adx[t - 2]) }).collect()
        };
        if self.convention == Convention::Talib && n > 1 {
            // pandas-ta with TA-Lib: ADX, and PLUS_DM / MINUS_DM (the smoothed movements, not
            // the DI lines its own path gives) as DMP / DMN
            let adx = talib::adx(x.high, x.low, x.close, n);
            let [dmp, dmn] = talib::directional_movements(x.high, x.low, n);
            let adxr = adxr(&adx);
            return vec![adx, adxr, dmp, dmn];
        }
        let alpha = 1.0 / n as f64;
        let mut tr = super::super::volatility::true_range::true_range(x);
        if let Some(first) = tr.first_mut() {
            *first = f64::NAN; // prenan
        }
        let atr = kernels::ewm_mean(&kernels::sma_seeded(&tr, n), alpha);
        let (mut pos, mut neg) = (vec![f64::NAN; m], vec![f64::NAN; m]);
        for t in 1..m {
            let up = x.high[t] - x.high[t - 1];
            let dn = x.low[t - 1] - x.low[t];
            pos[t] = zero(if up > dn && up > 0.0 { up } else { 0.0 });
            neg[t] = zero(if dn > up && dn > 0.0 { dn } else { 0.0 });
        }
        let (rp, rn) = (kernels::ewm_mean(&pos, alpha), kernels::ewm_mean(&neg, alpha));
        let dmp: Vec<f64> = (0..m).map(|t| 100.0 / atr[t] * rp[t]).collect();
        let dmn: Vec<f64> = (0..m).map(|t| 100.0 / atr[t] * rn[t]).collect();
        let dx: Vec<f64> =
            (0..m).map(|t| 100.0 * (dmp[t] - dmn[t]).abs() / (dmp[t] + dmn[t])).collect();
        let adx = kernels::ewm_mean(&dx, alpha);
        let adxr = adxr(&adx);
        vec![adx, adxr, dmp, dmn]
    }
}
