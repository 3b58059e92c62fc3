//! Column coverage of pandas-ta's `df.ta.study("All")` (pure pandas, TA-Lib off: the fixture
//! `pandas_ta_study_columns.json`, from `tools/oracles/pandas_ta_study_columns.py`): which of its
//! columns alphaseq writes for `indicators = ["all"]`, which it refuses because pandas-ta's
//! reads the future, and which it does not write yet. The values of the written ones are checked
//! against pandas-ta by `indicators.rs`. Issue 22 empties [`NOT_YET`]; the test fails when a
//! column is written that the list still names, or a listed one is lost, so the list stays true.

#![allow(clippy::unwrap_used)] // a panic is a failed test

use std::collections::BTreeSet;

use alphaseq::features::FeatureSpec;

/// pandas-ta's columns that read the future, refused as inputs: the centred DPO (alphaseq's
/// `DPO_20` is the causal one under the same name), Ichimoku's chikou span (the close shifted
/// back), TOS_STDEVALL (a regression over the whole series) and ZIGZAG (a swing is confirmed by
/// later bars).
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
];

/// The causal columns of `study("All")` alphaseq does not write yet.
const NOT_YET: &[&str] = &[
    "PIVOTS_TRAD_D_P",
    "PIVOTS_TRAD_D_S1",
    "PIVOTS_TRAD_D_S2",
    "PIVOTS_TRAD_D_S3",
    "PIVOTS_TRAD_D_S4",
    "PIVOTS_TRAD_D_R1",
    "PIVOTS_TRAD_D_R2",
    "PIVOTS_TRAD_D_R3",
    "PIVOTS_TRAD_D_R4",
    "SMChv_14_50_20_5",
    "SMCbf_14_50_20_5",
    "SMCbi_14_50_20_5",
    "SMCbp_14_50_20_5",
    "SMCtf_14_50_20_5",
    "SMCti_14_50_20_5",
    "SMCtp_14_50_20_5",
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
        "pandas-ta study(\"All\"): {} columns; alphaseq writes {}, refuses {} (look-ahead), {} not yet",
        theirs.len(),
        produced.len(),
        refused.len(),
        missing.len()
    );
    assert_eq!(refused.len(), LOOK_AHEAD.len(), "every look-ahead column is one of pandas-ta's");
    let newly: Vec<&&str> = NOT_YET.iter().filter(|c| written.contains(**c)).collect();
    assert!(newly.is_empty(), "written now, take them off NOT_YET: {newly:?}");
    let unlisted: Vec<&&str> = missing.iter().filter(|c| !NOT_YET.contains(c)).collect();
    assert!(unlisted.is_empty(), "not written and not in NOT_YET: {unlisted:?}");
    assert_eq!(missing.len(), NOT_YET.len(), "NOT_YET names only pandas-ta's columns");
    assert_eq!((theirs.len(), produced.len()), (272, 243));
}
