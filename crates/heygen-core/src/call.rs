//! [`Call`]: one logical call (one operation, its retries), as a [`Workflow`].

use core::convert::Infallible;
use core::fmt;
use core::mem;
use core::time::Duration;

use http::header::HeaderValue;
use http::{HeaderName, Request};

use crate::body::{Body, Sent};
use crate::config::{Config, RetryPolicy};
use crate::error::{Error, TransportErrorKind};
use crate::oauth::{AuthStep, CallAuth};
use crate::operation::{
    IDEMPOTENCY_KEY_HEADER, Operation, idempotency_key_from_entropy, is_valid_idempotency_key,
};
use crate::response::ResponseLimits;
use crate::retry::{Decision, RequestFacts, decide};
use crate::trace::CallSpan;
use crate::transport::SendOptions;
use crate::workflow::{Cx, Event, Next, Outgoing, Workflow, over};

enum State<T> {
    /// Send the request.
    Ready,
    /// Sleep, then send again.
    Sleep(Duration),
    /// Over with this result, not handed out yet.
    Done(Result<T, Error>),
    /// Over and handed out.
    Over,
}

/// One logical call: the request built once (with its idempotency key), sent attempt after
/// attempt until it succeeds or the retry decision ([`crate::retry::decide`]) says stop.
///
/// ```
/// use std::time::Duration;
/// use heygen_core::{Call, Config, Cx, Event, Next, Workflow, ops::GetVideo};
/// use heygen_model::VideoId;
///
/// let config = Config::builder().api_key("hg_example").build()?;
/// let mut call = Call::new(GetVideo::new(VideoId::new("vid_0001")?), &config, [0; 16])?;
/// assert_eq!(call.request().uri(), "https://api.heygen.com/v3/videos/vid_0001");
///
/// // A pretend client: first a 503, then the video.
/// let mut answers = [
///     (503, &b"<html>busy</html>"[..]),
///     (200, &br#"{"data":{"id":"vid_0001","status":"processing"}}"#[..]),
/// ]
/// .into_iter();
/// let mut now = Duration::ZERO;
/// let video = loop {
///     let cx = Cx::new(&config, now, [7; 16]);
///     match call.next(&cx) {
///         Next::Send(_outgoing) => {
///             let (status, body) = answers.next().unwrap();
///             let response = http::Response::builder().status(status).body(body)?;
///             call.handle(Event::Response { response, sent: None }, &cx);
///         }
///         Next::Sleep(delay) => now += delay, // a client sleeps here
///         Next::Done(result) => break result?,
///         _ => unreachable!("a call only sends and sleeps"),
///     }
/// };
/// assert_eq!(video.status.map(|s| s.as_str().to_owned()).as_deref(), Some("processing"));
/// assert_eq!(call.attempts(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Call<O: Operation> {
    op: O,
    /// The request of the next attempt. An attempt takes it (no copy per attempt); a retry
    /// builds it again from the operation with the same idempotency key.
    request: Request<Body>,
    /// The `Idempotency-Key` header sent with every attempt.
    key: Option<HeaderValue>,
    /// The last attempt took `request`: build it again before the next one.
    taken: bool,
    /// The body plan was changed after `build` ([`Call::request_mut`]), so building again
    /// would lose it: each attempt gets a copy instead.
    changed: bool,
    facts: RequestFacts,
    attempts: u32,
    policy: RetryPolicy,
    limits: ResponseLimits,
    timeout: Duration,
    connect_timeout: Duration,
    deadline: Option<Duration>,
    started: Option<Duration>,
    state: State<O::Output>,
    last_error: Option<Error>,
    sent: Option<Sent>,
    span: CallSpan,
    /// The OAuth credential's refresh and 401 handling, for a configuration with one.
    auth: Option<Box<CallAuth>>,
}

impl<O: Operation> fmt::Debug for Call<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("method", &self.facts.method)
            .field("path", &self.op.path_template())
            .field("idempotent", &self.facts.idempotent)
            .field("attempts", &self.attempts)
            .field("body", self.request.body())
            .finish_non_exhaustive()
    }
}

impl<O: Operation> Call<O> {
    /// Builds and validates the request once. The `Idempotency-Key` is inserted here and only
    /// here: the operation's own key (validated), or for `POST`, `PATCH` and `DELETE` to the API
    /// one made from `entropy` (16 random bytes); it is reused on every attempt.
    ///
    /// # Errors
    /// The operation's validation errors, or an invalid caller-chosen key; nothing must be sent
    /// then.
    pub fn new(op: O, config: &Config, entropy: [u8; 16]) -> Result<Self, Error> {
        let method = op.method();
        let path = op.path_template();
        let mut request = op
            .build(config)
            .map_err(|e| config.scrub(e.with_operation(&method, path)))?;
        let key = match op.idempotency_key() {
            Some(key) => Some(caller_key(key).map_err(|e| e.with_operation(&method, path))?),
            None if op.accepts_idempotency_key() && op.sends_credentials() => {
                // Handed over without a copy (the key is ASCII hex: always a valid value).
                HeaderValue::from_maybe_shared(bytes::Bytes::from(idempotency_key_from_entropy(
                    &entropy,
                )))
                .ok()
            }
            None => None,
        };
        let keyed = key.is_some();
        if let Some(value) = &key {
            request.headers_mut().insert(
                HeaderName::from_static(IDEMPOTENCY_KEY_HEADER),
                value.clone(),
            );
        }
        let idempotent = op.is_idempotent() || keyed;
        let auth = match config.oauth() {
            Some(session) if op.sends_credentials() => {
                Some(Box::new(CallAuth::new(session.clone())))
            }
            _ => None,
        };
        let facts = RequestFacts::new(method.clone(), idempotent)
            .retry_conflict(op.retries_conflict())
            .body_replayable(request.body().is_replayable());
        Ok(Self {
            timeout: config.timeout(op.timeout_class()),
            connect_timeout: config.connect_timeout(),
            span: CallSpan::new(&method, path),
            op,
            request,
            key,
            taken: false,
            changed: false,
            facts,
            attempts: 0,
            policy: *config.retry_policy(),
            limits: ResponseLimits::from_config(config),
            deadline: None,
            started: None,
            state: State::Ready,
            last_error: None,
            sent: None,
            auth,
        })
    }

    /// Ends the call at `deadline` (on the clock of the [`Cx::now`] values it is given): no
    /// attempt runs past it, and no retry sleeps past it. Waits use this so that one status
    /// check cannot overrun the wait's own deadline.
    #[must_use]
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// The request: head and body (bytes, or the plan a client streams). Meant for before
    /// the first attempt: an attempt hands the request to the client, and a retry builds it
    /// again from the operation (with the same idempotency key).
    pub fn request(&self) -> &Request<Body> {
        &self.request
    }

    /// The operation.
    pub fn operation(&self) -> &O {
        &self.op
    }

    /// The idempotency key sent with every attempt, if any.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.key.as_ref().and_then(|v| v.to_str().ok())
    }

    /// Whether repeating the request is safe.
    pub fn is_idempotent(&self) -> bool {
        self.facts.idempotent
    }

    /// The whole-request timeout of each attempt (before any deadline shortens it).
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The response body limits.
    pub fn limits(&self) -> ResponseLimits {
        self.limits
    }

    /// Attempts made so far.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// What the client reported streaming with the last response ([`Body::Stream`] only).
    pub fn sent(&self) -> Option<&Sent> {
        self.sent.as_ref()
    }

    /// The request, to change its body plan before the first attempt.
    pub(crate) fn request_mut(&mut self) -> &mut Request<Body> {
        self.changed = true;
        &mut self.request
    }

    /// The request for the next attempt: the one built by [`Call::new`] the first time, then
    /// built again from the operation with the same idempotency key.
    fn prepare(&mut self, config: &Config) -> Result<(), Error> {
        if !self.taken {
            return Ok(());
        }
        let mut request = self.op.build(config)?;
        if let Some(value) = &self.key {
            request.headers_mut().insert(
                HeaderName::from_static(IDEMPOTENCY_KEY_HEADER),
                value.clone(),
            );
        }
        self.request = request;
        self.taken = false;
        Ok(())
    }

    /// Re-reads whether the body can be sent again, after its plan changed.
    pub(crate) fn set_replayable(&mut self) {
        self.facts.body_replayable = self.request.body().is_replayable();
    }

    fn elapsed(&self, cx: &Cx<'_>) -> Duration {
        cx.now.saturating_sub(self.started.unwrap_or(cx.now))
    }

    fn finish(&mut self, result: Result<O::Output, Error>, cx: &Cx<'_>) {
        self.span
            .finish(self.attempts, result.as_ref().err(), self.elapsed(cx));
        self.state = State::Done(result);
    }

    fn after_error(&mut self, error: Error, cx: &Cx<'_>) {
        // Scrubbed before anything sees it (the trace span, the retry decision, the caller).
        let error = cx
            .config
            .scrub(error.with_operation(&self.facts.method, self.op.path_template()));
        let elapsed = self.elapsed(cx);
        let decision = decide(
            self.attempts,
            &self.facts,
            &error,
            elapsed,
            cx.jitter(),
            &self.policy,
        );
        match decision {
            Decision::RetryAfter(delay)
                if self
                    .deadline
                    .is_none_or(|deadline| cx.now.saturating_add(delay) < deadline) =>
            {
                self.span.retry(self.attempts, &error, delay);
                self.last_error = Some(error);
                self.state = State::Sleep(delay);
            }
            _ => {
                self.last_error = None;
                self.finish(Err(error), cx);
            }
        }
    }
}

/// The header value of a caller-chosen idempotency key.
fn caller_key(key: &str) -> Result<HeaderValue, Error> {
    if !is_valid_idempotency_key(key) {
        return Err(Error::invalid_request(
            Some("idempotency_key"),
            "must be 1 to 255 characters of letters, digits, `_`, `:`, `.` or `-`",
        ));
    }
    HeaderValue::from_str(key)
        .map_err(|_| Error::invalid_request(Some("idempotency_key"), "invalid header value"))
}

impl<O: Operation> Workflow for Call<O> {
    type Output = O::Output;
    type Item = Infallible;

    fn next(&mut self, cx: &Cx<'_>) -> Next<O::Output> {
        self.started.get_or_insert(cx.now);
        match mem::replace(&mut self.state, State::Ready) {
            State::Done(result) => {
                self.state = State::Over;
                Next::Done(result)
            }
            State::Over => {
                self.state = State::Over;
                Next::Done(Err(over()))
            }
            State::Sleep(delay) => Next::Sleep(delay),
            State::Ready => {
                let mut timeout = self.timeout;
                if let Some(deadline) = self.deadline {
                    let left = deadline.saturating_sub(cx.now);
                    if left.is_zero() {
                        let error = self.last_error.take().unwrap_or_else(|| {
                            Error::transport(TransportErrorKind::Timeout, None)
                                .with_operation(&self.facts.method, self.op.path_template())
                        });
                        self.finish(Err(error), cx);
                        return self.next(cx);
                    }
                    timeout = timeout.min(left);
                }
                if let Err(error) = self.prepare(cx.config) {
                    let error = cx
                        .config
                        .scrub(error.with_operation(&self.facts.method, self.op.path_template()));
                    self.finish(Err(error), cx);
                    return self.next(cx);
                }
                if let Some(auth) = self.auth.as_deref_mut() {
                    // A refresh first when one is due, then the current token in the header.
                    match auth.step(cx, &mut self.request) {
                        AuthStep::Send => {}
                        AuthStep::Effect(next) => return next,
                        AuthStep::Fail(error) => {
                            let error = cx.config.scrub(
                                error.with_operation(&self.facts.method, self.op.path_template()),
                            );
                            self.finish(Err(error), cx);
                            return self.next(cx);
                        }
                    }
                }
                let request = if self.changed {
                    self.request.clone()
                } else {
                    self.taken = true;
                    mem::take(&mut self.request)
                };
                Next::Send(Outgoing {
                    request,
                    options: SendOptions::new(
                        timeout,
                        self.connect_timeout,
                        self.limits.read_limit(),
                    ),
                })
            }
        }
    }

    fn handle(&mut self, event: Event<'_>, cx: &Cx<'_>) {
        if let Some(refresh) = self.auth.as_deref_mut().and_then(CallAuth::refreshing) {
            refresh.handle(event, cx);
            return;
        }
        match event {
            Event::Response { response, sent } => {
                self.attempts = self.attempts.saturating_add(1);
                if response.status() == http::StatusCode::UNAUTHORIZED
                    && self.facts.body_replayable
                    && self.auth.as_deref_mut().is_some_and(CallAuth::refused)
                {
                    // Refresh once (unless another call already did) and send the same
                    // request, with the same idempotency key, once more (a body read from the
                    // caller's reader cannot be sent again: that 401 is the answer).
                    self.state = State::Ready;
                    return;
                }
                self.sent = sent;
                self.span
                    .response(response.status().as_u16(), response.headers());
                match self.op.parse(response, &self.limits) {
                    Ok(output) => self.finish(Ok(output), cx),
                    Err(error) => self.after_error(error, cx),
                }
            }
            Event::Failed(failure) => {
                self.attempts = self.attempts.saturating_add(1);
                let (kind, source) = failure.into_parts();
                self.after_error(Error::transport(kind, source), cx);
            }
            Event::Error(error) => {
                self.attempts = self.attempts.saturating_add(1);
                self.after_error(error, cx);
            }
            Event::ReaderConsumed => {
                let error = self.last_error.take().unwrap_or_else(|| {
                    Error::transport(TransportErrorKind::Body, None)
                        .with_operation(&self.facts.method, self.op.path_template())
                });
                self.finish(Err(error), cx);
            }
            // A call never asks to inspect a file or to stream a body into a sink.
            Event::Inspected(_) | Event::Received { .. } => {}
        }
    }
}

/// One operation, built into a [`Call`] at its first step with the client's configuration and
/// entropy: how a client runs an operation it was handed as a plain value. See [`Call::lazy`].
pub struct Exchange<O: Operation> {
    state: Result<Call<O>, Option<O>>,
}

impl<O: Operation> fmt::Debug for Exchange<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.state {
            Ok(call) => call.fmt(f),
            Err(_) => f.debug_struct("Exchange").finish_non_exhaustive(),
        }
    }
}

impl<O: Operation> Call<O> {
    /// A call of `op` built at its first step, from the [`Cx`] the client passes in.
    pub fn lazy(op: O) -> Exchange<O> {
        Exchange {
            state: Err(Some(op)),
        }
    }
}

impl<O: Operation> Workflow for Exchange<O> {
    type Output = O::Output;
    type Item = Infallible;

    fn next(&mut self, cx: &Cx<'_>) -> Next<O::Output> {
        let call = match &mut self.state {
            Ok(call) => call,
            Err(op) => {
                let Some(op) = op.take() else {
                    return Next::Done(Err(over()));
                };
                match Call::new(op, cx.config, cx.entropy) {
                    Ok(call) => self.state.insert_ok(call),
                    Err(error) => return Next::Done(Err(error)),
                }
            }
        };
        call.next(cx)
    }

    fn handle(&mut self, event: Event<'_>, cx: &Cx<'_>) {
        if let Ok(call) = &mut self.state {
            call.handle(event, cx);
        }
    }
}

/// Stores a value in the `Ok` side of a `Result` and hands back a reference to it.
trait InsertOk<T> {
    fn insert_ok(&mut self, value: T) -> &mut T;
}

impl<T, E> InsertOk<T> for Result<T, E> {
    fn insert_ok(&mut self, value: T) -> &mut T {
        *self = Ok(value);
        match self {
            Ok(value) => value,
            // Just stored.
            Err(_) => unreachable!("an Ok was just stored"),
        }
    }
}
