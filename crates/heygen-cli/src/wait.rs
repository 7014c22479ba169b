//! Waits for avatar training and video rendering, driven by the core's [`Poller`]: the CLI only
//! sends the status checks (through the chosen backend), sleeps, and shows the status.
//!
//! Unlike a plain SDK wait, this keeps the last state seen so a `--wait` that reaches its
//! deadline can still print it on stdout.

use std::time::{Duration, Instant};

use heygen_core::{Error, Observation, Poll, PollPolicy, Pollable, Poller, WaitGoal};
use heygen_model::{AvatarGroup, AvatarStatus, Video, VideoStatus};

use crate::progress::Spinner;

/// A resource the CLI can wait for.
pub(crate) trait Waitable: Clone {
    /// The resource kind in errors (`avatar group`, `video`).
    const RESOURCE: &'static str;
    /// What the status means.
    fn observation(&self) -> Observation;
    /// The status as sent.
    fn status_text(&self) -> Option<String>;
}

impl Waitable for AvatarGroup {
    const RESOURCE: &'static str = "avatar group";

    fn observation(&self) -> Observation {
        match &self.status {
            Some(AvatarStatus::Completed) => Observation::Completed,
            Some(AvatarStatus::Failed) => Observation::Failed {
                code: self
                    .error
                    .as_ref()
                    .map(|e| e.code.clone())
                    .filter(|c| !c.is_empty()),
                message: self
                    .error
                    .as_ref()
                    .map(|e| e.message.clone())
                    .filter(|m| !m.is_empty()),
            },
            Some(AvatarStatus::PendingConsent) => Observation::PendingConsent,
            _ => Observation::InProgress,
        }
    }

    fn status_text(&self) -> Option<String> {
        self.status.as_ref().map(|s| s.as_str().to_owned())
    }
}

impl Waitable for Video {
    const RESOURCE: &'static str = "video";

    fn observation(&self) -> Observation {
        match &self.status {
            VideoStatus::Completed => Observation::Completed,
            VideoStatus::Failed => Observation::Failed {
                code: self
                    .failure_code
                    .clone()
                    .or_else(|| self.error.as_ref().map(|e| e.code.clone()))
                    .filter(|c| !c.is_empty()),
                message: self
                    .failure_message
                    .clone()
                    .or_else(|| self.error.as_ref().map(|e| e.message.clone()))
                    .filter(|m| !m.is_empty()),
            },
            _ => Observation::InProgress,
        }
    }

    fn status_text(&self) -> Option<String> {
        Some(self.status.as_str().to_owned())
    }
}

/// Adapts a [`Waitable`] to the core's [`Pollable`].
struct Checked<T> {
    observation: Observation,
    status: Option<String>,
    value: T,
}

impl<T: Waitable> Pollable for Checked<T> {
    const RESOURCE: &'static str = T::RESOURCE;

    fn observe(&self) -> Observation {
        self.observation.clone()
    }

    fn raw_status(&self) -> Option<&str> {
        self.status.as_deref()
    }
}

/// How a wait ended without success.
#[derive(Debug)]
pub(crate) struct WaitError<T> {
    /// What went wrong (job failed, deadline, a check that failed for good).
    pub(crate) error: Error,
    /// The last state seen, if any check succeeded.
    pub(crate) last: Option<T>,
}

/// Polls `check` until the resource completes, fails, or the policy's deadline passes.
/// `pending_consent` keeps the wait going (shown in the progress line); `on_status` sees every
/// status change.
pub(crate) fn wait_for<T, F>(
    id: &str,
    policy: &PollPolicy,
    label: &str,
    mut check: F,
    mut on_status: impl FnMut(&str),
) -> Result<T, WaitError<T>>
where
    T: Waitable,
    F: FnMut() -> Result<T, Error>,
{
    let started = Instant::now();
    let mut poller = Poller::new(T::RESOURCE, id, policy, Duration::ZERO)
        .goal(WaitGoal::CompletionThroughConsent);
    let spinner = Spinner::start(label);
    let mut last: Option<T> = None;
    let mut last_status: Option<String> = None;
    let outcome = loop {
        let poll = match check() {
            Ok(value) => {
                let status = value.status_text();
                if status != last_status {
                    if let Some(text) = &status {
                        spinner.status(text);
                        on_status(text);
                    }
                    last_status.clone_from(&status);
                }
                last = Some(value.clone());
                let checked = Checked {
                    observation: value.observation(),
                    status,
                    value,
                };
                poller.on_status(checked, started.elapsed())
            }
            Err(error) => poller.on_error(error, started.elapsed()),
        };
        match poll {
            Poll::Wait(delay) => std::thread::sleep(delay),
            Poll::Done(checked) | Poll::PendingConsent(checked) => break Ok(checked.value),
            Poll::Failed(error) => break Err(WaitError { error, last }),
        }
    };
    spinner.finish();
    outcome
}

/// The poll policy for a wait of at most `timeout` seconds, polling first every `interval`
/// seconds.
pub(crate) fn policy(timeout: Option<f64>, interval: Option<f64>) -> PollPolicy {
    let mut policy = PollPolicy::new();
    if let Some(secs) = timeout {
        policy = policy.deadline(Duration::from_secs_f64(secs));
    }
    if let Some(secs) = interval {
        let first = Duration::from_secs_f64(secs);
        policy = policy
            .initial_interval(first)
            .max_interval(first.saturating_mul(4).max(first));
    }
    policy
}
