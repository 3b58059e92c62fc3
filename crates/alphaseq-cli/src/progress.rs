//! Progress bars for long steps: drawn on a terminal, silent when stderr is not one (indicatif
//! hides itself then), so logs and CI output stay clean.

use std::sync::{Arc, Mutex};

use alphaseq::experiment::runner::StatusHook;
use indicatif::{ProgressBar, ProgressStyle};

/// A spinner for a step of unknown length, e.g. "loading prices".
pub fn spinner(message: &str) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message(message.to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// A run's status as a spinner: started by the first message, cleared by `None`.
pub fn status() -> StatusHook {
    let bar: Mutex<Option<ProgressBar>> = Mutex::new(None);
    Arc::new(move |message: Option<&str>| {
        let Ok(mut bar) = bar.lock() else { return };
        match (message, bar.as_ref()) {
            (Some(m), Some(b)) => b.set_message(m.to_string()),
            (Some(m), None) => *bar = Some(spinner(m)),
            (None, _) => {
                if let Some(b) = bar.take() {
                    b.finish_and_clear();
                }
            }
        }
    })
}
