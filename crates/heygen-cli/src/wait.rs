//! Waits for avatar training and video rendering, driven by the core's [`Poller`] and its
//! [`Pollable`] reading of each resource: the CLI only sends the status checks (through the
//! chosen backend), sleeps, and shows the status.
//!
//! Unlike a plain SDK wait, this keeps the last state seen so a `--wait` that reaches its
//! deadline can still print it on stdout.

use std::time::{Duration, Instant};

use heygen_core::{Error, Poll, PollPolicy, Pollable, Poller, WaitGoal};

use crate::progress::Spinner;

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
    T: Pollable + Clone,
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
                let status = value.raw_status().map(str::to_owned);
                if status != last_status {
                    if let Some(text) = &status {
                        spinner.status(text);
                        on_status(text);
                    }
                    last_status.clone_from(&status);
                }
                last = Some(value.clone());
                poller.on_status(value, started.elapsed())
            }
            Err(error) => poller.on_error(error, started.elapsed()),
        };
        match poll {
            Poll::Wait(delay) => std::thread::sleep(delay),
            Poll::Done(value) | Poll::PendingConsent(value) => break Ok(value),
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
