//! Line charts as inline SVG: axes with rounded tick values, one tick per year (or month) on the
//! date axis, a wrapping legend, and a polyline per series. No fonts or scripts are needed to
//! view them. Shared pieces (palette, ticks, legend) serve the bar charts and heatmaps too.

use std::fmt::Write;

use chrono::Datelike;

use crate::{escape, LineChart, XAxis};

pub(crate) const WIDTH: f64 = 960.0;
const HEIGHT: f64 = 340.0;
pub(crate) const LEFT: f64 = 70.0;
pub(crate) const RIGHT: f64 = 20.0;
const BOTTOM: f64 = 34.0;
/// Colour-blind-safe palette (Okabe-Ito), then greys.
pub(crate) const COLORS: [&str; 8] =
    ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#777777"];

/// Draws a legend that wraps onto new rows; returns the y where the plot area may start.
pub(crate) fn legend(out: &mut String, names: &[&str]) -> f64 {
    let (mut x, mut y) = (LEFT + 10.0, 10.0);
    for (k, name) in names.iter().enumerate() {
        let w = 30.0 + 6.6 * name.chars().count() as f64;
        if x + w > WIDTH - RIGHT && x > LEFT + 10.0 {
            x = LEFT + 10.0;
            y += 17.0;
        }
        let color = COLORS[k % COLORS.len()];
        let _ = write!(
            out,
            r##"<rect x="{x:.1}" y="{y}" width="14" height="8" fill="{color}"/><text x="{:.1}" y="{}" font-size="12" fill="#222">{}</text>"##,
            x + 19.0,
            y + 8.0,
            escape(name)
        );
        x += w;
    }
    y + 26.0
}

/// Renders `chart` as an `<svg>` element.
pub fn line_chart_svg(chart: &LineChart) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{}" class="chart">"#,
        escape(&chart.title)
    );
    let names: Vec<&str> = chart.series.iter().map(|s| s.name.as_str()).collect();
    let top = legend(&mut out, &names);
    let n = chart.x.len();
    let values =
        chart.series.iter().flat_map(|s| s.values.iter().copied()).filter(|v| v.is_finite());
    let (lo, hi) =
        values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    if n < 2 || !lo.is_finite() {
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" text-anchor="middle">no data</text></svg>"#,
            WIDTH / 2.0,
            HEIGHT / 2.0
        );
        return out;
    }
    let ticks = nice_ticks(lo, hi, 6);
    let frame = Frame::new(&chart.x, top, (ticks[0], ticks[ticks.len() - 1]));
    for t in &ticks {
        let label = tick_label(*t, ticks[1] - ticks[0], chart.percent);
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" x2="{}" y1="{:.1}" y2="{:.1}" stroke="#e3e3e3"/><text x="{}" y="{:.1}" text-anchor="end" font-size="11" fill="#555">{label}</text>"##,
            WIDTH - RIGHT,
            frame.y(*t),
            frame.y(*t),
            LEFT - 6.0,
            frame.y(*t) + 4.0
        );
    }
    x_axis(&mut out, &chart.x, &frame);
    let zero = frame.y(0.0f64.clamp(frame.y0, frame.y1));
    let _ = write!(
        out,
        r##"<line x1="{LEFT}" x2="{}" y1="{zero:.1}" y2="{zero:.1}" stroke="#888"/>"##,
        WIDTH - RIGHT
    );
    for (k, s) in chart.series.iter().enumerate() {
        let color = COLORS[k % COLORS.len()];
        let mut path = String::new();
        let mut pen_down = false;
        for (i, v) in s.values.iter().enumerate().take(n) {
            if v.is_finite() {
                let (x, y) = (frame.x(i), frame.y(*v));
                let _ = write!(path, "{}{x:.1},{y:.1} ", if pen_down { "L" } else { "M" });
                pen_down = true;
            } else {
                pen_down = false;
            }
        }
        let _ = write!(
            out,
            r#"<path d="{}" fill="none" stroke="{color}" stroke-width="1.6"><title>{}</title></path>"#,
            path.trim_end(),
            escape(&s.name)
        );
    }
    out.push_str("</svg>");
    out
}

/// The plot area of a line chart: where x positions and y values are drawn.
struct Frame {
    /// Top of the plot area (below the legend).
    top: f64,
    /// The x value of each position (numeric axes by value, the others by position).
    xs: Vec<f64>,
    x_lo: f64,
    x_hi: f64,
    y0: f64,
    y1: f64,
}

impl Frame {
    fn new(axis: &XAxis, top: f64, (y0, y1): (f64, f64)) -> Frame {
        let n = axis.len();
        let (xs, x_lo, x_hi) = match axis {
            XAxis::Values { values, .. } => {
                let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                (values.clone(), lo, if hi > lo { hi } else { lo + 1.0 })
            }
            _ => ((0..n).map(|i| i as f64).collect(), 0.0, (n - 1) as f64),
        };
        Frame { top, xs, x_lo, x_hi, y0, y1 }
    }

    /// The pixel column of x value `v`.
    fn px(&self, v: f64) -> f64 {
        LEFT + (WIDTH - LEFT - RIGHT) * (v - self.x_lo) / (self.x_hi - self.x_lo)
    }

    /// The pixel column of position `i`.
    fn x(&self, i: usize) -> f64 {
        self.px(self.xs[i])
    }

    /// The pixel row of value `v`.
    fn y(&self, v: f64) -> f64 {
        self.top + (HEIGHT - self.top - BOTTOM) * (1.0 - (v - self.y0) / (self.y1 - self.y0))
    }

    /// A vertical grid line at pixel column `px` with its label under the axis.
    fn x_tick(&self, out: &mut String, px: f64, label: &str) {
        let _ = write!(
            out,
            r##"<line x1="{px:.1}" x2="{px:.1}" y1="{}" y2="{}" stroke="#f0f0f0"/><text x="{px:.1}" y="{}" text-anchor="middle" font-size="11" fill="#555">{label}</text>"##,
            self.top,
            HEIGHT - BOTTOM,
            HEIGHT - BOTTOM + 16.0
        );
    }
}

/// The x axis: year or month ticks for dates, value ticks for numbers, every few steps for
/// epochs; a numeric or step axis also gets its name.
fn x_axis(out: &mut String, axis: &XAxis, frame: &Frame) {
    let name = match axis {
        XAxis::Dates(dates) => {
            let n = dates.len();
            let span_years = dates[n - 1].year() - dates[0].year();
            let step = (span_years / 10 + 1).max(1);
            for i in 1..n {
                let (prev, d) = (dates[i - 1], dates[i]);
                if span_years >= 2 {
                    if d.year() != prev.year() && d.year() % step == 0 {
                        frame.x_tick(out, frame.x(i), &d.year().to_string());
                    }
                } else if d.month() != prev.month() {
                    frame.x_tick(out, frame.x(i), &d.format("%Y-%m").to_string());
                }
            }
            return;
        }
        XAxis::Values { name, .. } => {
            let ticks = nice_ticks(frame.x_lo, frame.x_hi, 5);
            let step = ticks[1] - ticks[0];
            let inside = |t: &&f64| **t >= frame.x_lo - 1e-12 && **t <= frame.x_hi + 1e-12;
            for t in ticks.iter().filter(inside) {
                frame.x_tick(out, frame.px(*t), &tick_label(*t, step, false));
            }
            name
        }
        XAxis::Steps { name, len } => {
            let every = (*len).div_ceil(10).max(1);
            for i in (0..*len).filter(|i| *i == 0 || (i + 1) % every == 0) {
                frame.x_tick(out, frame.x(i), &(i + 1).to_string());
            }
            name
        }
    };
    let _ = write!(
        out,
        r##"<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#555">{}</text>"##,
        WIDTH - RIGHT,
        HEIGHT - 2.0,
        escape(name)
    );
}

/// A tick value with as many decimals as the tick step needs.
pub(crate) fn tick_label(value: f64, step: f64, percent: bool) -> String {
    let (v, s) = if percent { (value * 100.0, step * 100.0) } else { (value, step) };
    let decimals = (-s.abs().log10().floor()).max(0.0) as usize;
    format!("{v:.decimals$}{}", if percent { "%" } else { "" })
}

/// About `target` round tick values covering [lo, hi] (steps of 1, 2 or 5 times a power of ten).
pub(crate) fn nice_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    let (lo, hi) = if hi - lo < 1e-12 {
        (lo - 0.5 * lo.abs().max(1e-3), hi + 0.5 * hi.abs().max(1e-3))
    } else {
        (lo, hi)
    };
    let raw = (hi - lo) / target as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step =
        [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag);
    let start = (lo / step).floor() as i64;
    let end = (hi / step).ceil() as i64;
    (start..=end).map(|i| i as f64 * step).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Series, XAxis};
    use chrono::NaiveDate;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        let t = nice_ticks(-0.13, 0.42, 6);
        assert_eq!(t.first().copied(), Some(-0.2));
        assert!(*t.last().unwrap() >= 0.42);
        assert!(t.windows(2).all(|w| ((w[1] - w[0]) - 0.1).abs() < 1e-12));
    }

    #[test]
    fn chart_has_one_path_per_series_and_a_legend() {
        let d0 = NaiveDate::from_ymd_opt(2018, 1, 1).unwrap();
        let dates: Vec<NaiveDate> = (0..800).map(|i| d0 + chrono::Duration::days(i)).collect();
        let series = vec![
            Series {
                name: "strategy".into(),
                values: (0..800).map(|i| i as f64 / 1000.0).collect(),
            },
            Series {
                name: "S&P <500>".into(),
                values: (0..800).map(|i| -(i as f64) / 2000.0).collect(),
            },
        ];
        let svg = line_chart_svg(&LineChart {
            title: "equity".into(),
            x: XAxis::Dates(dates),
            series,
            percent: true,
        });
        assert_eq!(svg.matches("<path").count(), 2);
        assert!(svg.contains("S&amp;P &lt;500&gt;"));
        assert!(svg.contains(">2019<") && svg.contains(">2020<"));
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }

    #[test]
    fn tick_labels_have_the_decimals_their_step_needs() {
        assert_eq!(tick_label(0.7000000000000001, 0.1, false), "0.7");
        assert_eq!(tick_label(-0.2, 0.1, true), "-20%");
        assert_eq!(tick_label(0.025, 0.005, true), "2.5%");
        assert_eq!(tick_label(1500.0, 500.0, false), "1500");
    }

    #[test]
    fn step_axis_is_numbered_from_one() {
        let series = vec![Series { name: "loss".into(), values: vec![3.0, 2.0, 1.5, 1.2, 1.1] }];
        let svg = line_chart_svg(&LineChart {
            title: "history".into(),
            x: XAxis::Steps { name: "epoch".into(), len: 5 },
            series,
            percent: false,
        });
        assert!(svg.contains(">1<") && svg.contains(">5<") && svg.contains(">epoch<"));
    }
}
