//! CAPM alpha and beta against a benchmark's returns on the same periods, empyrical
//! `alpha_beta` (risk-free 0): over the periods where the strategy's return is present,
//! `beta = mean((f - mean f) r) / mean((f - mean f)^2)` (population moments, a variance below
//! 1e-30 undefined) and `alpha = (1 + mean(r - beta f))^N - 1`, annualised by compounding the
//! mean daily excess. quantstats' `greeks` annualises alpha as `mean * N` instead.

/// (alpha, beta); `None` when the benchmark does not vary over the strategy's periods.
pub fn alpha_beta(returns: &[f64], benchmark: &[f64], periods_per_year: f64) -> Option<(f64, f64)> {
    let pairs: Vec<(f64, f64)> =
        returns.iter().zip(benchmark).filter(|(r, _)| !r.is_nan()).map(|(r, f)| (*r, *f)).collect();
    let present: Vec<&(f64, f64)> = pairs.iter().filter(|(_, f)| !f.is_nan()).collect();
    if present.is_empty() {
        return None;
    }
    let n = present.len() as f64;
    let mean_f = present.iter().map(|(_, f)| f).sum::<f64>() / n;
    let cov = present.iter().map(|(r, f)| (f - mean_f) * r).sum::<f64>() / n;
    let var = present.iter().map(|(_, f)| (f - mean_f) * (f - mean_f)).sum::<f64>() / n;
    if var < 1e-30 {
        return None;
    }
    let beta = cov / var;
    let excess: Vec<f64> = present.iter().map(|(r, f)| r - beta * f).collect();
    let mean = excess.iter().sum::<f64>() / excess.len() as f64;
    Some(((1.0 + mean).powf(periods_per_year) - 1.0, beta))
}
