//! Progress on stderr: a spinner with the current status and elapsed time during waits, a bar
//! during uploads. Both are drawn only when stderr is a terminal, so scripts and pipes see
//! nothing but the JSON error line.

use std::io::IsTerminal as _;
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::backend::Progress;

/// Whether progress should be drawn at all.
fn enabled() -> bool {
    std::io::stderr().is_terminal()
}

/// A spinner line for a wait; a no-op when stderr is not a terminal. Clones draw the same line.
#[derive(Debug, Clone)]
pub(crate) struct Spinner {
    bar: Option<ProgressBar>,
    label: String,
}

impl Spinner {
    /// Starts a spinner that reads `label: <status>`.
    pub(crate) fn start(label: &str) -> Self {
        let bar = enabled().then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
                bar.set_style(style);
            }
            bar.set_message(label.to_owned());
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Self {
            bar,
            label: label.to_owned(),
        }
    }

    /// Shows the latest status.
    pub(crate) fn status(&self, status: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!("{}: {status}", self.label));
        }
    }

    /// Removes the line.
    pub(crate) fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

/// A byte progress bar for an upload, or `None` when stderr is not a terminal.
/// `total` is the file size in bytes.
pub(crate) fn upload_bar(label: &str, total: u64) -> (Option<ProgressBar>, Option<Progress>) {
    if !enabled() {
        return (None, None);
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{msg} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(label.to_owned());
    let handle = bar.clone();
    let callback: Progress = Arc::new(move |sent, total| {
        if handle.length() != Some(total) {
            handle.set_length(total);
        }
        handle.set_position(sent);
    });
    (Some(bar), Some(callback))
}
