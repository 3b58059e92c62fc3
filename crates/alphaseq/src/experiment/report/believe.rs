//! The report's "How much to believe this" sections: every strategy's Sharpe ratio with Lo's
//! standard errors, a stationary-bootstrap interval and the probabilistic Sharpe ratio
//! ([`crate::metrics::significance`]), a search's deflated Sharpe ratio, and, in words, those
//! beside the mean IC's Newey-West t, the signal-lag stress and the break-even cost.

use crate::metrics::evaluation::Evaluation;
use crate::metrics::significance::{Deflated, SharpeSignificance};
use crate::metrics::tearsheet::TearSheet;
use crate::record::SeedsRecord;
use alphaseq_report::{Cell, Section, Table};

/// The Sharpe ratio of the configured scenario and of the signal one bar later, from stress.csv.
pub type LagStress = (f64, f64);

/// What the sections are built from beyond the tear sheet's strategies.
#[derive(Debug, Clone, Copy, Default)]
pub struct Evidence<'a> {
    /// A search's deflated Sharpe ratio.
    pub deflated: Option<&'a Deflated>,
    /// The forecast evaluation (its mean ICs).
    pub evaluation: Option<&'a Evaluation>,
    /// The signal-lag stress.
    pub lag_stress: Option<LagStress>,
    /// The configured cost's label (`5 bps`).
    pub cost: Option<&'a str>,
    /// The seeds' spread, when trained with several.
    pub seeds: Option<&'a SeedsRecord>,
}

fn interval(b: Option<[f64; 2]>) -> Cell {
    Cell::Text(b.map_or("\u{2013}".into(), |[lo, hi]| format!("[{lo:.2}, {hi:.2}]")))
}

/// The Sharpe ratio of every strategy of `sheet` with how much to believe it.
pub fn sharpe_table(sheet: &TearSheet) -> (Table, Vec<SharpeSignificance>) {
    let all: Vec<SharpeSignificance> = sheet
        .strategies
        .iter()
        .map(|s| SharpeSignificance::of(&s.returns, sheet.periods_per_year))
        .collect();
    let lags = all.first().map_or(0, |s| s.hac_lags);
    let table = Table {
        title:
            "Sharpe ratio with its errors (Lo 2002; stationary bootstrap, Politis and Romano 1994; \
                PSR, Bailey and Lopez de Prado 2012)"
                .into(),
        columns: vec![
            "strategy".into(),
            "Sharpe".into(),
            "SE (IID)".into(),
            format!("SE (HAC, {lags} lags)"),
            "t (HAC)".into(),
            "95% bootstrap interval".into(),
            "P(true Sharpe > 0)".into(),
            "Break-even cost (bps)".into(),
        ],
        rows: sheet
            .strategies
            .iter()
            .zip(&all)
            .map(|(s, g)| {
                let t = g.sharpe.zip(g.se_hac).map(|(sr, se)| sr / se);
                (
                    s.label.clone(),
                    vec![
                        Cell::Number(g.sharpe, 2),
                        Cell::Number(g.se_iid, 2),
                        Cell::Number(g.se_hac, 2),
                        Cell::Number(t, 2),
                        interval(g.bootstrap),
                        Cell::Percent(g.psr),
                        Cell::Number(s.trading.and_then(|t| t.break_even_bps), 2),
                    ],
                )
            })
            .collect(),
    };
    (table, all)
}

/// The table of a search's deflated Sharpe ratio.
fn deflated_table(d: &Deflated, chosen: Option<f64>) -> Table {
    Table {
        title: "The search's best, deflated for the trials tried (Bailey and Lopez de Prado 2014)"
            .into(),
        columns: vec!["statistic".into(), "value".into()],
        rows: vec![
            ("Trials".into(), vec![Cell::Number(Some(d.trials as f64), 0)]),
            ("SD of their test Sharpe ratios".into(), vec![Cell::Number(Some(d.sharpe_sd), 2)]),
            (
                "Best Sharpe ratio luck alone would give (SR0)".into(),
                vec![Cell::Number(Some(d.expected_max_sharpe), 2)],
            ),
            ("The chosen trial's Sharpe ratio".into(), vec![Cell::Number(chosen, 2)]),
            (
                "Deflated Sharpe ratio: P(true Sharpe > SR0)".into(),
                vec![Cell::Percent(d.deflated_sharpe_ratio)],
            ),
        ],
    }
}

fn pct(p: Option<f64>) -> String {
    p.map_or("n/a".into(), |p| format!("{:.1}%", p * 100.0))
}

fn num(v: Option<f64>, decimals: usize) -> String {
    v.filter(|v| v.is_finite()).map_or("n/a".into(), |v| format!("{v:.decimals$}"))
}

/// The main strategy's figures in words.
fn lines(sheet: &TearSheet, all: &[SharpeSignificance], evidence: &Evidence) -> Vec<String> {
    let mut out = vec![];
    if let (Some(s), Some(g)) = (sheet.strategies.first(), all.first()) {
        let covers =
            g.bootstrap.map(|[lo, hi]| if lo > 0.0 || hi < 0.0 { "excludes" } else { "includes" });
        out.push(format!(
            "{}: Sharpe ratio {} \u{b1} {} (Lo's standard error with {} Newey-West lags); its 95% \
             bootstrap interval {} {} 0; the probability that the true Sharpe ratio is positive \
             is {}.",
            s.label,
            num(g.sharpe, 2),
            num(g.se_hac, 2),
            g.hac_lags,
            match g.bootstrap {
                Some([lo, hi]) => format!("[{lo:.2}, {hi:.2}]"),
                None => "n/a".into(),
            },
            covers.unwrap_or("cannot say whether it includes"),
            pct(g.psr),
        ));
        let charged = evidence.cost.map_or(String::new(), |c| format!(" (the run charges {c})"));
        match s.trading.and_then(|t| t.break_even_bps) {
            Some(be) if be > 0.0 => out.push(format!(
                "At {be:.2} bps of traded value its mean net return would be 0{charged}."
            )),
            Some(_) => out.push(format!("It loses before costs{charged}.")),
            None => {}
        }
    }
    if let Some(seeds) = evidence.seeds {
        if let Some(sp) = seeds.spread.get("sharpe") {
            out.push(format!(
                "Over {} seeds the net Sharpe ratio is {:.2}{} ({:.2} to {:.2}); the traded forecast ({}) has {}.",
                sp.n,
                sp.mean,
                sp.sd.map_or(String::new(), |sd| format!(" \u{b1} {sd:.2}")),
                sp.min,
                sp.max,
                seeds.ensemble.describe(),
                num(seeds.traded.sharpe, 2)
            ));
        }
    }
    if let Some(d) = evidence.deflated {
        out.push(format!(
            "It was chosen from {} trials whose test Sharpe ratios spread with a standard \
             deviation of {:.2}: luck alone would give the best of them about {:.2}. The \
             probability that the chosen trial's true Sharpe ratio beats that (the deflated \
             Sharpe ratio) is {}.",
            d.trials,
            d.sharpe_sd,
            d.expected_max_sharpe,
            pct(d.deflated_sharpe_ratio)
        ));
    }
    if let Some((configured, later)) = evidence.lag_stress {
        out.push(format!(
            "With the signal one bar later the Sharpe ratio goes from {configured:.2} to \
             {later:.2}."
        ));
    }
    if let Some(ics) = evidence.evaluation.and_then(|e| e.ics.as_ref()) {
        let r = &ics.rank_ic;
        out.push(format!(
            "Mean rank IC {} over {} dates: t {} as if the dates were independent, {} with \
             Newey-West's {} lags.",
            num(r.mean, 4),
            r.dates,
            num(r.t_stat, 2),
            num(r.nw_t_stat, 2),
            r.nw_lags
        ));
    }
    out
}

/// Every section, in reading order.
pub fn sections(sheet: &TearSheet, evidence: &Evidence) -> Vec<Section> {
    let (table, all) = sharpe_table(sheet);
    let mut out =
        vec![Section::Notes { title: "In short".into(), lines: lines(sheet, &all, evidence) }];
    out.push(Section::Table(table));
    if let Some(d) = evidence.deflated {
        out.push(Section::Table(deflated_table(d, all.first().and_then(|g| g.sharpe))));
    }
    out
}
