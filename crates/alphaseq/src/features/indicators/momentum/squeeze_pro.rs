//! SQUEEZE_PRO (pandas-ta `squeeze_pro`, bb_length 20, bb_std 2, kc_length 20, Keltner widths
//! 2 / 1.5 / 1, mom_length 12, mom_smooth 6), John Carter's squeeze pro: the squeeze's momentum
//! and whether the Bollinger Bands lie inside the wide, normal and narrow Keltner Channels, outside
//! the wide one, or neither, as 1 or 0 (SMA-based bands, as [`squeeze`](super::squeeze)).
//! Columns `SQZPRO_20_2.0_20_2.0_1.5_1.0`, `SQZPRO_ON_WIDE`, `SQZPRO_ON_NORMAL`,
//! `SQZPRO_ON_NARROW`, `SQZPRO_OFF`, `SQZPRO_NO`. The flags have placeholder rows, and `bb_std`
//! is used, as in `squeeze`.

use crate::features::indicators::momentum::squeeze::{flag, momentum, Bands};
use crate::features::indicators::{Convention, Family, Indicator, Ohlcv};

/// Squeeze pro.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SqueezePro {
    /// Bollinger Bands window.
    pub bb_length: usize,
    /// Bollinger Bands width in standard deviations.
    pub bb_std: f64,
    /// Keltner Channel window.
    pub kc_length: usize,
    /// Wide Keltner Channel width in average true ranges.
    pub kc_scalar_wide: f64,
    /// Normal width.
    pub kc_scalar_normal: f64,
    /// Narrow width.
    pub kc_scalar_narrow: f64,
    /// Momentum look-back.
    pub mom_length: usize,
    /// Momentum SMA.
    pub mom_smooth: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for SqueezePro {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        let s = format!(
            "{}_{:?}_{}_{:?}_{:?}_{:?}",
            self.bb_length,
            self.bb_std,
            self.kc_length,
            self.kc_scalar_wide,
            self.kc_scalar_normal,
            self.kc_scalar_narrow
        );
        let mut out = vec![format!("SQZPRO_{s}")];
        out.extend(
            ["ON_WIDE", "ON_NORMAL", "ON_NARROW", "OFF", "NO"]
                .iter()
                .map(|c| format!("SQZPRO_{c}")),
        );
        out
    }

    fn params(&self) -> String {
        self.convention.named(format!(
            "bb_length={} bb_std={} kc_length={} kc_scalar_wide={} kc_scalar_normal={} kc_scalar_narrow={} mom_length={} mom_smooth={}",
            self.bb_length,
            self.bb_std,
            self.kc_length,
            self.kc_scalar_wide,
            self.kc_scalar_normal,
            self.kc_scalar_narrow,
            self.mom_length,
            self.mom_smooth
        ))
    }

    fn warm_up(&self) -> usize {
        self.mom_length + self.mom_smooth - 1
    }

    fn placeholder_rows(&self) -> usize {
        match self.convention {
            Convention::PandasTa => self.bb_length.max(self.kc_length) - 1,
            // TA-Lib's true range starts on the second bar, its SMA a bar later
            Convention::Talib => (self.bb_length - 1).max(self.kc_length),
        }
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let bands = Bands::new(x, self.bb_length, self.bb_std, self.kc_length, self.convention);
        let wide = bands.on(self.kc_scalar_wide);
        let off = bands.off(self.kc_scalar_wide);
        let no = wide.iter().zip(&off).map(|(a, b)| flag(*a == 0.0 && *b == 0.0)).collect();
        vec![
            momentum(x.close, self.mom_length, self.mom_smooth, self.convention),
            wide,
            bands.on(self.kc_scalar_normal),
            bands.on(self.kc_scalar_narrow),
            off,
            no,
        ]
    }
}
