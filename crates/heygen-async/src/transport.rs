//! The [`Transport`] trait: how one HTTP exchange is performed.
//!
//! The client hands a transport a finished request (head plus a [`RequestBody`]) and the
//! [`SendOptions`] of the call, and gets back the status, headers and raw (not decompressed)
//! body bytes of **any** response, or a [`TransportError`] saying why no response came back.
//! Everything else (timeouts over the whole exchange, retries, redirects, parsing) happens in
//! the client and in `heygen-core`.

use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::time::Duration;
use std::io;

use async_trait::async_trait;
use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use futures_util::StreamExt as _;
use heygen_core::{BoxError, TransportErrorKind};
use http::{Request, Response};

/// A stream of body chunks; an `Err` aborts the request.
pub type BodyStream = Pin<Box<dyn Stream<Item = io::Result<Bytes>> + Send + 'static>>;

/// The body of a request handed to a [`Transport`].
pub enum RequestBody {
    /// The whole body in memory (JSON, or empty).
    Bytes(Bytes),
    /// A streamed body of exactly `length` bytes (multipart upload, direct-upload `PUT`); the
    /// request's `Content-Length` already says `length`.
    Stream {
        /// The bytes, polled once.
        stream: BodyStream,
        /// Exact length in bytes.
        length: u64,
    },
}

impl fmt::Debug for RequestBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bytes(b) => write!(f, "Bytes(<{} bytes>)", b.len()),
            Self::Stream { length, .. } => write!(f, "Stream(<{length} bytes>)"),
        }
    }
}

impl RequestBody {
    /// Reads the whole body into memory (what a simple or mock transport does; streamed
    /// uploads are buffered then).
    ///
    /// # Errors
    /// The stream's I/O error, or [`io::ErrorKind::InvalidData`] when a stream does not yield
    /// exactly its declared length.
    pub async fn into_bytes(self) -> io::Result<Bytes> {
        match self {
            Self::Bytes(b) => Ok(b),
            Self::Stream { mut stream, length } => {
                let mut out = BytesMut::new();
                while let Some(chunk) = stream.next().await {
                    out.extend_from_slice(&chunk?);
                }
                if out.len() as u64 == length {
                    Ok(out.freeze())
                } else {
                    Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "streamed body length differs from the declared length",
                    ))
                }
            }
        }
    }
}

/// Limits for one exchange, from the core's [`heygen_core::Call`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SendOptions {
    /// Whole-exchange timeout (connect, send, receive), wall-clock. The client also enforces
    /// it around [`Transport::send`].
    pub timeout: Duration,
    /// Connect timeout (TLS included), wall-clock.
    pub connect_timeout: Duration,
    /// Read at most this many bytes of the response body (the configured maximum plus one, so
    /// the core can tell an over-limit body); stop reading there.
    pub read_limit: u64,
}

impl SendOptions {
    /// Options with these timeouts and read limit.
    pub fn new(timeout: Duration, connect_timeout: Duration, read_limit: u64) -> Self {
        Self {
            timeout,
            connect_timeout,
            read_limit,
        }
    }
}

/// A failure with no usable response, mapped onto the core's [`TransportErrorKind`].
///
/// The source is opaque (no hyper type is public) and never carries credentials.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    source: Option<BoxError>,
}

impl TransportError {
    /// A failure of this kind with an optional cause.
    pub fn new(kind: TransportErrorKind, source: Option<BoxError>) -> Self {
        Self { kind, source }
    }

    /// A failure of this kind with a message as its cause.
    pub fn msg(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        Self::new(kind, Some(message.into().into()))
    }

    /// What happened.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Splits into kind and cause.
    pub fn into_parts(self) -> (TransportErrorKind, Option<BoxError>) {
        (self.kind, self.source)
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.as_str())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

/// One HTTP exchange: send `request`, return status, headers and at most
/// [`SendOptions::read_limit`] bytes of body, for **every** status.
///
/// Rules every implementation follows: never follow redirects (return the 3xx as it is), never
/// decompress, add no credentials, apply the connect timeout, and stop reading the body at the
/// limit. Failures without a response are a [`TransportError`] whose
/// [`TransportErrorKind`] lets the core's retry decision act.
///
/// The trait is object safe; the client holds an `Arc<dyn Transport>`. Async closures
/// `Fn(http::Request<Bytes>) -> impl Future<Output = Result<http::Response<Bytes>,
/// TransportError>>` implement it (streamed bodies are read into memory first), which is how
/// tests mock the API and how another HTTP client can be plugged in.
#[async_trait]
pub trait Transport: Send + Sync + 'static {
    /// Sends one request.
    ///
    /// # Errors
    /// A [`TransportError`] when no response head was received or the body could not be read.
    async fn send(
        &self,
        request: Request<RequestBody>,
        options: &SendOptions,
    ) -> Result<Response<Bytes>, TransportError>;
}

#[async_trait]
impl<F, Fut> Transport for F
where
    F: Fn(Request<Bytes>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Response<Bytes>, TransportError>> + Send + 'static,
{
    async fn send(
        &self,
        request: Request<RequestBody>,
        options: &SendOptions,
    ) -> Result<Response<Bytes>, TransportError> {
        let (parts, body) = request.into_parts();
        let body = body
            .into_bytes()
            .await
            .map_err(|e| TransportError::new(TransportErrorKind::Body, Some(Box::new(e))))?;
        let response = self(Request::from_parts(parts, body)).await?;
        let (parts, body) = response.into_parts();
        let limit = usize::try_from(options.read_limit).unwrap_or(usize::MAX);
        let body = if body.len() > limit {
            body.slice(..limit)
        } else {
            body
        };
        Ok(Response::from_parts(parts, body))
    }
}
