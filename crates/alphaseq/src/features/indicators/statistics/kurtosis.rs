//! KURTOSIS (pandas-ta `kurtosis`, length 30): pandas' rolling excess kurtosis with the
//! small-sample correction ((n^2 - 1) m4 / m2^2 - 3 (n-1)^2) / ((n-2)(n-3)) (NaN for a flat window).

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Rolling excess kurtosis of the close.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kurtosis {
    /// Window.
    pub length: usize,
}

impl Indicator for Kurtosis {
    fn family(&self) -> Family {
        Family::Statistics
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("KURT_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        vec![kernels::rolling(x.close, self.length, |w| {
            let n = w.len() as f64;
            let [m2, _, m4] = kernels::central_moments(w);
            if m2 <= 1e-14 {
                f64::NAN
            } else {
                ((n * n - 1.0) * m4 / (m2 * m2) - 3.0 * (n - 1.0).powi(2)) / ((n - 2.0) * (n - 3.0))
            }
        })]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kurtosis_equals_exact_rational_arithmetic() {
        // Rows 191-220 of the ^GSPC 1950-1951 series of tests/fixtures/pandas_ta_indicators.json.
        // The exact value, from Python's fractions.Fraction on these decimals, is
        // -0.022925697692563942; pandas 3.1's rolling kurt gives -0.02292569764072529 (2.3e-9 off).
        let close = [
            19.89, 20.12, 20.0, 19.78, 19.86, 19.85, 19.71, 19.89, 20.01, 20.02, 19.96, 19.96,
            20.08, 20.05, 19.61, 19.77, 19.61, 19.53, 19.56, 19.73, 19.85, 19.36, 19.56, 19.79,
            19.94, 20.01, 19.86, 19.82, 19.72, 19.86,
        ];
        let x = Ohlcv {
            open: &close,
            high: &close,
            low: &close,
            close: &close,
            volume: &close,
            dates: &[],
        };
        let k = Kurtosis { length: 30 }.compute(&x).remove(0)[29];
        let exact = -0.022925697692563942;
        assert!((k - exact).abs() <= 1e-11 * exact.abs(), "{k} vs {exact}");
    }
}
