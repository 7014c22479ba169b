//! The [`Transport`] trait: how one HTTP exchange is performed.
//!
//! The client hands a transport a finished request (head plus a [`RequestBody`]) and the
//! [`SendOptions`] of the call, and gets back the status, headers and raw (not decompressed)
//! body bytes of **any** response, or an [`Error::Transport`] saying why no response came back.
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
use heygen_core::{Error, TransportErrorKind};
use http::{Request, Response};

/// A stream of body chunks; an `Err` aborts the request.
pub type BodyStream = Pin<Box<dyn Stream<Item = io::Result<Bytes>> + Send + 'static>>;

/// The body of a request: bytes in memory, or a stream of known length (uploads).
pub struct RequestBody {
    inner: Inner,
}

enum Inner {
    Full(Bytes),
    Stream { stream: BodyStream, length: u64 },
}

impl fmt::Debug for RequestBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            Inner::Full(bytes) => f
                .debug_struct("RequestBody")
                .field("bytes", &bytes.len())
                .finish(),
            Inner::Stream { length, .. } => f
                .debug_struct("RequestBody")
                .field("streamed_bytes", length)
                .finish(),
        }
    }
}

impl Default for RequestBody {
    fn default() -> Self {
        Self::full(Bytes::new())
    }
}

impl From<Bytes> for RequestBody {
    fn from(bytes: Bytes) -> Self {
        Self::full(bytes)
    }
}

impl RequestBody {
    /// A body held in memory.
    pub fn full(bytes: impl Into<Bytes>) -> Self {
        Self {
            inner: Inner::Full(bytes.into()),
        }
    }

    /// A streamed body of exactly `length` bytes. The transport sends `Content-Length: length`;
    /// a stream that yields more or fewer bytes fails the request.
    pub fn streamed(stream: BodyStream, length: u64) -> Self {
        Self {
            inner: Inner::Stream { stream, length },
        }
    }

    /// The body length, in bytes.
    pub fn len(&self) -> u64 {
        match &self.inner {
            Inner::Full(bytes) => bytes.len() as u64,
            Inner::Stream { length, .. } => *length,
        }
    }

    /// Whether the body has no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the body is streamed (not held in memory).
    pub fn is_streamed(&self) -> bool {
        matches!(self.inner, Inner::Stream { .. })
    }

    /// The bytes of an in-memory body, or `None` for a streamed one.
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match &self.inner {
            Inner::Full(bytes) => Some(bytes),
            Inner::Stream { .. } => None,
        }
    }

    /// Splits the body into an in-memory part or a stream with its length.
    ///
    /// # Errors
    /// A streamed body comes back as `Err((stream, length))`.
    pub fn into_parts(self) -> Result<Bytes, (BodyStream, u64)> {
        match self.inner {
            Inner::Full(bytes) => Ok(bytes),
            Inner::Stream { stream, length } => Err((stream, length)),
        }
    }

    /// Reads the whole body into memory (for tests and mock transports; it buffers uploads).
    ///
    /// # Errors
    /// The stream's error, or [`io::ErrorKind::InvalidData`] when a streamed body does not
    /// yield exactly its declared length.
    pub async fn collect(self) -> io::Result<Bytes> {
        match self.inner {
            Inner::Full(bytes) => Ok(bytes),
            Inner::Stream { mut stream, length } => {
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

/// Per-exchange settings a transport applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SendOptions {
    /// Time allowed to establish a connection, TLS included.
    pub connect_timeout: Duration,
    /// Time allowed for the whole exchange. The client enforces it around
    /// [`Transport::send`] too; a transport may use it for its own bookkeeping.
    pub timeout: Duration,
    /// Read at most this many bytes of the response body, then stop reading (the client's
    /// limit plus one, so the core can tell "at the limit" from "over it").
    pub read_limit: u64,
}

impl SendOptions {
    /// Options with these values.
    pub fn new(connect_timeout: Duration, timeout: Duration, read_limit: u64) -> Self {
        Self {
            connect_timeout,
            timeout,
            read_limit,
        }
    }
}

/// Performs one HTTP exchange.
///
/// Implementations must not follow redirects, must not decompress bodies, must return the
/// status, headers and body of every response whatever its status, and must stop reading the
/// body after [`SendOptions::read_limit`] bytes. When no response arrives they return
/// [`Error::Transport`] (built with [`Error::transport`]) with the [`TransportErrorKind`] that
/// fits, so the core's retry decision can act on it; the error must not contain credentials.
///
/// The trait is object safe; the client holds an `Arc<dyn Transport>`. Closures implement it
/// through [`transport_fn`].
#[async_trait]
pub trait Transport: Send + Sync + 'static {
    /// Sends `request` and reads the response.
    ///
    /// # Errors
    /// [`Error::Transport`] when no complete response could be read.
    async fn send(
        &self,
        request: Request<RequestBody>,
        options: SendOptions,
    ) -> Result<Response<Bytes>, Error>;
}

/// A [`Transport`] made from an async closure that takes the request with its body collected
/// into memory. Build one with [`transport_fn`].
pub struct FnTransport<F> {
    f: F,
}

impl<F> fmt::Debug for FnTransport<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FnTransport")
    }
}

/// Wraps an async closure as a [`Transport`]: `transport_fn(|request| async move { … })`.
///
/// Streamed bodies are collected into memory before the closure runs, so this suits tests and
/// small adapters, not large uploads. The closure's response body is truncated to
/// [`SendOptions::read_limit`] bytes.
pub fn transport_fn<F, Fut>(f: F) -> FnTransport<F>
where
    F: Fn(Request<Bytes>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Response<Bytes>, Error>> + Send + 'static,
{
    FnTransport { f }
}

#[async_trait]
impl<F, Fut> Transport for FnTransport<F>
where
    F: Fn(Request<Bytes>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Response<Bytes>, Error>> + Send + 'static,
{
    async fn send(
        &self,
        request: Request<RequestBody>,
        options: SendOptions,
    ) -> Result<Response<Bytes>, Error> {
        let (parts, body) = request.into_parts();
        let body = body
            .collect()
            .await
            .map_err(|e| Error::transport(TransportErrorKind::Body, Some(Box::new(e))))?;
        let response = (self.f)(Request::from_parts(parts, body)).await?;
        let (parts, mut body) = response.into_parts();
        let limit = usize::try_from(options.read_limit).unwrap_or(usize::MAX);
        if body.len() > limit {
            body.truncate(limit);
        }
        Ok(Response::from_parts(parts, body))
    }
}
