//! The async `HeyGen` v3 client, on hyper 1, hyper-util, rustls (`ring`) and tokio.
//!
//! ```no_run
//! # async fn demo() -> Result<(), heygen_async::Error> {
//! use heygen_async::Client;
//! use heygen_async::model::ListLooksQuery;
//! use futures_util::StreamExt as _;
//!
//! let client = Client::from_env()?; // HEYGEN_API_KEY, optional HEYGEN_API_BASE
//! let mut looks = client.looks().list_all(ListLooksQuery::new().limit(50));
//! while let Some(look) = looks.next().await {
//!     let look = look?;
//!     let _ = look.id;
//! }
//! # Ok(()) }
//! ```
//!
//! # What it does, and what the core decides
//! Every request is built, validated and parsed by `heygen-core`; this crate sends bytes,
//! sleeps and loops. A [`Client`] holds a [`Config`] and an `Arc<dyn Transport>`, by default a
//! [`HyperTransport`] with a connection pool, HTTP/1.1 and HTTP/2 (ALPN) and rustls with the
//! `ring` provider and the bundled webpki roots (the `native-roots` feature uses the platform's
//! roots instead).
//!
//! - Retries happen only when the core's decision says so; one idempotency key is made per
//!   logical call and sent on every attempt.
//! - Redirects are never followed: a 3xx becomes [`Error::UnexpectedRedirect`] naming the
//!   location, so credentials never reach another origin.
//! - Status, headers and body are read for every status; at most `max_response_bytes + 1` body
//!   bytes are read; the connect timeout and the per-request timeouts come from [`Config`].
//! - Every method runs a `heygen-core` workflow ([`core::workflow`]) in one loop: lists are
//!   streams over every page ([`ItemStream`], [`Client::items`]); waits (`wait_for_avatar`,
//!   `wait_for_consent`, `wait_for_look`, `wait_for_video`) follow a [`PollPolicy`]; any
//!   operation runs through [`Client::send`] and any workflow through [`Client::run`].
//! - Uploads stream files (multipart `POST /v3/assets` up to 32 MB, direct upload for any
//!   size), with an optional progress callback; see [`Assets`].
//! - Downloads ([`Client::download_video`], [`Client::download_video_to_path`]) stream the
//!   file as it arrives into any `AsyncWrite` or into a temporary file renamed only when
//!   complete; the file request carries no credential, and its `Content-Length` is checked.
//!   The read timeout bounds the wait for the response head and each wait for more bytes, not
//!   the whole transfer.
//!
//! Dropping any future mid-request leaves the client usable.

mod client;
mod hyper_transport;
mod resources;
mod transport;

pub use client::{BoxReader, Client, ItemStream};
heygen_core::__client_exports!();
pub use hyper_transport::HyperTransport;
pub use resources::{Assets, Avatars, Looks, Users, Videos, Webhooks};
pub use transport::{BodyStream, RequestBody, SendOptions, Transport, TransportError};

/// The request and response types (`heygen-model`).
pub use heygen_core::model;

/// The sans-IO core (`heygen-core`): operations and workflows for [`Client::send`] and
/// [`Client::run`], errors, policies.
pub use heygen_core as core;
