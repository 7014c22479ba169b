//! The success side of the output contract: one JSON document on stdout (or `--human` tables),
//! and the error line on stderr. Every text passes through [`Output::scrub`] first, so a
//! configured secret can never be printed.

use std::io::Write as _;

use serde::Serialize;

use crate::failure::Failure;
use crate::human;

/// Where and how results are printed.
#[derive(Debug, Clone, Default)]
pub(crate) struct Output {
    /// `--human`: tables and aligned fields instead of JSON.
    human: bool,
    /// Texts that must never be printed (the API key); replaced by `<redacted>`.
    secrets: Vec<String>,
}

/// A list result: `{"data": […], "has_more": …, "next_token": …}`.
#[derive(Debug, Serialize)]
pub(crate) struct ListOutput<T> {
    /// The items.
    pub(crate) data: Vec<T>,
    /// Whether another page follows.
    pub(crate) has_more: bool,
    /// The token of the next page (`null` on the last one).
    pub(crate) next_token: Option<String>,
}

/// A single-resource result: `{"data": …}`.
#[derive(Debug, Serialize)]
struct DataOutput<'a, T> {
    data: &'a T,
}

impl Output {
    /// An output that renders as JSON, or as text with `human`.
    pub(crate) fn new(human: bool) -> Self {
        Self {
            human,
            secrets: Vec::new(),
        }
    }

    /// Registers a secret that must never be printed. Very short values are ignored: they
    /// cannot be told apart from ordinary text.
    pub(crate) fn add_secret(&mut self, secret: &str) {
        let secret = secret.trim();
        if secret.len() < 6 {
            return;
        }
        // The text as written, and as it appears inside a JSON string.
        let escaped = serde_json::to_string(secret)
            .ok()
            .and_then(|quoted| Some(quoted.get(1..quoted.len().checked_sub(1)?)?.to_owned()));
        for form in [Some(secret.to_owned()), escaped].into_iter().flatten() {
            if !self.secrets.contains(&form) {
                self.secrets.push(form);
            }
        }
    }

    /// Replaces every registered secret in `text`.
    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), "<redacted>");
            }
        }
        out
    }

    /// Prints `{"data": value}`.
    pub(crate) fn data<T: Serialize>(&self, value: &T) -> Result<(), Failure> {
        self.emit(&DataOutput { data: value }, false)
    }

    /// Prints a list result.
    pub(crate) fn list<T: Serialize>(&self, list: &ListOutput<T>) -> Result<(), Failure> {
        self.emit(list, true)
    }

    /// Prints `value` as one JSON line, unwrapped: an item of a stream (`webhook listen`).
    /// With `--human`, aligned fields and a blank line instead. Unlike a command's single result,
    /// a closed pipe is an error here: the stream has lost its reader, so the caller must stop
    /// acknowledging items it cannot hand over.
    pub(crate) fn line<T: Serialize>(&self, value: &T) -> Result<(), Failure> {
        let mut text = serde_json::to_string(value).map_err(|e| encode_failure(&e))?;
        if self.human {
            text = human::document(&text);
        }
        text.push('\n');
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(self.scrub(&text).as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(|error| output_failure(&error))
    }

    fn emit<T: Serialize>(&self, value: &T, is_list: bool) -> Result<(), Failure> {
        let mut text = serde_json::to_string(value).map_err(|e| encode_failure(&e))?;
        if self.human {
            text = if is_list {
                human::list(&text)
            } else {
                human::document(&text)
            };
        } else {
            text.push('\n');
        }
        write_stdout(&self.scrub(&text)).map_err(|error| output_failure(&error))
    }

    /// Writes the error envelope line to stderr. Besides the registered secrets, signatures
    /// and credentials in URL queries (presigned URLs) are redacted.
    pub(crate) fn failure(&self, failure: &Failure) {
        let line = heygen_core::redact::redact_secrets(&self.scrub(&failure.to_json_line()));
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(stderr, "{line}");
        let _ = stderr.flush();
    }

    /// Writes one log line to stderr (the demo's step log, the emulator banner).
    pub(crate) fn log(&self, line: &str) {
        let line = heygen_core::redact::redact_secrets(&self.scrub(line));
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(stderr, "{line}");
        let _ = stderr.flush();
    }
}

/// Writes to stdout. A closed pipe (`heygen … | head`) is not an error: the reader has what it
/// wanted. Any other write failure (a full disk, `>/dev/full`) is, so no result is lost silently.
fn write_stdout(text: &str) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(error),
        _ => Ok(()),
    }
}

fn output_failure(error: &std::io::Error) -> Failure {
    Failure::new(
        crate::failure::EXIT_API,
        "cli_output_error",
        format!("could not write the result to stdout: {error}"),
    )
}

fn encode_failure(error: &serde_json::Error) -> Failure {
    Failure::new(
        crate::failure::EXIT_API,
        "cli_internal_error",
        format!("could not encode the result: {error}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_replaces_every_secret() {
        let mut out = Output::new(false);
        out.add_secret("hg_test_KEY");
        out.add_secret("ab");
        assert_eq!(
            out.scrub("key hg_test_KEY and hg_test_KEY, ab"),
            "key <redacted> and <redacted>, ab"
        );
        out.add_secret("quote\"key\\x");
        assert_eq!(
            out.scrub(r#"{"m":"quote\"key\\x"}"#),
            r#"{"m":"<redacted>"}"#
        );
    }
}
