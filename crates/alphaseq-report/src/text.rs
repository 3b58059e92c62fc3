//! Plain-text tables for terminals (Keras-summary style): a header, a rule, aligned rows.

/// Renders rows under `headers`; the last column is right-aligned, the others left-aligned.
pub fn text_table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let cols = headers.len();
    let mut width: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in width.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| -> String {
        let parts: Vec<String> = (0..cols)
            .map(|c| {
                let cell = cells.get(c).map_or("", String::as_str);
                if c + 1 < cols {
                    format!("{cell:<w$}", w = width[c])
                } else {
                    format!("{cell:>w$}", w = width[c])
                }
            })
            .collect();
        parts.join("   ").trim_end().to_string()
    };
    let total: usize = width.iter().sum::<usize>() + 3 * cols.saturating_sub(1);
    let mut out = line(&headers.iter().map(|h| h.to_string()).collect::<Vec<_>>());
    out.push('\n');
    out.push_str(&"-".repeat(total));
    out.push('\n');
    for row in rows {
        out.push_str(&line(row));
        out.push('\n');
    }
    out
}

/// `16984` -> `16,984`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_columns() {
        let t = text_table(
            &["Layer", "Params"],
            &[
                vec!["lstm (LSTM)".into(), "2,700".into()],
                vec!["dense (Dense)".into(), "11".into()],
            ],
        );
        assert_eq!(t, "Layer           Params\n----------------------\nlstm (LSTM)      2,700\ndense (Dense)       11\n");
        assert_eq!(
            (thousands(16984), thousands(999), thousands(1_000_000)),
            ("16,984".into(), "999".into(), "1,000,000".into())
        );
    }
}
