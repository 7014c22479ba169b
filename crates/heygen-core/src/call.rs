//! [`Call`]: one logical call, driven by a transport attempt after attempt.

use core::fmt;
use core::time::Duration;

use bytes::Bytes;
use http::header::HeaderValue;
use http::{HeaderName, Request, Response};

use crate::config::{Config, RetryPolicy};
use crate::error::{BoxError, Error, TransportErrorKind};
use crate::operation::{IDEMPOTENCY_KEY_HEADER, Operation, idempotency_key_from_entropy};
use crate::response::ResponseLimits;
use crate::retry::{Decision, RequestFacts, decide};

/// What the transport does next.
#[derive(Debug)]
pub enum Step<T> {
    /// The call is over: the output or the final error.
    Done(Result<T, Error>),
    /// Sleep this long, then send [`Call::request`] again.
    RetryAfter(Duration),
}

/// One logical call: the request built once (with its idempotency key), and the retry state.
///
/// The protocol, the same for every transport:
///
/// ```text
/// let mut call = Call::new(op, &config, random_16_bytes)?;   // once per logical call
/// let started = monotonic_now();
/// loop {
///     let request = call.request().clone();                   // same bytes, same key
///     let step = match send(request, call.timeout(), call.limits().read_limit()) {
///         Ok(response) => call.on_response(response.as_ref(), started.elapsed(), jitter()),
///         Err(e) => call.on_transport_error(kind_of(&e), Some(e.into()), started.elapsed(), jitter()),
///     };
///     match step {
///         Step::Done(result) => return result,
///         Step::RetryAfter(delay) => sleep(delay),
///     }
/// }
/// ```
///
/// `now` is the monotonic time elapsed since the call started and `jitter` a uniform value in
/// `[0, 1)`; the core reads no clock and draws no random numbers.
pub struct Call<O: Operation> {
    op: O,
    request: Request<Bytes>,
    idempotency_key: Option<String>,
    facts: RequestFacts,
    attempts: u32,
    policy: RetryPolicy,
    limits: ResponseLimits,
    timeout: Duration,
    connect_timeout: Duration,
    last_error: Option<Error>,
}

impl<O: Operation> fmt::Debug for Call<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("method", self.request.method())
            .field("path", &self.op.path_template())
            .field("idempotent", &self.facts.idempotent)
            .field("attempts", &self.attempts)
            .field("body_bytes", &self.request.body().len())
            .finish_non_exhaustive()
    }
}

impl<O: Operation> Call<O> {
    /// Builds the request once. For `POST`, `PATCH` and `DELETE` without a caller-chosen key,
    /// an `Idempotency-Key` is made from `entropy` (16 random bytes from the transport) and
    /// reused on every attempt.
    ///
    /// # Errors
    /// The operation's validation errors; nothing must be sent then.
    pub fn new(op: O, config: &Config, entropy: [u8; 16]) -> Result<Self, Error> {
        let method = op.method();
        let path = op.path_template();
        let mut request = op
            .build(config)
            .map_err(|e| e.with_operation(&method, path))?;
        let header = HeaderName::from_static(IDEMPOTENCY_KEY_HEADER);
        let idempotency_key = match request.headers().get(&header) {
            // The caller's key, already validated by `build`.
            Some(value) => value.to_str().ok().map(str::to_owned),
            None if op.accepts_idempotency_key() && op.sends_credentials() => {
                let key = idempotency_key_from_entropy(&entropy);
                HeaderValue::from_str(&key).ok().map(|value| {
                    request.headers_mut().insert(header, value);
                    key
                })
            }
            None => None,
        };
        let idempotent = op.is_idempotent() || idempotency_key.is_some();
        let facts = RequestFacts::new(method, idempotent).retry_conflict(op.retries_conflict());
        Ok(Self {
            timeout: config.timeout(op.timeout_class()),
            connect_timeout: config.connect_timeout(),
            op,
            request,
            idempotency_key,
            facts,
            attempts: 0,
            policy: *config.retry_policy(),
            limits: ResponseLimits::from_config(config),
            last_error: None,
        })
    }

    /// The request to send; clone it for each attempt. For a streamed operation its body is
    /// empty and its `Content-Length` is the full streamed length.
    pub fn request(&self) -> &Request<Bytes> {
        &self.request
    }

    /// The operation.
    pub fn operation(&self) -> &O {
        &self.op
    }

    /// The idempotency key sent with every attempt, if any.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.idempotency_key.as_deref()
    }

    /// Whether repeating the request is safe.
    pub fn is_idempotent(&self) -> bool {
        self.facts.idempotent
    }

    /// The whole-request timeout for each attempt.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The connect timeout for each attempt.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// The body size limits; read at most [`ResponseLimits::read_limit`] raw bytes.
    pub fn limits(&self) -> ResponseLimits {
        self.limits
    }

    /// The largest accepted body, in bytes.
    pub fn max_response_bytes(&self) -> usize {
        self.limits.max_body_bytes
    }

    /// Attempts reported so far.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Declares whether a streamed body can be sent again (the transport can re-open its
    /// source). When it cannot, only failures where nothing was sent are retried. Bodies carried
    /// in the request are always replayable.
    pub fn set_body_replayable(&mut self, replayable: bool) {
        self.facts.body_replayable = replayable || !self.op.streams_body();
    }

    /// Hands over a response (status, headers and the raw body read so far, at most
    /// [`ResponseLimits::read_limit`] bytes, not decompressed).
    pub fn on_response(
        &mut self,
        mut response: Response<&[u8]>,
        now: Duration,
        jitter: f64,
    ) -> Step<O::Output> {
        self.attempts = self.attempts.saturating_add(1);
        // `parse` reads the defaults when no limits are attached; attaching them costs a map
        // allocated per response, so the defaults are attached only over other limits a
        // transport left there.
        if self.limits != ResponseLimits::default()
            || response.extensions().get::<ResponseLimits>().is_some()
        {
            response.extensions_mut().insert(self.limits);
        }
        match self.op.parse(response) {
            Ok(output) => Step::Done(Ok(output)),
            Err(error) => self.after_error(error, now, jitter),
        }
    }

    /// Reports that no response came back.
    pub fn on_transport_error(
        &mut self,
        kind: TransportErrorKind,
        source: Option<BoxError>,
        now: Duration,
        jitter: f64,
    ) -> Step<O::Output> {
        self.attempts = self.attempts.saturating_add(1);
        self.after_error(Error::transport(kind, source), now, jitter)
    }

    /// Reports any other failure of an attempt (for example a body that went over the limit
    /// while being read).
    pub fn on_error(&mut self, error: Error, now: Duration, jitter: f64) -> Step<O::Output> {
        self.attempts = self.attempts.saturating_add(1);
        self.after_error(error, now, jitter)
    }

    /// Takes the error of the last failed attempt after a [`Step::RetryAfter`], for a transport
    /// that cannot or will not retry (for example a streamed body it cannot re-open).
    pub fn take_last_error(&mut self) -> Option<Error> {
        self.last_error.take()
    }

    fn after_error(&mut self, error: Error, now: Duration, jitter: f64) -> Step<O::Output> {
        let error = error.with_operation(&self.facts.method, self.op.path_template());
        match decide(
            self.attempts,
            &self.facts,
            &error,
            now,
            jitter,
            &self.policy,
        ) {
            Decision::Stop => {
                self.last_error = None;
                Step::Done(Err(error))
            }
            Decision::RetryAfter(delay) => {
                self.last_error = Some(error);
                Step::RetryAfter(delay)
            }
        }
    }
}
