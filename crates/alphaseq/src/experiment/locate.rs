//! Where a configuration key is written in the experiment file, so that a value out of range is
//! reported with its line and column as TOML's own errors are; a key set by `--set` is reported
//! as that `--set`.

use std::borrow::Borrow;
use std::path::Path;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::error::Error;

/// The 1-based line and column of `key` (dotted; list entries by index) in TOML `text`: of its
/// value, or of the deepest table on its path that the text writes.
pub(crate) fn locate(text: &str, key: &str) -> Option<(usize, usize)> {
    let root = DeTable::parse(text).ok()?;
    let mut span = None;
    let mut table: Option<&DeTable<'_>> = Some(root.get_ref());
    let mut value: Option<&Spanned<DeValue<'_>>> = None;
    for segment in key.split('.') {
        let next = match (table, value.map(Spanned::get_ref)) {
            (Some(t), _) => t.get(segment),
            (None, Some(DeValue::Array(items))) => {
                let items: &[Spanned<DeValue<'_>>] = items.borrow();
                segment.parse::<usize>().ok().and_then(|i| items.get(i))
            }
            _ => None,
        };
        let Some(next) = next else { break };
        span = Some(next.span());
        value = Some(next);
        table = match next.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => None,
        };
    }
    let start = span?.start;
    let before = &text[..start.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Some((line, column))
}

/// A configuration error of the file at `path` (text `text`, overridden by `overrides`),
/// located: the `--set` that set the key, or the key's line and column in the file.
pub(crate) fn located(
    path: &Path,
    text: &str,
    overrides: &[(String, toml::Value)],
    key: String,
    message: String,
) -> Error {
    let set = overrides.iter().find(|(k, _)| {
        key == *k || key.starts_with(&format!("{k}.")) || k.starts_with(&format!("{key}."))
    });
    if let Some((k, v)) = set {
        return Error::config(format!("--set {k}={v}"), format!("{key}: {message}"));
    }
    match locate(text, &key) {
        Some((line, column)) => {
            Error::ConfigAt { path: path.to_path_buf(), line, column, key, message }
        }
        None => Error::Config { key, message },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "name = \"x\"\n\n[dataset.split]\ntrain_end = 2013-12-31\nvalid_end = 2012-12-31\n\n[[model.layers]]\ntype = \"lstm\"\nunits = 8\n\n[[model.layers]]\ntype = \"dropout\"\nrate = 1.5\n";

    #[test]
    fn keys_are_found_at_their_values_and_missing_ones_at_their_table() {
        assert_eq!(locate(TEXT, "dataset.split.valid_end"), Some((5, 13)));
        assert_eq!(locate(TEXT, "model.layers.1.rate"), Some((13, 8)));
        assert_eq!(locate(TEXT, "model.layers.0.units"), Some((9, 9)));
        // not written: the deepest table that is
        assert_eq!(locate(TEXT, "dataset.split.embargo").map(|p| p.0), Some(3));
        assert_eq!(locate(TEXT, "strategy.cost_bps"), None);
    }

    #[test]
    fn a_key_from_a_set_names_the_set() {
        let set = [("model.layers.1.rate".to_string(), toml::Value::Float(1.5))];
        let e = located(Path::new("e.toml"), TEXT, &set, "model.layers.1".into(), "bad".into());
        assert_eq!(e.to_string(), "--set model.layers.1.rate=1.5: model.layers.1: bad");
        let e =
            located(Path::new("e.toml"), TEXT, &[], "dataset.split.valid_end".into(), "x".into());
        assert_eq!(
            e.to_string(),
            "in config e.toml, line 5, column 13: dataset.split.valid_end: x"
        );
    }
}
