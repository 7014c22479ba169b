//! The sans-IO core of the HeyGen v3 SDK.
//!
//! This crate builds `http::Request<Bytes>` values, reads `http::Response<&[u8]>` values, and
//! decides what happens next (retry, poll again, fetch the next page). It never opens a socket,
//! touches a file, spawns a thread, reads a clock or draws a random number: the transports
//! (`heygen-blocking`, `heygen-async`) do the IO and pass time and randomness in as arguments.
//!
//! # The pieces
//! - [`Config`] (built with [`Config::builder`]): base URL, credentials, user agent, timeouts,
//!   body size limit, [`RetryPolicy`], [`PollPolicy`].
//! - [`Error`]: the one error type of the SDK, with [`Error::status`], [`Error::api_code`],
//!   [`Error::request_id`], [`Error::is_retryable`], [`Error::is_timeout`] and
//!   [`Error::class`].
//! - [`Operation`]: one per endpoint (see [`ops`]); `build` validates and builds the request,
//!   `parse` reads any response.
//! - [`Call`] and [`Step`]: the exchange driver both transports run; the only place retries are
//!   decided (through [`retry::decide`]).
//! - [`Paginator`] and [`Poller`]: the list and wait state machines.
//! - [`SendOptions`] and [`TransportError`]: what a transport gets for one exchange and
//!   returns when no response came back (both transports re-export them).
//! - [`upload`]: multipart framing for `POST /v3/assets`, the direct-upload `PUT`, a streaming
//!   SHA-256 and media type sniffing.
//!
//! # Transport protocol
//! For each logical call (one user method call, one page, one poll check):
//!
//! 1. `let mut call = Call::new(op, &config, entropy)?` with 16 fresh random bytes. The request is
//!    built and validated once; `POST`/`PATCH`/`DELETE` get an `Idempotency-Key` made from the
//!    entropy, reused on every attempt. An error here means nothing may be sent.
//! 2. Send `call.request().clone()` with `call.connect_timeout()` and `call.timeout()`. Do not
//!    follow redirects. Do not decompress. Read status, headers and body for **every** status,
//!    reading at most `call.limits().read_limit()` bytes of body.
//! 3. Pass the response to `call.on_response(response, now, jitter)`, or a failure without a
//!    response to `call.on_transport_error(kind, source, now, jitter)`; `now` is the monotonic
//!    time since step 1 and `jitter` a uniform random `f64` in `[0, 1)`.
//! 4. [`Step::Done`] ends the call; [`Step::RetryAfter`] means sleep, then go to step 2 with the
//!    same request.
//!
//! ```
//! use std::time::Duration;
//! use heygen_core::{Call, Config, Step, ops::GetVideo};
//! use heygen_model::VideoId;
//!
//! let config = Config::builder().api_key("hg_example").build()?;
//! let op = GetVideo::new(VideoId::new("vid_0001")?);
//! let mut call = Call::new(op, &config, [0; 16])?;
//! assert_eq!(call.request().uri(), "https://api.heygen.com/v3/videos/vid_0001");
//!
//! // A pretend transport: first a 503, then the video.
//! let answers: [(u16, &[u8]); 2] = [
//!     (503, b"<html>busy</html>"),
//!     (200, br#"{"data":{"id":"vid_0001","status":"processing"}}"#),
//! ];
//! let mut elapsed = Duration::ZERO;
//! for (status, body) in answers {
//!     let response = http::Response::builder().status(status).body(body)?;
//!     match call.on_response(response, elapsed, 0.5) {
//!         Step::Done(result) => {
//!             assert_eq!(result?.status.map(|s| s.as_str().to_owned()).as_deref(), Some("processing"));
//!             break;
//!         }
//!         Step::RetryAfter(delay) => elapsed += delay, // a transport sleeps here
//!     }
//! }
//! assert_eq!(call.attempts(), 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Streamed uploads ([`Operation::streams_body`]) send `call.request()`'s head with the body
//! framed by [`upload::MultipartFraming`]; call [`Call::set_body_replayable`] with `false` when
//! the source cannot be re-opened.

pub mod call;
pub mod config;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod operation;
pub mod ops;
pub mod paginate;
pub mod poll;
pub mod redact;
pub mod response;
pub mod retry;
pub mod transport;
pub mod upload;

pub use call::{Call, Step};
pub use config::{
    AccessToken, ApiKey, Config, ConfigBuilder, Credentials, PollPolicy, RetryPolicy, TimeoutClass,
    Timeouts,
};
pub use error::{BoxError, Error, ErrorClass, TransportErrorKind};
pub use operation::Operation;
pub use paginate::{PageCursor, Paginate, Paginator};
pub use poll::{Observation, Poll, Pollable, Poller, WaitGoal};
pub use response::ResponseLimits;
pub use retry::{Decision, RequestFacts};
pub use transport::{SendOptions, TransportError};
