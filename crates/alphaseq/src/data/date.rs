//! Fast parsing of ISO dates (`YYYY-MM-DD`, optionally followed by a time) into
//! [`chrono::NaiveDate`].

use chrono::NaiveDate;

/// Parses `YYYY-MM-DD`, `YYYY/MM/DD` or `YYYY-MM-DD[ T]HH:MM[:SS...]` (the time is ignored).
/// Returns `None` for anything else or for an impossible calendar date.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.trim().as_bytes();
    if b.len() < 10 {
        return None;
    }
    let sep = b[4];
    if !(sep == b'-' || sep == b'/') || b[7] != sep {
        return None;
    }
    if b.len() > 10 && !(b[10] == b' ' || b[10] == b'T') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter()
            .try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + (c - b'0') as u32))
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    NaiveDate::from_ymd_opt(y as i32, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_iso_dates_and_timestamps() {
        let d = NaiveDate::from_ymd_opt(2021, 4, 21).unwrap();
        assert_eq!(parse_date("2021-04-21"), Some(d));
        assert_eq!(parse_date("2021/04/21"), Some(d));
        assert_eq!(parse_date("2021-04-21 00:00:00"), Some(d));
        assert_eq!(parse_date("2021-04-21T16:00:00Z"), Some(d));
    }

    #[test]
    fn rejects_malformed_or_impossible_dates() {
        for s in
            ["2021-02-30", "21-04-21", "2021-4-21", "20210421", "2021-04-21x", "", "abcd-ef-gh"]
        {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }
}

/// Serde support for `Option<NaiveDate>` fields that accepts a quoted `"YYYY-MM-DD"` string or a
/// bare TOML date (`2014-12-31`), and writes the quoted form.
pub mod serde_opt {
    use std::fmt;

    use chrono::NaiveDate;
    use serde::de::{self, MapAccess, Visitor};
    use serde::{Deserializer, Serializer};

    /// Writes `Some(date)` as `"YYYY-MM-DD"`.
    pub fn serialize<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(d) => s.serialize_str(&d.to_string()),
            None => s.serialize_none(),
        }
    }

    /// Reads a date string or a TOML date.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        d.deserialize_any(DateVisitor).map(Some)
    }

    pub(super) struct DateVisitor;

    impl<'de> Visitor<'de> for DateVisitor {
        type Value = NaiveDate;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a date such as 2014-12-31")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<NaiveDate, E> {
            super::parse_date(v)
                .filter(|_| v.trim().len() == 10)
                .ok_or_else(|| E::custom(format!("{v:?} is not a YYYY-MM-DD date")))
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NaiveDate, A::Error> {
            // TOML dates arrive as a one-entry map holding their text.
            let (_, text): (String, String) =
                map.next_entry()?.ok_or_else(|| de::Error::custom("empty date"))?;
            self.visit_str(&text)
        }
    }
}

/// Serde for a required `NaiveDate` field: `"YYYY-MM-DD"` text or a bare TOML date.
pub mod serde_date {
    use chrono::NaiveDate;
    use serde::{Deserializer, Serializer};

    /// Writes the date as `"YYYY-MM-DD"`.
    pub fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&date.to_string())
    }

    /// Reads a date string or a TOML date.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        d.deserialize_any(super::serde_opt::DateVisitor)
    }
}
