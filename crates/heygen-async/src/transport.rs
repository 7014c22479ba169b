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
use std::io;

use async_trait::async_trait;
use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use futures_util::StreamExt as _;
pub use heygen_core::transport::{SendOptions, TransportError};
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

/// One HTTP exchange: send `request`, return status, headers and at most
/// [`SendOptions::read_limit`] bytes of body, for **every** status.
///
/// Rules every implementation follows: never follow redirects (return the 3xx as it is), never
/// decompress, add no credentials, apply the connect timeout, and stop reading the body at the
/// limit. Failures without a response are a [`TransportError`] whose
/// [`heygen_core::TransportErrorKind`] lets the core's retry decision act.
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

    /// Sends one request and returns the response with its body unread, as a stream of chunks
    /// the client writes out as they come (downloads): no read limit, same rules as
    /// [`Transport::send`] otherwise. A body that fails part way is an `Err` item. The client
    /// enforces the timeouts around it: [`SendOptions::timeout`] for the head, then
    /// [`SendOptions::idle`] for each chunk.
    ///
    /// The default reads the whole body with [`Transport::send`] (what a closure or a mock
    /// does); [`crate::HyperTransport`] streams it.
    ///
    /// # Errors
    /// A [`TransportError`] when no response head was received.
    async fn open(
        &self,
        request: Request<RequestBody>,
        options: &SendOptions,
    ) -> Result<Response<BodyStream>, TransportError> {
        let unlimited = SendOptions::new(options.timeout, options.connect_timeout, u64::MAX);
        let (parts, body) = self.send(request, &unlimited).await?.into_parts();
        let stream: BodyStream = Box::pin(futures_util::stream::iter([Ok(body)]));
        Ok(Response::from_parts(parts, stream))
    }
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
        let body = body.into_bytes().await.map_err(TransportError::body)?;
        let response = self(Request::from_parts(parts, body)).await?;
        Ok(options.truncate(response))
    }
}
