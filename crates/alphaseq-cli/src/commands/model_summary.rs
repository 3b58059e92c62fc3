//! `alphaseq model summary CONFIG [--json]`: the recurrent network an experiment describes, as a
//! Keras-like table (layer, output shape, parameters) with the totals.

use std::path::PathBuf;

use alphaseq_nn::{EmbeddingSpec, ModelSpec, Sequential};
use alphaseq_report::{text_table, thousands};
use anyhow::anyhow;
use clap::Args;

use crate::config::{Experiment, ModelKind};
use crate::stdout::{out, outln};
use crate::Failure;

/// Arguments of `model summary`.
#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// The experiment file (TOML).
    config: PathBuf,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Prints the summary.
pub fn run(args: SummaryArgs) -> Result<(), Failure> {
    let exp = Experiment::load(&args.config).map_err(Failure::usage)?;
    if exp.model.kind != ModelKind::Recurrent {
        return Err(Failure::Usage(anyhow!(
            "model summary describes recurrent networks; {} has model.kind = \"linear\"",
            args.config.display()
        )));
    }
    let statics = exp.model.static_columns().len();
    let features = exp.features.names().len() - statics;
    let embeddings = match exp.model.ticker_embedding {
        Some(dim) => vec![EmbeddingSpec { vocab: traded_tickers(&exp)?, dim }],
        None => vec![],
    };
    let spec = ModelSpec {
        features,
        layers: exp.model.layers.clone(),
        embeddings,
        static_features: statics,
        head: exp.model.head.clone(),
    };
    let model = Sequential::<f32>::new(&spec, exp.model.init, exp.training.seed)?;
    let steps = exp.dataset.sequence_length;
    let rows = model.summary(steps);
    if args.json {
        let v = serde_json::json!({ "input": [steps, features], "layers": rows, "total_params": model.parameters(), "trainable_params": model.trainable_parameters() });
        outln!("{}", serde_json::to_string_pretty(&v).map_err(Failure::failed)?);
        return Ok(());
    }
    let mut table: Vec<Vec<String>> =
        vec![vec!["input (InputLayer)".into(), format!("(None, {steps}, {features})"), "0".into()]];
    table.extend(rows.iter().map(|r| vec![r.name.clone(), r.output.clone(), thousands(r.params)]));
    out!("{}", text_table(&["Layer (type)", "Output Shape", "Param #"], &table));
    outln!("Total params: {}", thousands(model.parameters()));
    outln!("Trainable params: {}", thousands(model.trainable_parameters()));
    outln!(
        "Non-trainable params: {}",
        thousands(model.parameters() - model.trainable_parameters())
    );
    Ok(())
}

/// The ticker-embedding vocabulary: the tickers of the panel `alphaseq run` builds (the traded
/// tickers plus the benchmark), since ticker ids are panel positions.
fn traded_tickers(exp: &Experiment) -> Result<usize, Failure> {
    let benchmark = exp.data.benchmark.as_ref();
    if let Some(list) = &exp.data.tickers {
        return Ok(list.len() + benchmark.is_some_and(|b| !list.contains(b)) as usize);
    }
    let (records, _) = alphaseq::data::read_sources(&exp.data.prices).map_err(Failure::failed)?;
    let calendar_only = exp.data.calendar.as_ref().filter(|c| Some(*c) != benchmark);
    Ok(records.tickers.iter().filter(|t| Some(*t) != calendar_only).count())
}
