//! CDL_PATTERN (pandas-ta `cdl_pattern`, name "all", with TA-Lib installed): TA-Lib's candlestick
//! patterns ([`talib_patterns`]), one column each, `CDL_` + TA-Lib's name
//! (`CDL_2CROWS`, ...): 0, or ±100 (±200 where TA-Lib grades a confirmation) in the pattern's
//! direction. TA-Lib's own arithmetic whatever the convention (pandas-ta has no other); as
//! pandas-ta gives them only with TA-Lib installed, `indicators = ["all"]` (or "candles") includes
//! them under `convention = "talib"` only, and naming `cdl_pattern` includes them under either.
//! The rows before a pattern's lookback are 0 (placeholders).

use super::talib_patterns::{self, Pattern, PATTERNS};
use serde::de::Error as _;
use serde::Deserialize as _;

use crate::features::indicators::{Family, Indicator, Ohlcv};

/// TA-Lib's candlestick patterns.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CdlPattern {
    /// The patterns by pandas-ta's name (`"2crows"`, `"engulfing"`, ...): a list, one name, or
    /// `"all"`.
    #[serde(deserialize_with = "names")]
    pub name: Vec<PatternName>,
}

/// `name` as pandas-ta takes it: a list of names, one name, or "all".
fn names<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<PatternName>, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Names {
        One(String),
        Many(Vec<String>),
    }
    match Names::deserialize(d)? {
        Names::One(all) if all.trim().eq_ignore_ascii_case("all") => Ok(CdlPattern::all().name),
        Names::One(one) => PatternName::try_from(one).map(|n| vec![n]).map_err(D::Error::custom),
        Names::Many(many) if many.is_empty() => {
            Err(D::Error::custom("name = [] selects no pattern (give names, or \"all\")"))
        }
        Names::Many(many) => {
            many.into_iter().map(|n| PatternName::try_from(n).map_err(D::Error::custom)).collect()
        }
    }
}

/// A pattern's pandas-ta name, checked against the patterns alphaseq computes.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PatternName(usize);

impl TryFrom<String> for PatternName {
    type Error = String;

    fn try_from(name: String) -> Result<PatternName, String> {
        let wanted = name.trim().to_lowercase();
        let wanted = wanted.strip_prefix("cdl_").unwrap_or(&wanted);
        PATTERNS.iter().position(|p| p.name == wanted).map(PatternName).ok_or_else(|| {
            let names: Vec<&str> = PATTERNS.iter().map(|p| p.name).collect();
            format!("{name:?} is not one of TA-Lib's candlestick patterns: {}", names.join(", "))
        })
    }
}

impl From<PatternName> for String {
    fn from(name: PatternName) -> String {
        PATTERNS[name.0].name.to_string()
    }
}

impl CdlPattern {
    /// Every pattern.
    pub fn all() -> CdlPattern {
        CdlPattern { name: (0..PATTERNS.len()).map(PatternName).collect() }
    }

    fn patterns(&self) -> impl Iterator<Item = &'static Pattern> + '_ {
        self.name.iter().map(|n| &PATTERNS[n.0])
    }
}

impl Indicator for CdlPattern {
    fn family(&self) -> Family {
        Family::Candles
    }

    fn columns(&self) -> Vec<String> {
        self.patterns().map(|p| format!("CDL_{}", p.name.to_uppercase())).collect()
    }

    fn params(&self) -> String {
        if self.name.len() == PATTERNS.len() {
            return "name=all".into();
        }
        format!("name={}", self.patterns().map(|p| p.name).collect::<Vec<_>>().join(","))
    }

    fn warm_up(&self) -> usize {
        0
    }

    fn placeholder_rows(&self) -> usize {
        self.patterns().map(|p| p.lookback).max().unwrap_or(0)
    }

    fn talib_only(&self) -> bool {
        true
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        self.patterns()
            .map(|p| talib_patterns::compute(p, x.open, x.high, x.low, x.close))
            .collect()
    }
}
