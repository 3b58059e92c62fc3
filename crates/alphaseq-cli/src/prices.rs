//! The experiment's prices for a command: the library's data policy
//! ([`alphaseq::data::policy::load`]) with a progress spinner, its issues in run.log and its
//! refusals as the binary's exit codes.

use alphaseq::data::{policy, Panel};
use anyhow::anyhow;

use crate::config::Experiment;
use crate::log::Log;
use crate::{progress, Failure};

/// Reads, validates and shapes the experiment's prices as `[data]` says
/// ([`alphaseq::data::policy::load`]); issues go to run.log, what the policy did to the log.
pub(crate) fn load_panel(exp: &Experiment, log: &mut Log) -> Result<Panel, Failure> {
    let bar = if log.echo { progress::spinner("loading prices") } else { progress::hidden() };
    let loaded = policy::load(&exp.data);
    bar.finish_and_clear();
    let loaded = match loaded {
        Ok(l) => l,
        Err(alphaseq::Error::InvalidData { issues }) => {
            for e in issues.iter().take(20) {
                eprintln!("{e}");
            }
            return Err(Failure::Failed(anyhow!(
                "the prices have {} error(s); fix them or see `alphaseq data check`",
                issues.len()
            )));
        }
        Err(e) => return Err(e.into()),
    };
    for issue in &loaded.issues {
        log.quiet(&issue.to_string());
    }
    let listed = if log.file.is_some() {
        "all listed in run.log"
    } else {
        "`alphaseq data check` lists them"
    };
    log.line(&format!("{} ({listed})", loaded.summary));
    for note in &loaded.notes {
        log.line(note);
    }
    Ok(loaded.panel)
}
