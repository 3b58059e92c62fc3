//! Heatmaps as inline SVG (monthly returns, confusion matrices, correlation matrices): one
//! labelled cell per value, shaded by magnitude.

use std::fmt::Write;

use crate::{escape, Heatmap};

/// Renders `map` as an `<svg>` element.
pub fn heatmap_svg(map: &Heatmap) -> String {
    let (nr, nc) = (map.rows.len(), map.columns.len());
    let left = 12.0 + 6.8 * map.rows.iter().map(|r| r.chars().count()).max().unwrap_or(0) as f64;
    let cell_w = ((960.0 - left - 10.0) / nc.max(1) as f64).min(110.0);
    let cell_h = 24.0;
    let top = 26.0;
    let width = left + cell_w * nc as f64 + 10.0;
    let height = top + cell_h * nr as f64 + 8.0;
    let finite = map.values.iter().flatten().copied().filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    let scale = lo.abs().max(hi.abs()).max(1e-300);
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0} {height:.0}" role="img" aria-label="{}" class="heatmap" style="max-width:{width:.0}px">"#,
        escape(&map.title)
    );
    for (j, c) in map.columns.iter().enumerate() {
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{}" text-anchor="middle" font-size="11" fill="#555">{}</text>"##,
            left + cell_w * (j as f64 + 0.5),
            top - 8.0,
            escape(c)
        );
    }
    for (i, r) in map.rows.iter().enumerate() {
        let y = top + cell_h * i as f64;
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" font-size="11" fill="#555">{}</text>"##,
            left - 6.0,
            y + cell_h / 2.0 + 4.0,
            escape(r)
        );
        for j in 0..nc {
            let v = map.values.get(i).and_then(|row| row.get(j)).copied().unwrap_or(f64::NAN);
            let x = left + cell_w * j as f64;
            if !v.is_finite() {
                continue;
            }
            let a = (v.abs() / scale).min(1.0);
            // blue for positive, orange for negative (Okabe-Ito), white at zero
            let (r0, g0, b0) = if v >= 0.0 { (0, 114, 178) } else { (230, 159, 0) };
            let mix = |c: u8| (255.0 + (f64::from(c) - 255.0) * a * 0.85).round() as u8;
            let ink = if a > 0.6 { "#fff" } else { "#222" };
            let label = if map.percent {
                format!("{:.1$}%", v * 100.0, map.decimals)
            } else {
                format!("{v:.0$}", map.decimals)
            };
            let _ = write!(
                out,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{cell_h}" fill="rgb({},{},{})" stroke="white"><title>{} / {}: {label}</title></rect><text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="11" fill="{ink}">{label}</text>"#,
                cell_w,
                mix(r0),
                mix(g0),
                mix(b0),
                escape(r),
                escape(&map.columns[j]),
                x + cell_w / 2.0,
                y + cell_h / 2.0 + 4.0
            );
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_finite_cell_is_drawn_and_labelled() {
        let map = Heatmap {
            title: "confusion".into(),
            rows: vec!["actual 0".into(), "actual 1".into()],
            columns: vec!["predicted 0".into(), "predicted 1".into()],
            values: vec![vec![50.0, 10.0], vec![f64::NAN, 30.0]],
            percent: false,
            decimals: 0,
        };
        let svg = heatmap_svg(&map);
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains(">50<") && svg.contains(">predicted 1<"));
    }
}
