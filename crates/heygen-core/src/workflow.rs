//! The one vocabulary every workflow speaks: a client asks a [`Workflow`] what to do [`Next`]
//! (send a request, sleep, inspect a file, hand out an item, or stop with a value), does it, and
//! reports what happened as an [`Event`].
//!
//! One exchange with its retries ([`crate::Call`]), a wait ([`crate::Wait`]), a walk over every
//! page ([`crate::Walk`]) and the upload flows ([`crate::upload`]) are all workflows, and they
//! compose: a wait runs a call per status check, a direct upload runs three calls in a row. A
//! client is one loop:
//!
//! ```text
//! let started = monotonic_now();
//! loop {
//!     let cx = Cx::new(&config, started.elapsed(), random_16_bytes());
//!     match workflow.next(&cx) {
//!         Next::Send(outgoing) => {                    // stream the body plan, read the response
//!             let event = exchange(outgoing);
//!             workflow.handle(event, &Cx::new(&config, started.elapsed(), random_16_bytes()));
//!         }
//!         Next::Sleep(delay) => sleep(delay),
//!         Next::Inspect(path) => workflow.handle(Event::Inspected(read_size_and_head(path)), &cx),
//!         Next::Receive(receive) => {                  // a 2xx body goes to the caller's sink
//!             let event = exchange_into(receive, sink);
//!             workflow.handle(event, &Cx::new(&config, started.elapsed(), random_16_bytes()));
//!         }
//!         Next::Yield(item) => return Some(item),      // list walks only
//!         Next::Done(result) => return result,
//!     }
//! }
//! ```
//!
//! Time (`now`) and randomness (`entropy`) come in through [`Cx`]; the core reads no clock and
//! draws no random number.

use core::convert::Infallible;
use core::time::Duration;
use std::io;
use std::path::PathBuf;

use bytes::Bytes;
use http::{Request, Response};

use crate::body::{Body, FileHead, Sent};
use crate::config::Config;
use crate::download::{Receive, Received};
use crate::error::Error;
use crate::transport::{SendOptions, TransportError};

/// What a client passes a workflow at each step: the configuration, the time and fresh
/// randomness.
#[derive(Debug, Clone, Copy)]
pub struct Cx<'a> {
    /// The client's configuration (base URL, credentials, policies, limits).
    pub config: &'a Config,
    /// Monotonic time since the workflow started.
    pub now: Duration,
    /// 16 fresh random bytes (idempotency keys, multipart boundaries, retry jitter).
    pub entropy: [u8; 16],
    /// Where the wall-clock time comes from: see [`Cx::unix_time`].
    wall: WallClock,
}

/// The wall-clock source of a [`Cx`]: none, a fixed time (tests, replays), or the client's
/// clock, read only when a step asks (most steps never do).
#[derive(Debug, Clone, Copy)]
enum WallClock {
    None,
    Fixed(Duration),
    Read(fn() -> Duration),
}

impl<'a> Cx<'a> {
    /// The context of one step.
    pub fn new(config: &'a Config, now: Duration, entropy: [u8; 16]) -> Self {
        Self {
            config,
            now,
            entropy,
            wall: WallClock::None,
        }
    }

    /// This context with the wall-clock time (a Unix time, since the epoch).
    #[must_use]
    pub fn at_unix_time(mut self, unix_time: Duration) -> Self {
        self.wall = WallClock::Fixed(unix_time);
        self
    }

    /// This context with the client's wall clock (a Unix time, since the epoch), read only
    /// when a step asks for [`Cx::unix_time`].
    #[must_use]
    pub fn with_wall_clock(mut self, clock: fn() -> Duration) -> Self {
        self.wall = WallClock::Read(clock);
        self
    }

    /// The wall-clock time as a Unix time (since the epoch), when the client gives one: OAuth
    /// expiries are compared with it ([`crate::oauth`]). Without it a token is refreshed only
    /// after a 401.
    pub fn unix_time(&self) -> Option<Duration> {
        match self.wall {
            WallClock::None => None,
            WallClock::Fixed(time) => Some(time),
            WallClock::Read(clock) => Some(clock()),
        }
    }

    /// A uniform value in `[0, 1)` drawn from the entropy, for retry jitter.
    pub fn jitter(&self) -> f64 {
        let mut bytes = [0u8; 4];
        bytes.copy_from_slice(&self.entropy[12..]);
        // 32 random bits, exactly representable, scaled below 1.
        f64::from(u32::from_le_bytes(bytes)) / 4_294_967_296.0
    }
}

/// One request to send: the head and body plan, and the limits of this attempt.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Outgoing {
    /// Method, URL, headers, and the body: bytes, or a plan to stream a file or reader.
    pub request: Request<Body>,
    /// Timeouts and the response read limit of this attempt.
    pub options: SendOptions,
}

/// What the client does next.
#[derive(Debug)]
#[must_use]
#[allow(
    clippy::large_enum_variant,
    reason = "moved once per step; boxing the request would allocate on every attempt"
)]
pub enum Next<T, I = Infallible> {
    /// Send this request, then report the response or the failure with [`Workflow::handle`].
    Send(Outgoing),
    /// Sleep this long, then ask again.
    Sleep(Duration),
    /// Read the size and the first [`crate::upload::SNIFF_BYTES`] bytes of this local file and
    /// report them as [`Event::Inspected`].
    Inspect(PathBuf),
    /// Hand this item to the caller (list walks), then ask again when the caller wants more.
    Yield(I),
    /// Send this request and stream a 2xx body into the caller's sink through the tap
    /// [`Receive::tap`] gives for the response head, then report [`Event::Received`]; a head
    /// that gets no tap (any other status) is read like [`Next::Send`]'s and reported as
    /// [`Event::Response`] (downloads).
    Receive(Receive),
    /// The workflow is over with this value or error.
    Done(Result<T, Error>),
}

/// What happened to the last [`Next::Send`] or [`Next::Inspect`].
#[derive(Debug)]
#[non_exhaustive]
pub enum Event<'a> {
    /// A response of any status: its raw body, at most the read limit, not decompressed; and
    /// what the client streamed, for a streamed body.
    Response {
        /// Status, headers and the raw body.
        response: Response<&'a [u8]>,
        /// The source's bytes sent, for a [`Body::Stream`].
        sent: Option<Sent>,
    },
    /// No response came back.
    Failed(TransportError),
    /// The attempt failed in another way: the body's file could not be read or changed size,
    /// or the response went over a limit while it was read.
    Error(Error),
    /// The body's reader was used by an earlier attempt and cannot be sent again: the call ends
    /// with that attempt's error.
    ReaderConsumed,
    /// The size and first bytes of the file of [`Next::Inspect`], or why it could not be read.
    Inspected(io::Result<FileHead>),
    /// The body of [`Next::Receive`] was streamed into the sink: the response head, and what
    /// the tap counted, or why the body or the sink failed part way ([`Receive`]'s helpers
    /// make those errors).
    Received {
        /// Status and headers of the response whose body was streamed.
        head: Response<()>,
        /// Bytes written and the content type, or the failure.
        outcome: Result<Received, Error>,
    },
}

/// A multi-request job the core decides and any client runs: see the [module docs](self).
///
/// `Item` is what the workflow hands out one at a time ([`Next::Yield`]); it is
/// [`Infallible`] for every workflow but list walks.
pub trait Workflow {
    /// The value the workflow ends with.
    type Output;
    /// The items it hands out on the way ([`Infallible`] for all but list walks).
    type Item;

    /// What to do next. After [`Next::Done`] the workflow is over; asking again gives an error.
    fn next(&mut self, cx: &Cx<'_>) -> Next<Self::Output, Self::Item>;

    /// Reports what happened to the last [`Next::Send`] or [`Next::Inspect`].
    fn handle(&mut self, event: Event<'_>, cx: &Cx<'_>);

    /// Reports how a client's attempt at the last [`Next::Send`] ended: the response (with what
    /// was streamed, if anything) or the event that ended it early.
    fn handle_exchange(
        &mut self,
        outcome: Result<(Response<Bytes>, Option<Sent>), Event<'static>>,
        cx: &Cx<'_>,
    ) {
        match outcome {
            Ok((response, sent)) => {
                let (parts, body) = response.into_parts();
                let response = Response::from_parts(parts, &body[..]);
                self.handle(Event::Response { response, sent }, cx);
            }
            Err(event) => self.handle(event, cx),
        }
    }
}

impl<W: Workflow + ?Sized> Workflow for Box<W> {
    type Output = W::Output;
    type Item = W::Item;

    fn next(&mut self, cx: &Cx<'_>) -> Next<Self::Output, Self::Item> {
        (**self).next(cx)
    }

    fn handle(&mut self, event: Event<'_>, cx: &Cx<'_>) {
        (**self).handle(event, cx);
    }
}

/// A workflow driven through a mutable reference, so the caller keeps it (to read a
/// [`crate::Call`]'s attempts afterwards, for example).
impl<W: Workflow + ?Sized> Workflow for &mut W {
    type Output = W::Output;
    type Item = W::Item;

    fn next(&mut self, cx: &Cx<'_>) -> Next<Self::Output, Self::Item> {
        (**self).next(cx)
    }

    fn handle(&mut self, event: Event<'_>, cx: &Cx<'_>) {
        (**self).handle(event, cx);
    }
}

/// The error of a workflow asked for more after it was over.
pub(crate) fn over() -> Error {
    Error::invalid_request(None, "the workflow is already over")
}

/// Asks a child workflow what to do next: `Ok` with the effect the parent passes on, or `Err`
/// with the child's result once it is done.
pub(crate) fn delegate<W, T, I>(
    child: &mut W,
    cx: &Cx<'_>,
) -> Result<Next<T, I>, Result<W::Output, Error>>
where
    W: Workflow<Item = Infallible> + ?Sized,
{
    match child.next(cx) {
        Next::Send(outgoing) => Ok(Next::Send(outgoing)),
        Next::Sleep(delay) => Ok(Next::Sleep(delay)),
        Next::Inspect(path) => Ok(Next::Inspect(path)),
        Next::Receive(receive) => Ok(Next::Receive(receive)),
        Next::Yield(never) => match never {},
        Next::Done(result) => Err(result),
    }
}

/// Runs a workflow against a script of events, for tests and examples: `respond` answers each
/// [`Next::Send`] and [`Next::Inspect`] (it is also shown every other effect, and its answer to
/// those is ignored); sleeps advance the clock. Returns the result and every step taken, as
/// text: `send GET /v3/videos/vid_1`, `sleep 500ms`, `inspect /path`, `yield`.
///
/// Entropy is all zeros and jitter therefore zero; the clock starts at zero.
#[doc(hidden)]
pub fn script<W, F>(
    workflow: W,
    config: &Config,
    respond: F,
) -> (Result<W::Output, Error>, Vec<String>)
where
    W: Workflow,
    F: FnMut(&Next<W::Output, W::Item>, Duration) -> Scripted,
{
    let (result, steps, _) = script_items(workflow, config, respond);
    (result, steps)
}

/// What [`script_items`] returns: the result, the steps as text, and the items yielded.
#[doc(hidden)]
pub type Played<T, I> = (Result<T, Error>, Vec<String>, Vec<I>);

/// As [`script`], also returning the items the workflow yielded, in order.
#[doc(hidden)]
pub fn script_items<W, F>(
    mut workflow: W,
    config: &Config,
    mut respond: F,
) -> Played<W::Output, W::Item>
where
    W: Workflow,
    F: FnMut(&Next<W::Output, W::Item>, Duration) -> Scripted,
{
    let mut now = Duration::ZERO;
    let mut steps = Vec::new();
    let mut items = Vec::new();
    for _ in 0..10_000 {
        let cx = Cx::new(config, now, [0; 16]);
        let next = workflow.next(&cx);
        match &next {
            Next::Send(out) => steps.push(format!(
                "send {} {}",
                out.request.method(),
                out.request.uri().path()
            )),
            Next::Sleep(delay) => steps.push(format!("sleep {}ms", delay.as_millis())),
            Next::Inspect(path) => steps.push(format!("inspect {}", path.display())),
            Next::Receive(receive) => steps.push(format!(
                "receive {} {}",
                receive.outgoing.request.method(),
                receive.outgoing.request.uri().path()
            )),
            Next::Yield(_) => steps.push("yield".to_owned()),
            Next::Done(_) => {}
        }
        let scripted = respond(&next, now);
        match next {
            Next::Done(result) => return (result, steps, items),
            Next::Sleep(delay) => now += delay,
            Next::Yield(item) => items.push(item),
            Next::Receive(receive) => {
                now += scripted.takes;
                let cx = Cx::new(config, now, [0; 16]);
                receive_scripted(&mut workflow, &receive, scripted.event, &cx);
            }
            Next::Send(_) | Next::Inspect(_) => {
                now += scripted.takes;
                let cx = Cx::new(config, now, [0; 16]);
                let event = match scripted.event {
                    ScriptedEvent::Response {
                        status,
                        headers,
                        body,
                        sent,
                    } => {
                        let mut response = Response::builder().status(status);
                        if !headers
                            .iter()
                            .any(|(name, _)| name.eq_ignore_ascii_case("content-type"))
                        {
                            response = response.header("content-type", "application/json");
                        }
                        for (name, value) in &headers {
                            response = response.header(name.as_str(), value.as_str());
                        }
                        let response = response.body(body.as_slice()).unwrap_or_default();
                        workflow.handle(Event::Response { response, sent }, &cx);
                        continue;
                    }
                    ScriptedEvent::Failed(error) => Event::Failed(error),
                    ScriptedEvent::Error(error) => Event::Error(error),
                    ScriptedEvent::Cut { kind, .. } => {
                        Event::Failed(TransportError::new(kind, None))
                    }
                    ScriptedEvent::ReaderConsumed => Event::ReaderConsumed,
                    ScriptedEvent::Inspected(head) => Event::Inspected(head),
                };
                workflow.handle(event, &cx);
            }
        }
    }
    (Err(over()), steps, items)
}

/// Answers a [`Next::Receive`] in [`script_items`] as a client does: a head with a tap streams
/// the body through it ([`Event::Received`]); any other is an [`Event::Response`].
fn receive_scripted<W: Workflow>(
    workflow: &mut W,
    receive: &Receive,
    event: ScriptedEvent,
    cx: &Cx<'_>,
) {
    let head_of = |status: u16, headers: &[(String, String)]| {
        let mut head = Response::builder().status(status);
        for (name, value) in headers {
            head = head.header(name.as_str(), value.as_str());
        }
        head.body(()).unwrap_or_default()
    };
    match event {
        ScriptedEvent::Response {
            status,
            headers,
            body,
            sent,
        } => {
            let head = head_of(status, &headers);
            if let Some(mut tap) = receive.tap(&head) {
                // As a client does: chunk by chunk into the sink, then the end.
                let outcome = body
                    .chunks(64 * 1024)
                    .try_for_each(|chunk| tap.chunk(chunk))
                    .and_then(|()| tap.finish());
                workflow.handle(Event::Received { head, outcome }, cx);
            } else {
                let (parts, ()) = head.into_parts();
                let response = Response::from_parts(parts, body.as_slice());
                workflow.handle(Event::Response { response, sent }, cx);
            }
        }
        ScriptedEvent::Failed(error) => workflow.handle(Event::Failed(error), cx),
        ScriptedEvent::Error(error) => workflow.handle(Event::Error(error), cx),
        ScriptedEvent::Cut {
            status,
            headers,
            body,
            kind,
        } => {
            let head = head_of(status, &headers);
            let outcome = match receive.tap(&head) {
                Some(mut tap) => match tap.chunk(&body) {
                    Ok(()) => Err(tap.interrupted(&TransportError::new(kind, None))),
                    Err(error) => Err(error),
                },
                None => Err(Error::transport(kind, None)),
            };
            workflow.handle(Event::Received { head, outcome }, cx);
        }
        ScriptedEvent::ReaderConsumed | ScriptedEvent::Inspected(_) => {
            workflow.handle(Event::Error(over()), cx);
        }
    }
}

/// One scripted answer of [`script`].
#[doc(hidden)]
#[derive(Debug)]
pub struct Scripted {
    /// What happened.
    pub event: ScriptedEvent,
    /// How long it took.
    pub takes: Duration,
}

/// What a scripted answer says happened.
#[doc(hidden)]
#[derive(Debug)]
pub enum ScriptedEvent {
    /// A response with this status, these headers (`content-type: application/json` unless
    /// they name another) and body, and what was streamed.
    Response {
        /// The status.
        status: u16,
        /// Headers besides the content type.
        headers: Vec<(String, String)>,
        /// The raw body.
        body: Vec<u8>,
        /// What the client streamed.
        sent: Option<Sent>,
    },
    /// No response.
    Failed(TransportError),
    /// The attempt failed in another way ([`Event::Error`]).
    Error(Error),
    /// The body's reader was already used ([`Event::ReaderConsumed`]).
    ReaderConsumed,
    /// A file inspection result.
    Inspected(io::Result<FileHead>),
    /// A response whose body is cut after `body` (a [`Next::Receive`] download): the
    /// connection failed with `kind`.
    Cut {
        /// The status.
        status: u16,
        /// The headers.
        headers: Vec<(String, String)>,
        /// The bytes that arrived before the cut.
        body: Vec<u8>,
        /// How the connection failed.
        kind: crate::TransportErrorKind,
    },
}

/// Scripted headers as the owned pairs a [`ScriptedEvent`] holds.
fn owned_headers(headers: &[(&str, &str)]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}

impl Scripted {
    fn now(event: ScriptedEvent) -> Self {
        Self {
            event,
            takes: Duration::ZERO,
        }
    }

    /// A JSON response that arrives at once.
    pub fn json(status: u16, body: &str) -> Self {
        Self::now(ScriptedEvent::Response {
            status,
            headers: Vec::new(),
            body: body.as_bytes().to_vec(),
            sent: None,
        })
    }

    /// A response with this status, these headers (no content type unless given) and a
    /// binary body: what a file origin sends to a [`Next::Receive`].
    pub fn file_body(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Self {
        Self::now(ScriptedEvent::Response {
            status,
            headers: owned_headers(headers),
            body: body.to_vec(),
            sent: None,
        })
    }

    /// A response whose connection fails with `kind` after `body` arrived.
    pub fn cut(
        status: u16,
        headers: &[(&str, &str)],
        body: &[u8],
        kind: crate::TransportErrorKind,
    ) -> Self {
        Self::now(ScriptedEvent::Cut {
            status,
            headers: owned_headers(headers),
            body: body.to_vec(),
            kind,
        })
    }

    /// A failure without a response.
    pub fn failed(kind: crate::TransportErrorKind) -> Self {
        Self::now(ScriptedEvent::Failed(TransportError::new(kind, None)))
    }

    /// A failure without a response, with its cause.
    pub fn failed_with(error: TransportError) -> Self {
        Self::now(ScriptedEvent::Failed(error))
    }

    /// The attempt failed in another way (a file that changed size, a body over the limit).
    pub fn error(error: Error) -> Self {
        Self::now(ScriptedEvent::Error(error))
    }

    /// The body's reader was used by an earlier attempt.
    pub fn reader_consumed() -> Self {
        Self::now(ScriptedEvent::ReaderConsumed)
    }

    /// A file of `size` bytes starting with `head`.
    pub fn file(size: u64, head: &[u8]) -> Self {
        Self::now(ScriptedEvent::Inspected(Ok(FileHead::new(
            size,
            head.to_vec(),
        ))))
    }

    /// A file that could not be inspected.
    pub fn unreadable(error: io::Error) -> Self {
        Self::now(ScriptedEvent::Inspected(Err(error)))
    }

    /// A response header (`Retry-After`, `X-Request-Id`, …).
    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let ScriptedEvent::Response { headers, .. } = &mut self.event {
            headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }

    /// What was streamed, reported with the response.
    #[must_use]
    pub fn sent(mut self, sent: Sent) -> Self {
        if let ScriptedEvent::Response { sent: slot, .. } = &mut self.event {
            *slot = Some(sent);
        }
        self
    }

    /// The answer takes this long.
    #[must_use]
    pub fn taking(mut self, takes: Duration) -> Self {
        self.takes = takes;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_is_in_the_unit_interval() {
        let config = Config::builder().api_key("k").build().unwrap();
        assert!(Cx::new(&config, Duration::ZERO, [0; 16]).jitter().abs() < f64::EPSILON);
        let high = Cx::new(&config, Duration::ZERO, [0xff; 16]).jitter();
        assert!((0.0..1.0).contains(&high) && high > 0.99);
    }
}
