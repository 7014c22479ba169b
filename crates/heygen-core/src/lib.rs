//! The sans-IO core of the HeyGen v3 SDK.
//!
//! This crate builds `http::Request<Body>` values, reads `http::Response<&[u8]>` values, and
//! decides what happens next (retry, poll again, fetch the next page, the next step of an
//! upload). It never opens a socket, touches a file, spawns a thread, reads a clock or draws a
//! random number: the clients (`heygen-blocking`, `heygen-async`) do the IO and pass time and
//! randomness in as arguments.
//!
//! # The pieces
//! - [`Config`] (built with [`Config::builder`]): base URL, credentials, user agent, timeouts,
//!   body size limit, [`RetryPolicy`], [`PollPolicy`], upload options ([`Config::uploads`]).
//! - [`Error`]: the one error type of the SDK, with [`Error::status`], [`Error::api_code`],
//!   [`Error::request_id`], [`Error::is_retryable`], [`Error::is_timeout`] and
//!   [`Error::class`].
//! - [`Operation`]: one per endpoint (see [`ops`]); `build` validates and builds the request
//!   (its body is bytes or a [`Body`] plan to stream a file), `parse` reads any response.
//! - [`Workflow`]: every multi-request job, speaking one vocabulary ([`Next`], [`Event`],
//!   [`Cx`]): [`Call`] (one operation with its retries, decided by [`retry::decide`]),
//!   [`Wait`] (a job until it is done), [`Walk`] (every item of a list), and the upload flows
//!   in [`upload`] ([`upload::UploadFile`], [`upload::WithFile`], …).
//! - [`Paginator`] and [`Poller`]: the decisions of a walk and of a wait, on their own.
//! - [`SendOptions`] and [`TransportError`]: the limits of one exchange and the failure a
//!   client reports when no response came back (both clients re-export them).
//! - [`oauth`]: PKCE, the authorize URL, the token, refresh, revoke and device operations, the
//!   device-flow workflow, and [`OAuthSession`], a refreshing credential for a [`Config`]
//!   ([`ConfigBuilder::oauth`]) that every [`Call`] renews before expiry and after a 401.
//! - [`upload`]: multipart framing for `POST /v3/assets`, the direct-upload `PUT`, a streaming
//!   SHA-256 and media type sniffing.
//!
//! # Driving a workflow
//! A client runs any workflow with one loop (see [`workflow`]):
//!
//! 1. Ask [`Workflow::next`] with a [`Cx`]: the configuration, the monotonic time since the
//!    workflow started, and 16 fresh random bytes (idempotency keys, multipart boundaries,
//!    jitter).
//! 2. [`Next::Send`]: send the [`Outgoing`] request with its [`SendOptions`] (timeouts, read
//!    limit). Do not follow redirects, do not decompress, read status, headers and at most
//!    `read_limit` bytes of body for **every** status, streaming a [`Body::Stream`] plan
//!    through its [`BodyTap`]. Report [`Event::Response`] (with what was [`Sent`]), or
//!    [`Event::Failed`] when no response came back.
//! 3. [`Next::Sleep`]: sleep, then ask again. [`Next::Inspect`]: report the file's size and
//!    first bytes as [`Event::Inspected`]. [`Next::Yield`]: hand the item out (list walks).
//!    [`Next::Receive`] (downloads, [`Download`]): send the request, stream a 2xx body into
//!    the caller's writer through the [`ReceiveTap`] the core gives for the head, and report
//!    [`Event::Received`]; any other status is read and reported like a response.
//! 4. [`Next::Done`] ends the workflow with its value or error.
//!
//! [`Call::new`] builds and validates the request once; `POST`/`PATCH`/`DELETE` get an
//! `Idempotency-Key` (the caller's, or one made from the entropy), reused on every attempt. An
//! error there means nothing may be sent.
//!
//! ```
//! use std::time::Duration;
//! use heygen_core::{Call, Config, Cx, Event, Next, Workflow, ops::GetVideo};
//! use heygen_model::VideoId;
//!
//! let config = Config::builder().api_key("hg_example").build()?;
//! let op = GetVideo::new(VideoId::new("vid_0001")?);
//! let mut call = Call::new(op, &config, [0; 16])?;
//! assert_eq!(call.request().uri(), "https://api.heygen.com/v3/videos/vid_0001");
//!
//! // A pretend client: first a 503, then the video.
//! let mut answers = [
//!     (503, &b"<html>busy</html>"[..]),
//!     (200, &br#"{"data":{"id":"vid_0001","status":"processing"}}"#[..]),
//! ]
//! .into_iter();
//! let mut now = Duration::ZERO;
//! let mut effects = Vec::new();
//! let video = loop {
//!     let cx = Cx::new(&config, now, [0x80; 16]);
//!     match call.next(&cx) {
//!         Next::Send(outgoing) => {
//!             effects.push(format!("send {}", outgoing.request.uri().path()));
//!             let (status, body) = answers.next().expect("two answers");
//!             let response = http::Response::builder().status(status).body(body)?;
//!             call.handle(Event::Response { response, sent: None }, &cx);
//!         }
//!         Next::Sleep(delay) => {
//!             effects.push(format!("sleep {delay:?}"));
//!             now += delay; // a client sleeps here
//!         }
//!         Next::Done(result) => break result?,
//!         _ => unreachable!("a call only sends and sleeps"),
//!     }
//! };
//! assert_eq!(video.status.map(|s| s.as_str().to_owned()).as_deref(), Some("processing"));
//! // The 503 was retried once, after the backoff of the first retry (1 s, jittered).
//! assert_eq!(effects.len(), 3);
//! assert!(effects[1].starts_with("sleep"));
//! assert_eq!(call.attempts(), 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod batch;
pub mod body;
pub mod call;
pub mod config;
pub mod download;
mod endpoints;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod oauth;
pub mod operation;
pub mod ops;
pub mod paginate;
pub mod poll;
pub mod redact;
pub mod response;
pub mod retry;
mod trace;
pub mod transport;
pub mod upload;
pub mod webhook;
pub mod workflow;

pub use body::{Body, BodyTap, FileHead, InlineFile, Sent, Source, StreamBody};
pub use call::{Call, Exchange};
pub use config::{
    AccessToken, ApiKey, Config, ConfigBuilder, Credentials, PollPolicy, RetryPolicy, TimeoutClass,
    Timeouts,
};
pub use download::{Download, DownloadOptions, Downloaded, Receive, ReceiveTap, Received};
pub use error::LoginRequired;
pub use error::{
    BoxError, DownloadFailed, DownloadFailure, Error, ErrorClass, TransportErrorKind,
    TransportFailure,
};
pub use oauth::{OAuthApp, OAuthCredential, OAuthSession};
pub use operation::Operation;
pub use paginate::{PageCursor, Paginate, Paginator, Walk};
pub use poll::{Observation, Pollable, Poller, Wait, WaitGoal, Waited};
pub use response::ResponseLimits;
pub use retry::RequestFacts;
pub use transport::{SendOptions, TransportError};
pub use workflow::{Cx, Event, Next, Outgoing, Workflow};

/// The request and response types (`heygen-model`).
pub use heygen_model as model;
