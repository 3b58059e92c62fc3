//! Where the training loop and the parallel step runner take their batches from: a
//! [`SampleSource`] gathers samples by index, so a data set never has to exist as one 3-D array.

/// A source of samples the loop can gather batches from.
pub trait SampleSource: Sync {
    /// Number of samples.
    fn len(&self) -> usize;

    /// True when there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Time steps per sample.
    fn steps(&self) -> usize;

    /// The as-of date (any ordinal) of sample `i`, which `training.batches = "by_date"` groups
    /// by; the same for all by default.
    fn date(&self, i: usize) -> u32 {
        let _ = i;
        0
    }

    /// Writes the samples `idx` feature-major into `x` (`[features][steps][idx.len()]`, i.e.
    /// `x[(f * steps + t) * B + b]`) and their targets into `y` (`[outputs][idx.len()]`, or
    /// `[outputs][steps][idx.len()]` for sequence targets), replacing the contents.
    fn gather(&self, idx: &[usize], x: &mut Vec<f32>, y: &mut Vec<f32>);

    /// The categorical ids (one `Vec` per embedding) and static values (`[static][idx.len()]`) of
    /// the samples `idx`, for models with side inputs; none by default.
    fn gather_side(&self, idx: &[usize], categorical: &mut Vec<Vec<u32>>, statics: &mut Vec<f32>) {
        let _ = idx;
        categorical.clear();
        statics.clear();
    }

    /// Every target, in sample order (gathered in chunks; sources may answer faster).
    fn targets(&self) -> Vec<f32> {
        let (mut x, mut y, mut all) = (Vec::new(), Vec::new(), Vec::new());
        let idx: Vec<usize> = (0..self.len()).collect();
        for chunk in idx.chunks(4096) {
            self.gather(chunk, &mut x, &mut y);
            all.extend_from_slice(&y);
        }
        all
    }
}
