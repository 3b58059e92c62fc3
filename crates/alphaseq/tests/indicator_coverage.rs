//! Column coverage of pandas-ta's `df.ta.study("All")` (pure pandas, TA-Lib off: the fixture
//! `pandas_ta_study_columns.json`, from `tools/oracles/pandas_ta_study_columns.py`): which of its
//! columns alphaseq writes for `indicators = ["all"]` (every causal one) and which it refuses
//! because pandas-ta's reads the future. The values of the written ones are checked against
//! pandas-ta by `indicators.rs`, on the fixture of `study("All")`'s values.

#![allow(clippy::unwrap_used)] // a panic is a failed test

use std::collections::BTreeSet;

use alphaseq::features::FeatureSpec;

/// pandas-ta's columns that read the future, refused as inputs unless `features.look_ahead =
/// "allow"` (`look_ahead_catalogue`): the centred DPO (alphaseq's
/// `DPO_20` is the causal one under the same name), Ichimoku's chikou span (the close shifted
/// back), TOS_STDEVALL (a regression over the whole series), ZIGZAG (a swing is confirmed by
/// later bars) and VHM (divided by `statistics.pstdev(volume, 610)`, the population standard
/// deviation of the whole series about 610: pandas-ta passes the window where the mean goes).
const LOOK_AHEAD: &[&str] = &[
    "DPO_20",
    "ICS_26",
    "TOS_STDEVALL_LR",
    "TOS_STDEVALL_L_1",
    "TOS_STDEVALL_U_1",
    "TOS_STDEVALL_L_2",
    "TOS_STDEVALL_U_2",
    "TOS_STDEVALL_L_3",
    "TOS_STDEVALL_U_3",
    "ZIGZAGs_5.0%_10",
    "ZIGZAGv_5.0%_10",
    "ZIGZAGd_5.0%_10",
    "VHM_610",
];

#[test]
fn which_columns_of_pandas_ta_study_all_are_written() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pandas_ta_study_columns.json");
    let fixture: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let theirs: Vec<&str> =
        fixture["columns"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    let spec = FeatureSpec {
        returns: vec![],
        volatility: vec![],
        indicators: vec!["all".into()],
        ..FeatureSpec::default()
    };
    let written: BTreeSet<String> = spec.names().into_iter().collect();
    let refused: Vec<&str> = theirs.iter().copied().filter(|c| LOOK_AHEAD.contains(c)).collect();
    let causal = theirs.iter().copied().filter(|c| !LOOK_AHEAD.contains(c));
    let (produced, missing): (Vec<&str>, Vec<&str>) = causal.partition(|c| written.contains(*c));
    eprintln!(
        "pandas-ta study(\"All\"): {} columns; alphaseq writes {}, refuses {} (look-ahead), {} missing",
        theirs.len(),
        produced.len(),
        refused.len(),
        missing.len()
    );
    assert_eq!(refused.len(), LOOK_AHEAD.len(), "every look-ahead column is one of pandas-ta's");
    assert!(missing.is_empty(), "causal columns of pandas-ta's not written: {missing:?}");
    assert_eq!((theirs.len(), produced.len()), (272, 259));
    // and a config that allows look-ahead gets every column of study("All"), pandas-ta's
    // look-ahead forms in the place of the causal DPO and Ichimoku
    let as_pandas_ta: FeatureSpec = toml::from_str(
        r#"returns = []
volatility = []
indicators = ["all", "tos_stdevall", "zigzag", "vhm", { kind = "dpo", centered = true },
              { kind = "ichimoku", include_chikou = true }]
exclude_indicators = ["dpo", "ichimoku"]
look_ahead = "allow"
"#,
    )
    .unwrap();
    as_pandas_ta.validate().unwrap();
    let with_future: BTreeSet<String> = as_pandas_ta.names().into_iter().collect();
    let absent: Vec<&str> = theirs.iter().copied().filter(|c| !with_future.contains(*c)).collect();
    assert!(absent.is_empty(), "study(\"All\") columns not written with look-ahead: {absent:?}");
    assert_eq!(as_pandas_ta.look_ahead_inputs().len(), 5);
}
