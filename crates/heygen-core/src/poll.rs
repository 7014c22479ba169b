//! [`Poller`]: waits for a job (avatar training, video rendering) to reach a final state.

use core::ops::ControlFlow;
use core::time::Duration;

use crate::config::PollPolicy;
use crate::error::{Error, ErrorClass, JobFailed, WaitTimedOut};

/// What one status check says about a job.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Observation {
    /// `completed`.
    Completed,
    /// `failed`, with HeyGen's error when given.
    Failed {
        /// HeyGen's error code.
        code: Option<String>,
        /// HeyGen's error message.
        message: Option<String>,
    },
    /// `pending_consent`: the person in the footage has not consented yet.
    PendingConsent,
    /// Any other status (`pending`, `processing`, `waiting`, unknown values): not final.
    InProgress,
}

/// A resource whose status can be polled.
pub trait Pollable {
    /// The resource kind for errors (`avatar group`, `look`, `video`).
    const RESOURCE: &'static str;

    /// What the current status means.
    fn observe(&self) -> Observation;

    /// The status exactly as the server sent it, for timeout errors.
    fn raw_status(&self) -> Option<&str>;

    /// Whether consent has been given (or is not needed); used by [`WaitGoal::Consent`]. The
    /// default treats any status other than `pending_consent` as consent given.
    fn consent_given(&self) -> bool {
        !matches!(self.observe(), Observation::PendingConsent)
    }
}

/// What a wait waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum WaitGoal {
    /// Until `completed` or `failed`; `pending_consent` ends the wait with
    /// [`Poll::PendingConsent`] so the caller can ask for consent.
    #[default]
    Completion,
    /// Until `completed` or `failed`, treating `pending_consent` as not final.
    CompletionThroughConsent,
    /// Until consent is given (or the job completes or fails).
    Consent,
}

/// What the transport does after a check.
#[derive(Debug)]
pub enum Poll<T> {
    /// The goal is reached; here is the last value.
    Done(T),
    /// The job waits for consent (only with [`WaitGoal::Completion`]).
    PendingConsent(T),
    /// Check again after this delay.
    Wait(Duration),
    /// The wait is over with an error: the job failed, a check failed for good, or the
    /// deadline passed.
    Failed(Error),
}

impl<T> Poll<T> {
    /// What a transport's wait loop does with this poll: `Continue(delay)` to sleep `delay`
    /// and check again, or `Break` with the outcome of the whole wait.
    pub fn into_flow(self) -> ControlFlow<Result<Waited<T>, Error>, Duration> {
        match self {
            Self::Wait(delay) => ControlFlow::Continue(delay),
            Self::Done(value) => ControlFlow::Break(Ok(Waited::Completed(value))),
            Self::PendingConsent(value) => ControlFlow::Break(Ok(Waited::PendingConsent(value))),
            Self::Failed(error) => ControlFlow::Break(Err(error)),
        }
    }
}

/// What a wait for training ended with.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Waited<T> {
    /// Training completed; the last value read.
    Completed(T),
    /// Training waits for the consent of the person in the footage (digital twins); ask for
    /// it with `POST /v3/avatars/{group_id}/consent`, then wait again.
    PendingConsent(T),
}

impl<T> Waited<T> {
    /// The value, whatever the state.
    pub fn into_inner(self) -> T {
        match self {
            Self::Completed(v) | Self::PendingConsent(v) => v,
        }
    }

    /// Whether training completed.
    pub fn is_completed(&self) -> bool {
        matches!(self, Self::Completed(_))
    }
}

/// Polls one resource.
///
/// ```text
/// let mut poller = Poller::new("video", id, &policy, now());
/// loop {
///     let poll = match send(GetVideo::new(id)) {           // through a Call, with retries
///         Ok(video) => poller.on_status(video, now()),
///         Err(e) => poller.on_error(e, now()),
///     };
///     match poll {
///         Poll::Wait(delay) => sleep(delay),
///         other => return other,
///     }
/// }
/// ```
///
/// `now` is monotonic time on any fixed origin, the same for every call. The first check
/// happens at once; intervals grow from the policy's initial interval by half each time up to
/// its maximum, and never run past the deadline. A 404 or any other non-transient error ends the
/// wait at once; 5xx, 429 and transport failures keep polling within the deadline.
#[derive(Debug, Clone)]
pub struct Poller {
    resource: &'static str,
    id: String,
    goal: WaitGoal,
    policy: PollPolicy,
    started: Duration,
    next_interval: Duration,
    last_status: Option<String>,
    checks: u32,
    finished: bool,
}

impl Poller {
    /// Starts a wait for resource `id` at time `now`.
    pub fn new(
        resource: &'static str,
        id: impl Into<String>,
        policy: &PollPolicy,
        now: Duration,
    ) -> Self {
        Self {
            resource,
            id: id.into(),
            goal: WaitGoal::default(),
            policy: *policy,
            started: now,
            next_interval: policy.initial_interval,
            last_status: None,
            checks: 0,
            finished: false,
        }
    }

    /// Starts a wait for a resource of kind `T` (its [`Pollable::RESOURCE`] names it in errors).
    pub fn for_resource<T: Pollable>(
        id: impl Into<String>,
        policy: &PollPolicy,
        now: Duration,
    ) -> Self {
        Self::new(T::RESOURCE, id, policy, now)
    }

    /// Sets what to wait for.
    #[must_use]
    pub fn goal(mut self, goal: WaitGoal) -> Self {
        self.goal = goal;
        self
    }

    /// Checks made so far.
    pub fn checks(&self) -> u32 {
        self.checks
    }

    /// The last raw status seen.
    pub fn last_status(&self) -> Option<&str> {
        self.last_status.as_deref()
    }

    /// Handles a successful status check.
    pub fn on_status<T: Pollable>(&mut self, value: T, now: Duration) -> Poll<T> {
        self.checks = self.checks.saturating_add(1);
        if let Some(raw) = value.raw_status() {
            self.last_status = Some(raw.chars().take(64).collect());
        }
        let observation = value.observe();
        match observation {
            Observation::Completed => self.finish(Poll::Done(value)),
            Observation::Failed { code, message } => {
                let error = Error::JobFailed(Box::new(JobFailed {
                    resource: self.resource,
                    id: self.id.clone(),
                    code,
                    message,
                }));
                self.finish(Poll::Failed(error))
            }
            Observation::PendingConsent if self.goal == WaitGoal::Completion => {
                self.finish(Poll::PendingConsent(value))
            }
            _ if self.goal == WaitGoal::Consent && value.consent_given() => {
                self.finish(Poll::Done(value))
            }
            _ => self.wait(now, None),
        }
    }

    /// Handles a failed status check (after the call's own retries).
    pub fn on_error<T>(&mut self, error: Error, now: Duration) -> Poll<T> {
        self.checks = self.checks.saturating_add(1);
        let transient = match error.class() {
            ErrorClass::Server | ErrorClass::RateLimited | ErrorClass::RequestInProgress => true,
            ErrorClass::Timeout => !matches!(error, Error::WaitTimedOut(_)),
            ErrorClass::Transport => error.is_retryable(),
            _ => false,
        };
        if transient {
            let hint = error.retry_after();
            self.wait(now, hint)
        } else {
            self.finish(Poll::Failed(error))
        }
    }

    fn finish<T>(&mut self, poll: Poll<T>) -> Poll<T> {
        self.finished = true;
        poll
    }

    fn wait<T>(&mut self, now: Duration, hint: Option<Duration>) -> Poll<T> {
        let elapsed = now.saturating_sub(self.started);
        let remaining = self.policy.deadline.saturating_sub(elapsed);
        if self.finished || remaining.is_zero() {
            self.finished = true;
            return Poll::Failed(Error::WaitTimedOut(Box::new(WaitTimedOut {
                resource: self.resource,
                id: self.id.clone(),
                last_status: self.last_status.clone(),
                elapsed,
            })));
        }
        let interval = self.next_interval.max(hint.unwrap_or(Duration::ZERO));
        let grown = self.next_interval.saturating_add(self.next_interval / 2);
        self.next_interval = grown
            .min(self.policy.max_interval)
            .max(Duration::from_millis(1));
        Poll::Wait(
            interval
                .min(self.policy.max_interval.max(hint.unwrap_or(Duration::ZERO)))
                .min(remaining),
        )
    }
}

fn avatar_observation(
    status: Option<&heygen_model::AvatarStatus>,
    error: Option<&heygen_model::ResourceError>,
) -> Observation {
    use heygen_model::AvatarStatus;
    match status {
        // Public avatars carry no status: nothing to wait for.
        None | Some(AvatarStatus::Completed) => Observation::Completed,
        Some(AvatarStatus::Failed) => Observation::Failed {
            code: error.map(|e| e.code.clone()).filter(|c| !c.is_empty()),
            message: error.map(|e| e.message.clone()).filter(|m| !m.is_empty()),
        },
        Some(AvatarStatus::PendingConsent) => Observation::PendingConsent,
        Some(_) => Observation::InProgress,
    }
}

/// Training of an avatar group; a group without a status (public avatars) counts as
/// completed.
impl Pollable for heygen_model::AvatarGroup {
    const RESOURCE: &'static str = "avatar group";

    fn observe(&self) -> Observation {
        avatar_observation(self.status.as_ref(), self.error.as_ref())
    }

    fn raw_status(&self) -> Option<&str> {
        self.status.as_ref().map(heygen_model::AvatarStatus::as_str)
    }

    fn consent_given(&self) -> bool {
        use heygen_model::ConsentStatus;
        let pending_status = matches!(self.observe(), Observation::PendingConsent);
        let pending_consent = matches!(
            self.consent_status,
            Some(ConsentStatus::Pending | ConsentStatus::Declined)
        );
        !pending_status && !pending_consent
    }
}

/// Training of a look; a look without a status counts as completed.
impl Pollable for heygen_model::Look {
    const RESOURCE: &'static str = "look";

    fn observe(&self) -> Observation {
        avatar_observation(self.status.as_ref(), self.error.as_ref())
    }

    fn raw_status(&self) -> Option<&str> {
        self.status.as_ref().map(heygen_model::AvatarStatus::as_str)
    }
}

/// Rendering of a video: `completed` and `failed` are final; `pending`, `waiting`,
/// `processing`, unknown and missing (`null`) values keep the wait going.
impl Pollable for heygen_model::Video {
    const RESOURCE: &'static str = "video";

    fn observe(&self) -> Observation {
        use heygen_model::VideoStatus;
        match self.status {
            Some(VideoStatus::Completed) => Observation::Completed,
            Some(VideoStatus::Failed) => {
                let error = self.error.as_ref();
                Observation::Failed {
                    code: self
                        .failure_code
                        .clone()
                        .or_else(|| error.map(|e| e.code.clone()))
                        .filter(|c| !c.is_empty()),
                    message: self
                        .failure_message
                        .clone()
                        .or_else(|| error.map(|e| e.message.clone()))
                        .filter(|m| !m.is_empty()),
                }
            }
            _ => Observation::InProgress,
        }
    }

    fn raw_status(&self) -> Option<&str> {
        self.status.as_ref().map(heygen_model::VideoStatus::as_str)
    }
}
