//! A blocking HeyGen v3 client on ureq 3.
//!
//! Built on `heygen-core`, which builds every request, reads every response and decides
//! retries, pagination and polling; this crate sends bytes, sleeps and loops. TLS is rustls with
//! the `ring` provider and the bundled webpki roots (feature `native-roots`: the platform's
//! verifier).
//!
//! ```no_run
//! use heygen_blocking::Client;
//! use heygen_blocking::model::{CreateAvatarVideo, LookId};
//!
//! # fn main() -> Result<(), heygen_blocking::Error> {
//! let client = Client::from_env()?; // HEYGEN_API_KEY, optional HEYGEN_API_BASE
//! let me = client.users().me()?;
//! let look = LookId::new("look_0001")?;
//! let created = client.videos().create(CreateAvatarVideo::new(look).script("Hello"))?;
//! let video = client.wait_for_video(&created.video_id)?;
//! # let _ = (me, video);
//! # Ok(()) }
//! ```
//!
//! # What the client guarantees
//! - Status, headers and body are read for every status; the body is read only up to the
//!   configured limit. Redirects are never followed (a 3xx is an error naming the location),
//!   so the API key never reaches another origin.
//! - One idempotency key per logical call, made before the first attempt and reused on every
//!   retry; retries only where the core decides.
//! - Uploads stream from files or readers with bounded memory; a consumed reader is never
//!   replayed (path-based methods re-open the file instead).
//! - Downloads ([`Client::download_video`], [`Client::download_video_to_path`]) stream the
//!   file in 64 KiB chunks into any `Write` or into a temporary file renamed only when complete;
//!   the file request carries no credential, and its `Content-Length` is checked. The
//!   read timeout bounds the wait for the response head and each wait for more bytes, not the
//!   whole transfer.
//! - Other HTTP clients plug in through [`Transport`], which closures implement.
//! - The whole-request timeout is enforced by ureq's deadline and the socket's read and write
//!   timeouts. The time left is handed to the socket rounded up by at most 1 % of it (100 ms at
//!   most; exact under 100 ms), so a kept-alive connection is not re-configured on every call: a
//!   read blocked at the deadline can end that much later.
//!
//! # Uploads
//! - Multipart (`POST /v3/assets`, at most 32 MB): the core frames the body; the transport
//!   streams prefix, file and suffix with the exact `Content-Length`.
//! - Direct upload (any size): the asset is created with the exact size only; the SHA-256 is
//!   computed while the `PUT` streams the file (one pass, constant memory) and sent with
//!   `POST /v3/assets/{asset_id}/complete`, where the API checks it. The `PUT` goes to the
//!   returned URL byte for byte with only the returned headers and no credentials. A failed
//!   `PUT` or complete is [`Error::UploadFailed`] naming the asset.
//! - Inline base64 (small files, [`DEFAULT_INLINE_THRESHOLD`] by default): the file is encoded
//!   straight into the JSON request body, one buffer, no intermediate string.
//! - [`Client::create_avatar_from_file`] picks among the three by size;
//!   [`Client::with_progress`] reports bytes sent.

mod client;
mod handles;
mod transport;

pub use client::{Client, Pages};
pub use handles::{Assets, Avatars, Looks, Users, Videos, Webhooks};
heygen_core::__client_exports!();
pub use transport::{RequestBody, SendOptions, Transport, TransportError, UreqTransport};

/// The request and response types (`heygen-model`).
pub use heygen_core::model;

/// The sans-IO core (`heygen-core`): operations and workflows for [`Client::send`] and
/// [`Client::run`], errors, policies.
pub use heygen_core as core;
