//! Grouped bar charts as inline SVG (annual returns, quantile returns, stress scenarios,
//! feature importance): a zero line, rounded y ticks, category labels (slanted when crowded)
//! and a wrapping legend.

use std::fmt::Write;

use crate::svg::{legend, nice_ticks, tick_label, COLORS, LEFT, RIGHT, WIDTH};
use crate::{escape, BarChart};

/// Renders `chart` as an `<svg>` element.
pub fn bar_chart_svg(chart: &BarChart) -> String {
    let n = chart.categories.len();
    let longest = chart.categories.iter().map(|c| c.chars().count()).max().unwrap_or(0);
    let slant = n as f64 * (longest as f64 * 6.6 + 8.0) > WIDTH - LEFT - RIGHT;
    let bottom = if slant { 24.0 + 5.0 * longest.min(28) as f64 } else { 34.0 };
    let height = 300.0 + bottom;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{}" class="chart">"#,
        escape(&chart.title)
    );
    let names: Vec<&str> = chart.series.iter().map(|s| s.name.as_str()).collect();
    let top = if names.len() > 1 { legend(&mut out, &names) } else { 14.0 };
    let values = chart.series.iter().flat_map(|s| s.values.iter().copied());
    let (lo, hi) =
        values.filter(|v| v.is_finite()).fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    if n == 0 || (lo == 0.0 && hi == 0.0 && chart.series.iter().all(|s| s.values.is_empty())) {
        out.push_str(r#"<text x="480" y="150" text-anchor="middle">no data</text></svg>"#);
        return out;
    }
    let ticks = nice_ticks(lo, hi, 6);
    let (y0, y1) = (ticks[0], ticks[ticks.len() - 1]);
    let y = |v: f64| top + (height - top - bottom) * (1.0 - (v - y0) / (y1 - y0));
    for t in &ticks {
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" x2="{}" y1="{:.1}" y2="{:.1}" stroke="#e3e3e3"/><text x="{}" y="{:.1}" text-anchor="end" font-size="11" fill="#555">{}</text>"##,
            WIDTH - RIGHT,
            y(*t),
            y(*t),
            LEFT - 6.0,
            y(*t) + 4.0,
            tick_label(*t, ticks[1] - ticks[0], chart.percent)
        );
    }
    let group = (WIDTH - LEFT - RIGHT) / n as f64;
    let k = chart.series.len().max(1) as f64;
    let bar = (group * 0.8 / k).min(60.0);
    for (c, label) in chart.categories.iter().enumerate() {
        let cx = LEFT + group * (c as f64 + 0.5);
        for (j, s) in chart.series.iter().enumerate() {
            let Some(v) = s.values.get(c).copied().filter(|v| v.is_finite()) else { continue };
            let x = cx - bar * k / 2.0 + bar * j as f64;
            let (ya, yb) = (y(v.max(0.0)), y(v.min(0.0)));
            let shown =
                if chart.percent { format!("{:.2}%", v * 100.0) } else { format!("{v:.4}") };
            let _ = write!(
                out,
                r#"<rect x="{x:.1}" y="{ya:.1}" width="{:.1}" height="{:.1}" fill="{}"><title>{} {}: {shown}</title></rect>"#,
                (bar - 1.0).max(1.0),
                (yb - ya).max(0.5),
                COLORS[j % COLORS.len()],
                escape(&s.name),
                escape(label)
            );
        }
        let ly = height - bottom + 14.0;
        if slant {
            let _ = write!(
                out,
                r##"<text x="{cx:.1}" y="{ly:.1}" text-anchor="end" font-size="11" fill="#555" transform="rotate(-40 {cx:.1} {ly:.1})">{}</text>"##,
                escape(label)
            );
        } else {
            let _ = write!(
                out,
                r##"<text x="{cx:.1}" y="{ly:.1}" text-anchor="middle" font-size="11" fill="#555">{}</text>"##,
                escape(label)
            );
        }
    }
    let _ = write!(
        out,
        r##"<line x1="{LEFT}" x2="{}" y1="{:.1}" y2="{:.1}" stroke="#888"/></svg>"##,
        WIDTH - RIGHT,
        y(0.0),
        y(0.0)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Series;

    #[test]
    fn one_rect_per_finite_value() {
        let chart = BarChart {
            title: "annual".into(),
            categories: vec!["2019".into(), "2020".into(), "2021".into()],
            series: vec![
                Series { name: "strategy".into(), values: vec![0.1, -0.05, f64::NAN] },
                Series { name: "bench".into(), values: vec![0.2, 0.1, 0.0] },
            ],
            percent: true,
        };
        let svg = bar_chart_svg(&chart);
        assert_eq!(svg.matches("<rect x=").count() - 2, 5, "5 bars besides 2 legend keys");
        assert!(svg.contains(">2020<") && svg.contains("-5.00%"));
    }
}
