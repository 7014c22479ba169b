//! The default [`Transport`]: hyper 1 through the hyper-util legacy client (connection pool,
//! HTTP/1.1 and HTTP/2 negotiated with ALPN) over rustls with the `ring` provider.

use core::fmt;
use core::pin::Pin;
use core::task::{Context, Poll};
use core::time::Duration;
use std::error::Error as StdError;
use std::io;

use async_trait::async_trait;
use bytes::{Bytes, BytesMut};
use heygen_core::{BoxError, Config, Error, TransportErrorKind};
use http::{Request, Response};
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt as _, Full};
use hyper::body::{Body, Frame, SizeHint};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client as LegacyClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use crate::transport::{BodyStream, RequestBody, SendOptions, Transport, TransportError};

type HyperBody = UnsyncBoxBody<Bytes, BoxError>;

/// The hyper-based [`Transport`] the client uses by default.
///
/// One value holds one connection pool; clone the [`crate::Client`] (not the transport) to
/// share it. Redirects are never followed and bodies are never decompressed. Plain `http://`
/// is only used for URLs the core allows (loopback hosts).
#[derive(Clone)]
pub struct HyperTransport {
    client: LegacyClient<HttpsConnector<HttpConnector>, HyperBody>,
}

impl fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperTransport").finish_non_exhaustive()
    }
}

impl HyperTransport {
    /// A transport with the configuration's connect timeout, trusting the bundled webpki roots
    /// (or the platform's roots with the `native-roots` feature).
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] when the TLS configuration cannot be built (for example no
    /// usable platform roots with `native-roots`).
    pub fn new(config: &Config) -> Result<Self, Error> {
        Self::with_connect_timeout(config.connect_timeout())
    }

    /// A transport whose connections time out after `connect_timeout` (TCP connect; the TLS
    /// handshake counts against the request timeout).
    ///
    /// # Errors
    /// As [`HyperTransport::new`].
    pub fn with_connect_timeout(connect_timeout: Duration) -> Result<Self, Error> {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(Some(connect_timeout));
        let provider = rustls::crypto::ring::default_provider();
        let builder = hyper_rustls::HttpsConnectorBuilder::new();
        #[cfg(feature = "native-roots")]
        let builder = builder
            .with_provider_and_native_roots(provider)
            .map_err(|_| Error::invalid_config("no usable platform tls roots"))?;
        #[cfg(not(feature = "native-roots"))]
        let builder = builder
            .with_provider_and_webpki_roots(provider)
            .map_err(|_| Error::invalid_config("the tls configuration could not be built"))?;
        let https = builder
            .https_or_http()
            .enable_http1()
            .enable_http2()
            .wrap_connector(http);
        let client = LegacyClient::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .timer(TokioTimer::new())
            .pool_idle_timeout(Duration::from_mins(1))
            // A request on a pooled connection that closed before the request went out is
            // reported to the core (as "closed before any response"), which decides the retry.
            .retry_canceled_requests(false)
            .build(https);
        Ok(Self { client })
    }
}

impl HyperTransport {
    /// Sends `request` (its body as given: bytes, or a stream of exactly its length) and
    /// returns the response with its body not yet read.
    async fn request(
        &self,
        request: Request<RequestBody>,
    ) -> Result<Response<hyper::body::Incoming>, TransportError> {
        let (parts, body) = request.into_parts();
        let body: HyperBody = match body {
            RequestBody::Bytes(bytes) => Full::new(bytes)
                .map_err(|never| match never {})
                .boxed_unsync(),
            RequestBody::Stream { stream, length } => StreamedBody {
                stream,
                remaining: length,
            }
            .boxed_unsync(),
        };
        let response = self
            .client
            .request(Request::from_parts(parts, body))
            .await
            .map_err(|e| map_request_error(&e))?;
        Ok(response)
    }
}

#[async_trait]
impl Transport for HyperTransport {
    async fn open(
        &self,
        request: Request<RequestBody>,
        _options: &SendOptions,
    ) -> Result<Response<BodyStream>, TransportError> {
        let response = self.request(request).await?;
        let (parts, body) = response.into_parts();
        let chunks = futures_util::stream::unfold(Some(body), |body| async move {
            let mut body = body?;
            loop {
                match body.frame().await? {
                    Ok(frame) => {
                        if let Ok(data) = frame.into_data() {
                            return Some((Ok(data), Some(body)));
                        }
                    }
                    Err(error) => {
                        let failure = map_body_error(&error);
                        let kind = if failure.kind().is_timeout() {
                            io::ErrorKind::TimedOut
                        } else {
                            io::ErrorKind::ConnectionAborted
                        };
                        return Some((Err(io::Error::new(kind, failure.to_string())), None));
                    }
                }
            }
        });
        let stream: BodyStream = Box::pin(chunks);
        Ok(Response::from_parts(parts, stream))
    }

    async fn send(
        &self,
        request: Request<RequestBody>,
        options: &SendOptions,
    ) -> Result<Response<Bytes>, TransportError> {
        let response = self.request(request).await?;
        let (parts, body) = response.into_parts();
        let bytes = read_limited(body, options, |e| map_body_error(&e)).await?;
        // Dropping `body` unread (over the limit) closes the connection instead of pooling it.
        Ok(Response::from_parts(parts, bytes))
    }
}

/// Reads at most [`SendOptions::read_limit`] bytes of a response body. A body that arrives in one
/// frame (the usual case for API responses) is returned as that frame, without a copy; a body in
/// several frames is gathered into one buffer sized from the body's announced length, within
/// [`SendOptions::preallocation`].
async fn read_limited<B>(
    mut body: B,
    options: &SendOptions,
    map_error: impl Fn(B::Error) -> TransportError,
) -> Result<Bytes, TransportError>
where
    B: Body<Data = Bytes> + Unpin,
{
    let limit = options.read_limit_usize();
    let mut first = Bytes::new();
    let mut gathered = BytesMut::new();
    loop {
        let read = first.len().max(gathered.len());
        if read >= limit {
            break;
        }
        let Some(frame) = body.frame().await else {
            break;
        };
        let Ok(mut data) = frame.map_err(&map_error)?.into_data() else {
            continue;
        };
        data.truncate(limit - read);
        if read == 0 {
            first = data;
            continue;
        }
        if gathered.is_empty() {
            let announced = body.size_hint().upper();
            let expected = u64::try_from(read + data.len())
                .unwrap_or(u64::MAX)
                .saturating_add(announced.unwrap_or(0));
            gathered.reserve(options.preallocation(Some(expected)).max(read + data.len()));
            gathered.extend_from_slice(&first);
        }
        gathered.extend_from_slice(&data);
    }
    Ok(if gathered.is_empty() {
        first
    } else {
        gathered.freeze()
    })
}

/// A streamed request body with an exact length.
struct StreamedBody {
    stream: BodyStream,
    remaining: u64,
}

/// The error a streamed body source reported; marks failures as [`TransportErrorKind::Body`].
#[derive(Debug)]
struct BodySourceError(io::Error);

impl fmt::Display for BodySourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "reading the request body failed: {}", self.0)
    }
}

impl StdError for BodySourceError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.0)
    }
}

impl Body for StreamedBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        match this.stream.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.remaining = this.remaining.saturating_sub(chunk.len() as u64);
                Poll::Ready(Some(Ok(Frame::data(chunk))))
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(Box::new(BodySourceError(e))))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.remaining)
    }
}

/// Walks an error's source chain, looking inside `io::Error`s too.
fn chain<'a>(error: &'a (dyn StdError + 'static)) -> Vec<&'a (dyn StdError + 'static)> {
    let mut out = Vec::new();
    let mut next = Some(error);
    while let Some(e) = next {
        out.push(e);
        next = match e.downcast_ref::<io::Error>().and_then(|io| io.get_ref()) {
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => e.source(),
        };
        if out.len() > 32 {
            break;
        }
    }
    out
}

fn is_tls(error: &(dyn StdError + 'static)) -> bool {
    chain(error)
        .iter()
        .any(|e| e.downcast_ref::<rustls::Error>().is_some())
}

fn io_kind(error: &(dyn StdError + 'static)) -> Option<io::ErrorKind> {
    chain(error)
        .iter()
        .find_map(|e| e.downcast_ref::<io::Error>().map(io::Error::kind))
}

fn body_source_failed(error: &(dyn StdError + 'static)) -> bool {
    chain(error)
        .iter()
        .any(|e| e.downcast_ref::<BodySourceError>().is_some())
}

/// Maps a failure before the response head arrived.
fn map_request_error(error: &hyper_util::client::legacy::Error) -> TransportError {
    let root: &(dyn StdError + 'static) = error;
    let kind = if body_source_failed(root) {
        TransportErrorKind::Body
    } else if is_tls(root) {
        TransportErrorKind::Tls
    } else if error.is_connect() {
        if io_kind(root) == Some(io::ErrorKind::TimedOut)
            || chain(root)
                .iter()
                .any(|e| e.to_string().contains("timed out"))
        {
            TransportErrorKind::ConnectTimeout
        } else {
            TransportErrorKind::Connect
        }
    } else {
        let hyper_error = chain(root)
            .into_iter()
            .find_map(|e| e.downcast_ref::<hyper::Error>());
        match hyper_error {
            Some(h) if h.is_incomplete_message() || h.is_canceled() => {
                TransportErrorKind::ClosedBeforeResponse
            }
            Some(h) if h.is_timeout() => TransportErrorKind::Timeout,
            _ => match io_kind(root) {
                Some(io::ErrorKind::ConnectionReset | io::ErrorKind::BrokenPipe) => {
                    TransportErrorKind::ConnectionReset
                }
                Some(io::ErrorKind::UnexpectedEof) => TransportErrorKind::ClosedBeforeResponse,
                Some(io::ErrorKind::TimedOut) => TransportErrorKind::Timeout,
                Some(_) => TransportErrorKind::Io,
                None => TransportErrorKind::Other,
            },
        }
    };
    TransportError::new(kind, Some(opaque(root)))
}

/// Maps a failure while reading the response body.
fn map_body_error(error: &hyper::Error) -> TransportError {
    let kind = if error.is_timeout() {
        TransportErrorKind::Timeout
    } else {
        match io_kind(error) {
            Some(io::ErrorKind::ConnectionReset) => TransportErrorKind::ConnectionReset,
            _ => TransportErrorKind::Io,
        }
    };
    TransportError::new(kind, Some(opaque(error)))
}

/// The error chain as text, so no hyper type leaks into the public error's source. hyper's
/// messages carry no headers, so no credential can appear in them.
fn opaque(error: &(dyn StdError + 'static)) -> BoxError {
    let mut message = String::new();
    for (i, e) in chain(error).into_iter().enumerate() {
        let text = e.to_string();
        if i > 0 {
            if message.ends_with(&text) {
                continue;
            }
            message.push_str(": ");
        }
        message.push_str(&text);
    }
    Box::new(TransportCause(message))
}

/// The text of a transport failure.
#[derive(Debug)]
struct TransportCause(String);

impl fmt::Display for TransportCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl StdError for TransportCause {}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use core::convert::Infallible;

    use bytes::Bytes;
    use http_body_util::StreamBody;
    use hyper::body::Frame;

    use core::time::Duration;

    use super::read_limited;
    use crate::transport::{SendOptions, TransportError};

    type Frames = futures_util::stream::Iter<std::vec::IntoIter<Result<Frame<Bytes>, Infallible>>>;

    fn body(chunks: &[&'static [u8]]) -> StreamBody<Frames> {
        let frames: Vec<Result<Frame<Bytes>, Infallible>> = chunks
            .iter()
            .map(|c| Ok(Frame::data(Bytes::from_static(c))))
            .collect();
        StreamBody::new(futures_util::stream::iter(frames))
    }

    fn limited(limit: u64) -> SendOptions {
        SendOptions::new(Duration::ZERO, Duration::ZERO, limit)
    }

    async fn read(chunks: &[&'static [u8]], limit: u64) -> Bytes {
        read_limited(
            body(chunks),
            &limited(limit),
            |never: Infallible| -> TransportError { match never {} },
        )
        .await
        .unwrap()
    }

    #[tokio::test]
    async fn one_frame_is_returned_without_a_copy() {
        static FRAME: &[u8] = b"{\"data\":{}}";
        let bytes = read(&[FRAME], 1024).await;
        assert_eq!(bytes, FRAME);
        assert_eq!(bytes.as_ptr(), FRAME.as_ptr(), "the frame was copied");
    }

    #[tokio::test]
    async fn frames_are_joined_in_order() {
        assert_eq!(read(&[b"ab", b"", b"cd", b"e"], 1024).await, "abcde");
        assert_eq!(read(&[b"", b"abc"], 1024).await, "abc");
        assert_eq!(read(&[], 1024).await, "");
    }

    #[tokio::test]
    async fn reading_stops_at_the_limit() {
        assert_eq!(read(&[b"abcdef"], 4).await, "abcd");
        assert_eq!(read(&[b"ab", b"cdef", b"gh"], 5).await, "abcde");
        assert_eq!(read(&[b"abcd", b"ef"], 4).await, "abcd");
    }

    /// A body whose announced length (`Content-Length`, as hyper reports it through
    /// `size_hint`) is far larger than what it sends.
    struct Announced {
        frames: std::collections::VecDeque<Bytes>,
        announced: u64,
    }

    impl hyper::body::Body for Announced {
        type Data = Bytes;
        type Error = Infallible;

        fn poll_frame(
            mut self: core::pin::Pin<&mut Self>,
            _: &mut core::task::Context<'_>,
        ) -> core::task::Poll<Option<Result<Frame<Bytes>, Infallible>>> {
            let next = self.frames.pop_front();
            if let Some(data) = &next {
                self.announced = self.announced.saturating_sub(data.len() as u64);
            }
            core::task::Poll::Ready(next.map(|d| Ok(Frame::data(d))))
        }

        fn size_hint(&self) -> hyper::body::SizeHint {
            hyper::body::SizeHint::with_exact(self.announced)
        }
    }

    /// A false `Content-Length` (hyper accepts up to `u64::MAX - 2`) with no read limit neither
    /// panics ("capacity overflow") nor reserves what was announced: at most 1 MiB up front.
    #[tokio::test]
    async fn a_huge_announced_length_reserves_at_most_a_mebibyte() {
        for announced in [u64::MAX - 2, 1 << 40] {
            let body = Announced {
                frames: [Bytes::from_static(b"a"), Bytes::from_static(b"b")].into(),
                announced,
            };
            let read = tokio::spawn(async move {
                read_limited(
                    body,
                    &limited(u64::MAX),
                    |never: Infallible| -> TransportError { match never {} },
                )
                .await
            })
            .await;
            assert!(
                !read.as_ref().is_err_and(tokio::task::JoinError::is_panic),
                "read_limited panicked on an announced length of {announced}"
            );
            assert_eq!(read.unwrap().unwrap(), "ab");
        }
    }
}
