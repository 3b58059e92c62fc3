//! The one window geometry: a sample dated t with sequence length L and sampling rate r sees the
//! feature rows t - (L-1) r, ..., t - r, t of its ticker (Keras'
//! `TimeseriesGenerator(length=(L-1) r + 1, sampling_rate=r)`). On own calendars
//! (`data.calendar = "own"`) the rows are counted in the ticker's own bars. Data sets, the
//! engine's sources, permutation importance and `signal` all take rows and completeness from
//! here.

use crate::features::FeatureMatrix;

/// Sequence length and sampling rate of the windows a model sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowShape {
    /// Rows per window (1 = only the as-of date).
    pub length: usize,
    /// Bars between consecutive rows (1 = consecutive bars).
    pub rate: usize,
}

impl WindowShape {
    /// Windows of `length` rows, `rate` bars apart.
    pub fn new(length: usize, rate: usize) -> WindowShape {
        WindowShape { length, rate }
    }

    /// Bars a window covers, `(L-1) r + 1`: all of them must have features.
    pub fn span(&self) -> usize {
        self.length.saturating_sub(1) * self.rate + 1
    }

    /// The date index of row `k` (0 = oldest, L-1 = the as-of date) of the window dated `t`.
    ///
    /// # Panics
    /// When the window would start before the first date (`t + 1 < span`): callers take samples
    /// from [`WindowShape::fits`] or a data set.
    pub fn row(&self, t: usize, k: usize) -> usize {
        t - (self.length - 1 - k) * self.rate
    }

    /// Whether a window dated `t` starts on or after the first date.
    pub fn fits(&self, t: usize) -> bool {
        t + 1 >= self.span()
    }

    /// The date index of row `k` of `ticker`'s window dated `t` in `features`: [`WindowShape::row`],
    /// or on the ticker's own calendar its bar `(L-1-k) r` bars before `t`.
    ///
    /// # Panics
    /// When the window does not fit (see [`WindowShape::row`]; on an own calendar also when
    /// `t` is not one of the ticker's bars).
    pub fn row_in(&self, features: &FeatureMatrix, ticker: usize, t: usize, k: usize) -> usize {
        match features.own_calendar(ticker) {
            None => self.row(t, k),
            Some(own) => own
                .back(t, (self.length - 1 - k) * self.rate)
                .expect("a window inside the ticker's bars"),
        }
    }

    /// The first date index the window of `ticker` dated `t` reads (its span's oldest bar),
    /// `None` when it would start before the data.
    pub fn start_in(&self, features: &FeatureMatrix, ticker: usize, t: usize) -> Option<usize> {
        match features.own_calendar(ticker) {
            None => (t + 1).checked_sub(self.span()),
            Some(own) => own.back(t, self.span() - 1),
        }
    }

    /// Whether every bar the window of `ticker` dated `t` covers has finite features (the rule a
    /// data set's samples follow, so `signal` trades exactly the windows a backtest would). On
    /// an own calendar `t` must be one of the ticker's bars and the span counts its bars.
    pub fn is_complete(&self, features: &FeatureMatrix, ticker: usize, t: usize) -> bool {
        if t >= features.n_dates() {
            return false;
        }
        match features.own_calendar(ticker) {
            None => {
                self.fits(t) && (t + 1 - self.span()..=t).all(|u| features.row_is_finite(ticker, u))
            }
            Some(own) => (0..self.span())
                .all(|n| own.back(t, n).is_some_and(|u| features.row_is_finite(ticker, u))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_end_at_the_as_of_date_and_step_by_the_rate() {
        let w = WindowShape::new(3, 2);
        assert_eq!(w.span(), 5);
        assert_eq!((0..3).map(|k| w.row(10, k)).collect::<Vec<_>>(), [6, 8, 10]);
        assert!(!w.fits(3) && w.fits(4));
        assert_eq!(WindowShape::new(1, 7).span(), 1);
    }

    #[test]
    fn a_window_is_complete_when_every_bar_it_covers_has_features() {
        let names = vec!["x".to_string()];
        let mut block: Vec<f64> = (0..10).map(f64::from).collect();
        block[3] = f64::NAN;
        let f = FeatureMatrix::from_blocks(names, 10, vec![block]).unwrap();
        let w = WindowShape::new(2, 2); // bars t-2 ..= t
        assert!(!w.is_complete(&f, 0, 1), "starts before the first date");
        assert!(w.is_complete(&f, 0, 2));
        // bar 3 is missing: windows covering it are incomplete, though row 3 is not sampled at 5
        assert!(!w.is_complete(&f, 0, 3) && !w.is_complete(&f, 0, 5));
        assert!(w.is_complete(&f, 0, 6));
        assert!(!w.is_complete(&f, 0, 10), "after the last date");
    }
}
