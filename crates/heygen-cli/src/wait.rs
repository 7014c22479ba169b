//! Waits for avatar training and video rendering: the core's [`Wait`] workflow, run through
//! the chosen backend. The CLI only watches each status read (the spinner, the statuses seen,
//! the last value) so a `--wait` that reaches its deadline can still print the last state seen.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use heygen_core::{Error, Operation, PollPolicy, Pollable, Wait, WaitGoal};

use crate::backend::Backend;
use crate::progress::Spinner;

/// What a wait saw along the way, however it ended.
#[derive(Debug)]
pub(crate) struct Seen<T> {
    /// Each status change, in order.
    pub(crate) statuses: Vec<String>,
    /// The last value read, if any check succeeded.
    pub(crate) last: Option<T>,
}

/// Reads the resource `id` with `op` until it completes, fails, or the policy's deadline
/// passes; `pending_consent` keeps the wait going (shown in the progress line).
pub(crate) fn wait_for<O>(
    backend: &Backend,
    op: O,
    id: &str,
    policy: PollPolicy,
    label: &str,
) -> (Result<O::Output, Error>, Seen<O::Output>)
where
    O: Operation + Clone + Send,
    O::Output: Pollable + Clone + Send + 'static,
{
    let spinner = Spinner::start(label);
    let seen = Arc::new(Mutex::new(Seen {
        statuses: Vec::new(),
        last: None,
    }));
    let watch = Arc::clone(&seen);
    let line = spinner.clone();
    let wait = Wait::new(op, id, WaitGoal::CompletionThroughConsent)
        .policy(policy)
        .observe(move |value: &O::Output| {
            let mut seen = watch.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(status) = value.raw_status()
                && seen.statuses.last().map(String::as_str) != Some(status)
            {
                line.status(status);
                seen.statuses.push(status.to_owned());
            }
            seen.last = Some(value.clone());
        });
    let result = backend.run(wait).map(heygen_core::Waited::into_inner);
    spinner.finish();
    let mut seen = seen.lock().unwrap_or_else(PoisonError::into_inner);
    let seen = Seen {
        statuses: std::mem::take(&mut seen.statuses),
        last: seen.last.take(),
    };
    (result, seen)
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
