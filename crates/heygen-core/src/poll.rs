//! [`Wait`]: the workflow that waits for a job (avatar training, consent, video rendering) to
//! reach a final state, with its decisions in [`Poller`].

use core::convert::Infallible;
use core::fmt;
use core::time::Duration;

use heygen_model::{AvatarGroupId, LookId, VideoId, VoiceId};

use crate::call::Call;
use crate::config::PollPolicy;
use crate::error::{Error, ErrorClass, JobFailed, WaitTimedOut};
use crate::operation::Operation;
use crate::ops::{GetAvatarGroup, GetLook, GetVideo, GetVoice};
use crate::workflow::{Cx, Event, Next, Workflow, delegate, over};

/// What one status check says about a job.
///
/// Only a known success value (`completed`) is ever [`Observation::Completed`]. A status the
/// SDK does not know, or one that is missing (`null` or absent), is [`Observation::Unknown`]:
/// never success and never failure, so a wait keeps polling and, at its deadline, its
/// [`Error::WaitTimedOut`] names the last status seen. This follows the reference, which says to
/// treat values outside its list as not final; a value that only looks final (`cancelled`,
/// `succeeded`) is thus never taken for a finished job.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Observation {
    /// `completed`.
    Completed,
    /// `failed` (or, for videos, `error`), with HeyGen's error when given.
    Failed {
        /// HeyGen's error code.
        code: Option<String>,
        /// HeyGen's error message.
        message: Option<String>,
    },
    /// `pending_consent`: the person in the footage has not consented yet.
    PendingConsent,
    /// A known status that is not final (`pending`, `waiting`, `processing`).
    InProgress,
    /// A status the SDK does not know, or none at all: not final, and never success.
    Unknown,
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
    /// default needs a known status past consent (in progress or completed); an unknown or
    /// missing status is not taken as consent.
    fn consent_given(&self) -> bool {
        matches!(
            self.observe(),
            Observation::InProgress | Observation::Completed
        )
    }
}

/// What a wait waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum WaitGoal {
    /// Until `completed` or `failed`; `pending_consent` ends the wait with
    /// [`Waited::PendingConsent`] so the caller can ask for consent.
    #[default]
    Completion,
    /// Until `completed` or `failed`, treating `pending_consent` as not final.
    CompletionThroughConsent,
    /// Until consent is given (or the job completes or fails).
    Consent,
}

/// What a wait ended with. Exhaustive: match it without a wildcard arm.
#[derive(Debug, Clone, PartialEq)]
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

/// The decisions of a wait over one resource: after each status check, sleep
/// ([`Next::Sleep`]) or stop ([`Next::Done`]). [`Wait`] runs it with a [`Call`] per check.
///
/// `now` is monotonic time on any fixed origin, the same for every call. The first check
/// happens at once; intervals grow from the policy's initial interval by half each time up to
/// its maximum, and never run past the deadline. A 404 or any other non-transient error ends the
/// wait at once; 5xx, 429 and transport failures keep polling within the deadline. An unknown or
/// missing status keeps polling too (see [`Observation::Unknown`]). At the deadline the
/// [`Error::WaitTimedOut`] says what the wait saw: the last status, or when no check succeeded,
/// the last failure.
#[derive(Debug, Clone)]
pub struct Poller {
    resource: &'static str,
    id: String,
    goal: WaitGoal,
    policy: PollPolicy,
    started: Duration,
    next_interval: Duration,
    last_status: Option<String>,
    last_error: Option<String>,
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
            last_error: None,
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

    /// What the last check's failure said, when the last check failed.
    pub fn last_error(&self) -> Option<&str> {
        self.last_error.as_deref()
    }

    /// When the wait ends, on the clock of the `now` values it is given.
    pub fn deadline_at(&self) -> Duration {
        self.started.saturating_add(self.policy.deadline)
    }

    /// Handles a successful status check.
    pub fn on_status<T: Pollable>(&mut self, value: T, now: Duration) -> Next<Waited<T>> {
        self.checks = self.checks.saturating_add(1);
        self.last_error = None;
        if let Some(raw) = value.raw_status() {
            self.last_status = Some(raw.chars().take(64).collect());
        }
        let observation = value.observe();
        match observation {
            Observation::Completed => self.finish(Ok(Waited::Completed(value))),
            Observation::Failed { code, message } => {
                let error = Error::JobFailed(Box::new(JobFailed {
                    resource: self.resource,
                    id: self.id.clone(),
                    code,
                    message,
                }));
                self.finish(Err(error))
            }
            Observation::PendingConsent if self.goal == WaitGoal::Completion => {
                self.finish(Ok(Waited::PendingConsent(value)))
            }
            _ if self.goal == WaitGoal::Consent && value.consent_given() => {
                self.finish(Ok(Waited::Completed(value)))
            }
            _ => self.wait(now, None),
        }
    }

    /// Handles a failed status check (after the call's own retries).
    pub fn on_error<T>(&mut self, error: Error, now: Duration) -> Next<Waited<T>> {
        self.handle_error(error, now, true)
    }

    /// As [`Poller::on_error`]; `sent` says whether the check sent a request at all (a check
    /// cut at the deadline before its first attempt did not, and is neither counted nor
    /// remembered as the last failure).
    pub fn on_check_error<T>(
        &mut self,
        error: Error,
        now: Duration,
        sent: bool,
    ) -> Next<Waited<T>> {
        self.handle_error(error, now, sent)
    }

    /// As [`Poller::on_check_error`].
    fn handle_error<T>(&mut self, error: Error, now: Duration, sent: bool) -> Next<Waited<T>> {
        if !sent {
            return self.wait(now, None);
        }
        self.checks = self.checks.saturating_add(1);
        let transient = match error.class() {
            ErrorClass::Server | ErrorClass::RateLimited | ErrorClass::RequestInProgress => true,
            ErrorClass::Timeout => !matches!(error, Error::WaitTimedOut(_)),
            ErrorClass::Transport => error.is_retryable(),
            _ => false,
        };
        if transient {
            let hint = error.retry_after();
            self.last_error = Some(brief(&error));
            self.wait(now, hint)
        } else {
            self.finish(Err(error))
        }
    }

    fn finish<T>(&mut self, result: Result<Waited<T>, Error>) -> Next<Waited<T>> {
        self.finished = true;
        Next::Done(result)
    }

    fn wait<T>(&mut self, now: Duration, hint: Option<Duration>) -> Next<Waited<T>> {
        let elapsed = now.saturating_sub(self.started);
        let remaining = self.policy.deadline.saturating_sub(elapsed);
        if self.finished || remaining.is_zero() {
            self.finished = true;
            return Next::Done(Err(Error::WaitTimedOut(Box::new(WaitTimedOut {
                resource: self.resource,
                id: self.id.clone(),
                last_status: self.last_status.clone(),
                last_error: self.last_error.clone(),
                checks: self.checks,
                elapsed,
            }))));
        }
        let interval = self.next_interval.max(hint.unwrap_or(Duration::ZERO));
        let grown = self.next_interval.saturating_add(self.next_interval / 2);
        self.next_interval = grown
            .min(self.policy.max_interval)
            .max(Duration::from_millis(1));
        Next::Sleep(
            interval
                .min(self.policy.max_interval.max(hint.unwrap_or(Duration::ZERO)))
                .min(remaining),
        )
    }
}

/// At most 160 characters of an error's text, for a timeout that reports the last failure.
fn brief(error: &Error) -> String {
    let text = error.to_string();
    match text.char_indices().nth(160) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

/// What an avatar group's or look's status says. A missing status is [`Observation::Unknown`]:
/// the reference sends a status for private avatars only, and a private avatar being trained can
/// briefly answer with `null`, so a wait never reads a missing status as completed. (Public
/// avatars have nothing to train; a wait on one ends at its deadline, naming no status.)
fn avatar_observation(
    status: Option<&heygen_model::AvatarStatus>,
    error: Option<&heygen_model::ResourceError>,
) -> Observation {
    use heygen_model::AvatarStatus;
    match status {
        None | Some(AvatarStatus::Unknown(_)) => Observation::Unknown,
        Some(AvatarStatus::Completed) => Observation::Completed,
        Some(AvatarStatus::Failed) => Observation::Failed {
            code: error.map(|e| e.code.clone()).filter(|c| !c.is_empty()),
            message: error.map(|e| e.message.clone()).filter(|m| !m.is_empty()),
        },
        Some(AvatarStatus::PendingConsent) => Observation::PendingConsent,
        Some(_) => Observation::InProgress,
    }
}

/// Training of an avatar group; a group without a status is not taken as completed (see
/// [`Observation::Unknown`]).
impl Pollable for heygen_model::AvatarGroup {
    const RESOURCE: &'static str = "avatar group";

    fn observe(&self) -> Observation {
        avatar_observation(self.status.as_ref(), self.error.as_ref())
    }

    fn raw_status(&self) -> Option<&str> {
        self.status.as_ref().map(heygen_model::AvatarStatus::as_str)
    }

    /// Consent is given when `consent_status` says `approved` (and the status is not
    /// `pending_consent`), or when it is `null` (consent not required) and the status is a known
    /// one past consent (`processing`, `completed`). A pending, declined or unknown consent
    /// status, or a `null` one with an unknown or missing training status, is not consent.
    fn consent_given(&self) -> bool {
        use heygen_model::ConsentStatus;
        let observation = self.observe();
        match &self.consent_status {
            Some(ConsentStatus::Approved) => observation != Observation::PendingConsent,
            None => matches!(
                observation,
                Observation::InProgress | Observation::Completed
            ),
            Some(_) => false,
        }
    }
}

/// Training of a look; a look without a status is not taken as completed.
impl Pollable for heygen_model::Look {
    const RESOURCE: &'static str = "look";

    fn observe(&self) -> Observation {
        avatar_observation(self.status.as_ref(), self.error.as_ref())
    }

    fn raw_status(&self) -> Option<&str> {
        self.status.as_ref().map(heygen_model::AvatarStatus::as_str)
    }
}

/// Rendering of a video: `completed`, `failed` and `error` are final; `pending`, `waiting`,
/// `processing`, unknown and missing (`null`) values keep the wait going.
impl Pollable for heygen_model::Video {
    const RESOURCE: &'static str = "video";

    fn observe(&self) -> Observation {
        use heygen_model::VideoStatus;
        match self.status {
            Some(VideoStatus::Completed) => Observation::Completed,
            Some(VideoStatus::Failed | VideoStatus::Error) => {
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
            Some(VideoStatus::Pending | VideoStatus::Waiting | VideoStatus::Processing) => {
                Observation::InProgress
            }
            _ => Observation::Unknown,
        }
    }

    fn raw_status(&self) -> Option<&str> {
        self.status.as_ref().map(heygen_model::VideoStatus::as_str)
    }
}

/// Cloning of a voice: `complete` is success, `failed` is failure (with `failure_message`),
/// `processing` keeps the wait going; an unknown value (even one that looks final, such as
/// `completed`) is never success. Only a clone has a status, so a voice without one is usable
/// at once (a shared voice), unless the server says it is a clone (`type` `private`): then the
/// wait goes on until its status shows.
impl Pollable for heygen_model::VoiceDetails {
    const RESOURCE: &'static str = "voice";

    fn observe(&self) -> Observation {
        use heygen_model::VoiceCloneStatus;
        match &self.status {
            Some(VoiceCloneStatus::Complete) => Observation::Completed,
            Some(VoiceCloneStatus::Failed) => Observation::Failed {
                code: None,
                message: self.failure_message.clone().filter(|m| !m.is_empty()),
            },
            Some(VoiceCloneStatus::Processing) => Observation::InProgress,
            None if self.voice_type != Some(heygen_model::VoiceType::Private) => {
                Observation::Completed
            }
            _ => Observation::Unknown,
        }
    }

    fn raw_status(&self) -> Option<&str> {
        self.status
            .as_ref()
            .map(heygen_model::VoiceCloneStatus::as_str)
    }
}

/// A callback that sees every status read during a wait.
pub type Observer<T> = Box<dyn FnMut(&T) + Send + 'static>;

/// Waits for a resource: reads it with `op` (one [`Call`] per check, with its retries), and asks
/// the [`Poller`] whether to check again and when. Each check is cut at the wait's deadline: a
/// check still running then is abandoned and the wait ends with [`Error::WaitTimedOut`].
///
/// ```
/// use heygen_core::{Wait, Waited};
/// use heygen_model::VideoId;
///
/// let wait = Wait::video(&VideoId::new("vid_0001")?);
/// // client.run(wait) -> Result<Waited<Video>, Error>
/// # let _ = wait;
/// # Ok::<(), heygen_core::Error>(())
/// ```
pub struct Wait<O: Operation>
where
    O::Output: Pollable,
{
    op: O,
    id: String,
    goal: WaitGoal,
    policy: Option<PollPolicy>,
    poller: Option<Poller>,
    check: Option<Call<O>>,
    observer: Option<Observer<O::Output>>,
    over: bool,
}

impl<O> fmt::Debug for Wait<O>
where
    O: Operation,
    O::Output: Pollable,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wait")
            .field("resource", &O::Output::RESOURCE)
            .field("id", &self.id)
            .field("goal", &self.goal)
            .field("poller", &self.poller)
            .finish_non_exhaustive()
    }
}

impl<O> Wait<O>
where
    O: Operation + Clone,
    O::Output: Pollable,
{
    /// Waits for resource `id` read with `op` until `goal`, with the configuration's poll
    /// policy.
    pub fn new(op: O, id: impl Into<String>, goal: WaitGoal) -> Self {
        Self {
            op,
            id: id.into(),
            goal,
            policy: None,
            poller: None,
            check: None,
            observer: None,
            over: false,
        }
    }

    /// Uses this poll policy (intervals and deadline) instead of the configuration's.
    #[must_use]
    pub fn policy(mut self, policy: PollPolicy) -> Self {
        self.policy = Some(policy);
        self
    }

    /// Calls `observer` with every value read (to show progress).
    #[must_use]
    pub fn observe(mut self, observer: impl FnMut(&O::Output) + Send + 'static) -> Self {
        self.observer = Some(Box::new(observer));
        self
    }
}

impl Wait<GetAvatarGroup> {
    /// `GET /v3/avatars/{group_id}` until training completes or fails; `pending_consent` ends
    /// the wait as [`Waited::PendingConsent`].
    pub fn avatar(group_id: &AvatarGroupId) -> Self {
        Self::new(
            GetAvatarGroup::new(group_id.clone()),
            group_id.as_str(),
            WaitGoal::Completion,
        )
    }

    /// `GET /v3/avatars/{group_id}` until consent is given (or training ends).
    pub fn consent(group_id: &AvatarGroupId) -> Self {
        Self::new(
            GetAvatarGroup::new(group_id.clone()),
            group_id.as_str(),
            WaitGoal::Consent,
        )
    }
}

impl Wait<GetLook> {
    /// `GET /v3/avatars/looks/{look_id}` until the look completes or fails.
    pub fn look(look_id: &LookId) -> Self {
        Self::new(
            GetLook::new(look_id.clone()),
            look_id.as_str(),
            WaitGoal::Completion,
        )
    }
}

impl Wait<GetVideo> {
    /// `GET /v3/videos/{video_id}` until the video completes or fails.
    pub fn video(video_id: &VideoId) -> Self {
        Self::new(
            GetVideo::new(video_id.clone()),
            video_id.as_str(),
            WaitGoal::Completion,
        )
    }
}

impl Wait<GetVoice> {
    /// `GET /v3/voices/{voice_id}` until a voice clone is `complete` or `failed`; a voice with
    /// no clone status (a shared voice) ends the wait at the first read.
    pub fn voice(voice_id: &VoiceId) -> Self {
        Self::new(
            GetVoice::new(voice_id.clone()),
            voice_id.as_str(),
            WaitGoal::Completion,
        )
    }
}

impl<O> Workflow for Wait<O>
where
    O: Operation + Clone,
    O::Output: Pollable,
{
    type Output = Waited<O::Output>;
    type Item = Infallible;

    fn next(&mut self, cx: &Cx<'_>) -> Next<Self::Output> {
        if self.over {
            return Next::Done(Err(over()));
        }
        let policy = self.policy.unwrap_or(*cx.config.poll_policy());
        let (id, goal) = (&self.id, self.goal);
        let poller = self.poller.get_or_insert_with(|| {
            Poller::new(O::Output::RESOURCE, id.clone(), &policy, cx.now).goal(goal)
        });
        let check = match &mut self.check {
            Some(check) => check,
            slot @ None => match Call::new(self.op.clone(), cx.config, cx.entropy) {
                Ok(call) => slot.insert(call.deadline(poller.deadline_at())),
                Err(error) => {
                    self.over = true;
                    return Next::Done(Err(error));
                }
            },
        };
        let next = match delegate(check, cx) {
            Ok(next) => return next,
            Err(Ok(value)) => {
                if let Some(observer) = &mut self.observer {
                    observer(&value);
                }
                poller.on_status(value, cx.now)
            }
            // A check cut at the deadline before it sent anything says nothing about the
            // resource: the timeout keeps what the last real check said.
            Err(Err(error)) => poller.handle_error(error, cx.now, check.attempts() > 0),
        };
        self.check = None;
        match next {
            Next::Done(result) => {
                self.over = true;
                // A failure's message comes from the resource's own fields.
                Next::Done(result.map_err(|error| cx.config.scrub(error)))
            }
            next => next,
        }
    }

    fn handle(&mut self, event: Event<'_>, cx: &Cx<'_>) {
        if let Some(check) = &mut self.check {
            check.handle(event, cx);
        }
    }
}
