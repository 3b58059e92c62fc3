//! Progress bars for long steps: drawn on a terminal, silent when stderr is not one (indicatif
//! hides itself then), so logs and CI output stay clean.

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

/// A bar that draws nothing (for work running in the background, e.g. parallel trials).
pub fn hidden() -> ProgressBar {
    ProgressBar::hidden()
}
