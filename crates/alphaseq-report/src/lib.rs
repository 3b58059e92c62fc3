//! alphaseq-report: tables, SVG charts and the self-contained HTML report. Renderers return
//! strings; nothing here prints or touches files, and nothing here knows about models.
//!
//! Depends on no other alphaseq crate: callers fill a [`Report`] with plain numbers.

mod bars;
mod heatmap;
mod html;
mod svg;
mod text;

use chrono::NaiveDate;

pub use bars::bar_chart_svg;
pub use heatmap::heatmap_svg;
pub use html::render_html;
pub use svg::line_chart_svg;
pub use text::{text_table, thousands};

/// A report: a title, facts about the run, and sections in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    /// Page title.
    pub title: String,
    /// Key facts shown under the title (name, value).
    pub facts: Vec<(String, String)>,
    /// The body.
    pub sections: Vec<Section>,
}

/// One block of the report.
#[derive(Debug, Clone, PartialEq)]
pub enum Section {
    /// A table of numbers.
    Table(Table),
    /// A line chart over dates.
    Chart(LineChart),
    /// A bar chart over categories.
    Bars(BarChart),
    /// A matrix of numbers shaded by value.
    Heatmap(Heatmap),
    /// A heading that groups the sections after it.
    Heading(String),
    /// A paragraph of notes.
    Notes {
        /// Heading.
        title: String,
        /// Lines of text.
        lines: Vec<String>,
    },
}

/// A table: a header row and rows of cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Heading.
    pub title: String,
    /// Column headers (the first is the row-label column).
    pub columns: Vec<String>,
    /// Rows: a label and one cell per remaining column.
    pub rows: Vec<(String, Vec<Cell>)>,
}

/// A table cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A fraction shown as a percentage with 2 decimals.
    Percent(Option<f64>),
    /// A number with the given decimals.
    Number(Option<f64>, usize),
    /// Text.
    Text(String),
}

impl Cell {
    /// The cell as shown; undefined values show as an en dash.
    pub fn display(&self) -> String {
        match self {
            Cell::Percent(Some(v)) if v.is_finite() => format!("{:.2}%", v * 100.0),
            Cell::Number(Some(v), d) if v.is_finite() => format!("{v:.d$}"),
            Cell::Text(t) => t.clone(),
            _ => "\u{2013}".to_string(),
        }
    }
}

/// The x axis of a line chart.
#[derive(Debug, Clone, PartialEq)]
pub enum XAxis {
    /// Calendar dates, one per point.
    Dates(Vec<NaiveDate>),
    /// Numeric x values, one per point (e.g. false positive rates of a ROC curve).
    Values {
        /// Axis name.
        name: String,
        /// The x values.
        values: Vec<f64>,
    },
    /// Points numbered 1..=len (epochs, lags, ...), with the axis name.
    Steps {
        /// Axis name, e.g. "epoch".
        name: String,
        /// Number of points.
        len: usize,
    },
}

impl XAxis {
    /// Number of points.
    pub fn len(&self) -> usize {
        match self {
            XAxis::Dates(d) => d.len(),
            XAxis::Values { values, .. } => values.len(),
            XAxis::Steps { len, .. } => *len,
        }
    }

    /// True with no points.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A line chart of one or more series over the same x values.
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    /// Heading.
    pub title: String,
    /// The x values.
    pub x: XAxis,
    /// The series (each as long as `dates`; NaN leaves a gap).
    pub series: Vec<Series>,
    /// Show y values as percentages.
    pub percent: bool,
}

/// Grouped vertical bars: one group per category, one bar per series.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    /// Heading.
    pub title: String,
    /// Category labels along the x axis.
    pub categories: Vec<String>,
    /// The series (each as long as `categories`; NaN draws no bar).
    pub series: Vec<Series>,
    /// Show y values as percentages.
    pub percent: bool,
}

/// A heatmap: rows x columns of values, each cell shaded (blue above zero, orange below, or
/// a single blue scale when every value is non-negative) and labelled.
#[derive(Debug, Clone, PartialEq)]
pub struct Heatmap {
    /// Heading.
    pub title: String,
    /// Row labels.
    pub rows: Vec<String>,
    /// Column labels.
    pub columns: Vec<String>,
    /// `values[row][column]`; NaN leaves a blank cell.
    pub values: Vec<Vec<f64>>,
    /// Label cells as percentages (else with `decimals`).
    pub percent: bool,
    /// Decimals of the cell labels.
    pub decimals: usize,
}

/// One named line.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend name.
    pub name: String,
    /// Values.
    pub values: Vec<f64>,
}

/// Escapes text for HTML and SVG.
pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
