//! alphaseq-report: tables, SVG charts and the self-contained HTML report. Renderers return
//! strings; nothing here prints or touches files, and nothing here knows about models.
//!
//! Depends on no other alphaseq crate: callers fill a [`Report`] with plain numbers.

mod html;
mod svg;
mod text;

use chrono::NaiveDate;

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
