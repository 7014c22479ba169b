//! The [`Transport`] trait (one HTTP exchange) and its ureq implementation.
//!
//! A transport sends one request and reads the whole response, for every status, without
//! following redirects and without decompressing; the client hands the response to
//! `heygen-core`, which decides what it means and whether to try again.

use core::fmt;
use std::io::{self, Read};

use bytes::Bytes;
use heygen_core::TransportErrorKind;
pub use heygen_core::transport::{SendOptions, TransportError};
use http::{Request, Response};
use ureq::unversioned::transport::Connector as _;

/// The body of a request handed to a [`Transport`].
pub enum RequestBody<'a> {
    /// The whole body in memory (JSON, or empty).
    Bytes(Bytes),
    /// A streamed body of exactly `length` bytes (multipart upload, direct-upload `PUT`); the
    /// request's `Content-Length` already says `length`.
    Stream {
        /// The bytes, read once.
        reader: &'a mut dyn Read,
        /// Exact length in bytes.
        length: u64,
    },
}

impl fmt::Debug for RequestBody<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bytes(b) => write!(f, "Bytes(<{} bytes>)", b.len()),
            Self::Stream { length, .. } => write!(f, "Stream(<{length} bytes>)"),
        }
    }
}

impl RequestBody<'_> {
    /// Reads the whole body into memory (what a simple or mock transport does; streamed
    /// uploads are buffered then).
    ///
    /// # Errors
    /// The reader's I/O error.
    pub fn into_bytes(self) -> io::Result<Bytes> {
        match self {
            Self::Bytes(b) => Ok(b),
            Self::Stream { reader, length } => {
                let mut buf =
                    Vec::with_capacity(usize::try_from(length.min(64 * 1024 * 1024)).unwrap_or(0));
                reader.take(length).read_to_end(&mut buf)?;
                Ok(Bytes::from(buf))
            }
        }
    }
}

/// One HTTP exchange: send `request`, return status, headers and at most
/// [`SendOptions::read_limit`] bytes of body, for **every** status.
///
/// Rules every implementation follows: never follow redirects (return the 3xx as it is), never
/// decompress, add no credentials, apply the timeouts, and stop reading the body at the limit.
///
/// A blocking call cannot be cut from outside, so the attempt timeout
/// ([`SendOptions::timeout`], already shortened to what is left of a wait's deadline) is the
/// transport's to enforce: a transport that ignores it lets an attempt, and the wait around it,
/// overrun (the async client wraps every attempt in a timer itself).
///
/// Closures `Fn(http::Request<Bytes>) -> Result<http::Response<Bytes>, TransportError>`
/// implement it (streamed bodies are read into memory first), which is how tests mock the API
/// and how another HTTP client can be plugged in.
pub trait Transport: Send + Sync {
    /// Sends one request.
    ///
    /// # Errors
    /// A [`TransportError`] when no response head was received or the body could not be read.
    fn send(
        &self,
        request: Request<RequestBody<'_>>,
        options: &SendOptions,
    ) -> Result<Response<Bytes>, TransportError>;

    /// Sends one request and returns the response with its body unread, as a reader the client
    /// streams (downloads): no read limit, same rules as [`Transport::send`] otherwise. A body
    /// that fails part way is an I/O error from the reader. With [`SendOptions::idle`] set,
    /// `timeout` bounds only the wait for the head and each read may wait `idle` at most, failing
    /// with [`io::ErrorKind::TimedOut`]; the whole transfer has no limit.
    ///
    /// The default reads the whole body with [`Transport::send`] (what a closure or a mock
    /// does); [`UreqTransport`] streams it.
    ///
    /// # Errors
    /// A [`TransportError`] when no response head was received.
    fn open(
        &self,
        request: Request<RequestBody<'_>>,
        options: &SendOptions,
    ) -> Result<Response<Box<dyn Read + Send>>, TransportError> {
        let unlimited = SendOptions::new(options.timeout, options.connect_timeout, u64::MAX);
        let (parts, body) = self.send(request, &unlimited)?.into_parts();
        Ok(Response::from_parts(parts, Box::new(io::Cursor::new(body))))
    }
}

impl<F> Transport for F
where
    F: Fn(Request<Bytes>) -> Result<Response<Bytes>, TransportError> + Send + Sync,
{
    fn send(
        &self,
        request: Request<RequestBody<'_>>,
        options: &SendOptions,
    ) -> Result<Response<Bytes>, TransportError> {
        let (parts, body) = request.into_parts();
        let body = body.into_bytes().map_err(TransportError::body)?;
        let response = self(Request::from_parts(parts, body))?;
        Ok(options.truncate(response))
    }
}

/// The default transport: a ureq 3 agent with rustls (ring) and connection pooling.
///
/// The agent never treats a status as an error, follows no redirect, adds no `User-Agent`,
/// `Accept` or `Accept-Encoding` of its own (the core sets them; a presigned `PUT` carries only
/// its own headers), and does not decompress.
#[derive(Clone)]
pub struct UreqTransport {
    agent: ureq::Agent,
}

impl fmt::Debug for UreqTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UreqTransport").finish_non_exhaustive()
    }
}

impl Default for UreqTransport {
    fn default() -> Self {
        Self::new()
    }
}

impl UreqTransport {
    /// A transport trusting the bundled webpki roots (or, with the `native-roots` feature, the
    /// platform's verifier).
    pub fn new() -> Self {
        let roots = if cfg!(feature = "native-roots") {
            ureq::tls::RootCerts::PlatformVerifier
        } else {
            ureq::tls::RootCerts::WebPki
        };
        let tls = ureq::tls::TlsConfig::builder()
            .provider(ureq::tls::TlsProvider::Rustls)
            .root_certs(roots)
            .build();
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(ureq::config::AutoHeaderValue::None)
            .accept(ureq::config::AutoHeaderValue::None)
            .accept_encoding(ureq::config::AutoHeaderValue::None)
            .tls_config(tls)
            .build();
        Self {
            agent: ureq::Agent::with_parts(
                config,
                ureq::unversioned::transport::DefaultConnector::default().chain(SteadyTimeouts),
                SyncResolver,
            ),
        }
    }
}

/// Rounds the time left before the request's deadline up to a step of at most 1 % of it
/// before ureq hands it to the socket: 100 ms from 10 s left, 10 ms from 1 s, 1 ms from 100 ms,
/// and below 100 ms the exact value.
///
/// ureq sets the socket's read or write timeout (one `setsockopt` system call) whenever the
/// value differs from the last one, and the exact time left differs on every read and write of
/// every request: three extra system calls per call on a kept-alive connection. Rounded, the
/// value repeats from call to call and the socket keeps it. ureq checks the deadline before each
/// read and write, but a read already blocked when the deadline passes returns only when the
/// socket's timeout does, so rounding can let a call end up to 1 % of its timeout late (at most
/// 100 ms) — and a response that arrives within that window is accepted.
#[derive(Debug)]
struct SteadyTimeouts;

impl ureq::unversioned::transport::Connector<Box<dyn ureq::unversioned::transport::Transport>>
    for SteadyTimeouts
{
    type Out = SteadyTimeoutTransport;

    fn connect(
        &self,
        _details: &ureq::unversioned::transport::ConnectionDetails,
        chained: Option<Box<dyn ureq::unversioned::transport::Transport>>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        Ok(chained.map(SteadyTimeoutTransport))
    }
}

/// A connection whose timeouts [`SteadyTimeouts`] rounds.
#[derive(Debug)]
struct SteadyTimeoutTransport(Box<dyn ureq::unversioned::transport::Transport>);

/// `timeout` with its time left rounded up as [`SteadyTimeouts`] describes.
fn steady(
    mut timeout: ureq::unversioned::transport::NextTimeout,
) -> ureq::unversioned::transport::NextTimeout {
    use core::time::Duration as Std;
    use ureq::unversioned::transport::time::Duration;
    if let Duration::Exact(left) = timeout.after {
        let step = if left >= Std::from_secs(10) {
            Std::from_millis(100)
        } else if left >= Std::from_secs(1) {
            Std::from_millis(10)
        } else if left >= Std::from_millis(100) {
            Std::from_millis(1)
        } else {
            return timeout;
        };
        let step = step.as_nanos();
        let rounded = left
            .as_nanos()
            .div_ceil(step)
            .checked_mul(step)
            .and_then(|nanos| u64::try_from(nanos).ok())
            .map_or(left, Std::from_nanos);
        timeout.after = Duration::Exact(rounded);
    }
    timeout
}

impl ureq::unversioned::transport::Transport for SteadyTimeoutTransport {
    fn buffers(&mut self) -> &mut dyn ureq::unversioned::transport::Buffers {
        self.0.buffers()
    }

    fn transmit_output(
        &mut self,
        amount: usize,
        timeout: ureq::unversioned::transport::NextTimeout,
    ) -> Result<(), ureq::Error> {
        self.0.transmit_output(amount, steady(timeout))
    }

    fn maybe_await_input(
        &mut self,
        timeout: ureq::unversioned::transport::NextTimeout,
    ) -> Result<bool, ureq::Error> {
        self.0.maybe_await_input(steady(timeout))
    }

    fn await_input(
        &mut self,
        timeout: ureq::unversioned::transport::NextTimeout,
    ) -> Result<bool, ureq::Error> {
        self.0.await_input(steady(timeout))
    }

    fn is_open(&mut self) -> bool {
        self.0.is_open()
    }

    fn is_tls(&self) -> bool {
        self.0.is_tls()
    }
}

/// ureq's default resolver, run on the calling thread.
///
/// With a timeout set on the request, ureq's `DefaultResolver` resolves the host on a new
/// thread (to abandon a slow lookup at the deadline) — for every request, even one that then
/// reuses a pooled connection, which made each call spawn a thread. This one resolves
/// synchronously: an IP literal is parsed without any lookup, a host name goes through
/// `std::net::ToSocketAddrs` (bounded by the system resolver's own timeouts). The connect
/// timeout and the per-request timeout still apply to connecting, sending and receiving.
#[derive(Debug, Default)]
struct SyncResolver;

impl ureq::unversioned::resolver::Resolver for SyncResolver {
    fn resolve(
        &self,
        uri: &http::Uri,
        config: &ureq::config::Config,
        timeout: ureq::unversioned::transport::NextTimeout,
    ) -> Result<ureq::unversioned::resolver::ResolvedSocketAddrs, ureq::Error> {
        let timeout = ureq::unversioned::transport::NextTimeout {
            after: ureq::unversioned::transport::time::Duration::NotHappening,
            ..timeout
        };
        ureq::unversioned::resolver::DefaultResolver::default().resolve(uri, config, timeout)
    }
}

/// Whether an I/O error means the peer closed or reset the connection.
fn is_closed(kind: io::ErrorKind) -> bool {
    matches!(
        kind,
        io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe
            | io::ErrorKind::UnexpectedEof
    )
}

/// Maps a ureq error raised before any response head arrived.
fn map_request_error(error: &ureq::Error, body_failed: bool) -> TransportError {
    use TransportErrorKind as K;
    if body_failed {
        return TransportError::msg(K::Body, "reading the request body failed");
    }
    let kind = match error {
        ureq::Error::Timeout(t) => match t {
            ureq::Timeout::Connect | ureq::Timeout::Resolve => K::ConnectTimeout,
            _ => K::Timeout,
        },
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => K::Connect,
        ureq::Error::Io(e) => match e.kind() {
            io::ErrorKind::ConnectionRefused
            | io::ErrorKind::AddrNotAvailable
            | io::ErrorKind::NotFound => K::Connect,
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => K::Timeout,
            k if is_closed(k) => K::ClosedBeforeResponse,
            _ => K::Io,
        },
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::Pem(_) => K::Tls,
        ureq::Error::Protocol(_) => K::ClosedBeforeResponse,
        ureq::Error::RedirectFailed | ureq::Error::TooManyRedirects => K::Redirect,
        _ => K::Other,
    };
    // ureq's messages name hosts and io kinds, never headers or query strings.
    let message = match error {
        ureq::Error::BadUri(_) | ureq::Error::Http(_) => "invalid request".to_owned(),
        other => other.to_string(),
    };
    TransportError::msg(kind, message)
}

/// Maps an error raised while reading the response body.
fn map_body_error(error: &io::Error) -> TransportError {
    use TransportErrorKind as K;
    let kind = match error.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => K::Timeout,
        k if is_closed(k) => K::Io,
        _ => {
            let text = error.to_string();
            if text.contains("timeout") || text.contains("timed out") {
                K::Timeout
            } else {
                K::Io
            }
        }
    };
    TransportError::msg(kind, format!("reading the response body failed: {error}"))
}

/// A streamed body whose ureq timeouts (the idle limit between reads) fail with
/// [`io::ErrorKind::TimedOut`], as the [`Transport::open`] contract says, instead of a wrapped
/// error of kind `Other`.
struct TimeoutsAsTimedOut<R>(R);

impl<R: Read> Read for TimeoutsAsTimedOut<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf).map_err(|e| {
            let timeout = e
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<ureq::Error>())
                .is_some_and(|inner| matches!(inner, ureq::Error::Timeout(_)));
            if timeout {
                io::Error::new(io::ErrorKind::TimedOut, e.to_string())
            } else {
                e
            }
        })
    }
}

/// A reader that remembers whether the inner reader failed (so a failing file is reported as
/// a body failure, not a network one).
struct Watched<'a> {
    inner: &'a mut dyn Read,
    failed: bool,
}

impl Read for Watched<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).inspect_err(|_| self.failed = true)
    }
}

impl UreqTransport {
    /// Runs one request with the per-request timeouts.
    fn run<S: ureq::AsSendBody>(
        &self,
        request: Request<S>,
        options: &SendOptions,
    ) -> Result<Response<ureq::Body>, ureq::Error> {
        let configured = self
            .agent
            .configure_request(request)
            .timeout_connect(Some(options.connect_timeout));
        let request = match options.idle {
            // A streamed download: the head within the timeout, then each read of the body
            // within the idle limit, and no limit on the whole transfer.
            Some(idle) => configured
                .timeout_global(None)
                .timeout_resolve(Some(options.timeout))
                .timeout_send_request(Some(options.timeout))
                .timeout_recv_response(Some(options.timeout))
                .timeout_per_read(Some(idle))
                .build(),
            None => configured.timeout_global(Some(options.timeout)).build(),
        };
        self.agent.run(request)
    }
}

impl Transport for UreqTransport {
    fn open(
        &self,
        request: Request<RequestBody<'_>>,
        options: &SendOptions,
    ) -> Result<Response<Box<dyn Read + Send>>, TransportError> {
        let (parts, body) = request.into_parts();
        let result = match body {
            RequestBody::Bytes(bytes) if bytes.is_empty() => {
                self.run(Request::from_parts(parts, ureq::SendBody::none()), options)
            }
            RequestBody::Bytes(bytes) => {
                self.run(Request::from_parts(parts, bytes.as_ref()), options)
            }
            RequestBody::Stream { .. } => {
                return Err(TransportError::msg(
                    TransportErrorKind::Other,
                    "a streamed request body cannot be sent with open",
                ));
            }
        };
        let (parts, body) = result
            .map_err(|e| map_request_error(&e, false))?
            .into_parts();
        let reader = TimeoutsAsTimedOut(body.into_with_config().limit(u64::MAX).reader());
        Ok(Response::from_parts(parts, Box::new(reader)))
    }

    fn send(
        &self,
        request: Request<RequestBody<'_>>,
        options: &SendOptions,
    ) -> Result<Response<Bytes>, TransportError> {
        let (parts, body) = request.into_parts();
        let result = match body {
            // No body at all (not an empty one), so a GET carries no `Content-Length: 0`.
            RequestBody::Bytes(bytes) if bytes.is_empty() => self
                .run(Request::from_parts(parts, ureq::SendBody::none()), options)
                .map_err(|e| map_request_error(&e, false)),
            RequestBody::Bytes(bytes) => self
                .run(Request::from_parts(parts, bytes.as_ref()), options)
                .map_err(|e| map_request_error(&e, false)),
            RequestBody::Stream { reader, length } => {
                let mut watched = Watched {
                    inner: reader,
                    failed: false,
                };
                let result = {
                    let mut limited = (&mut watched).take(length);
                    let body = ureq::SendBody::from_reader(&mut limited);
                    self.run(Request::from_parts(parts, body), options)
                };
                let failed = watched.failed;
                result.map_err(|e| map_request_error(&e, failed))
            }
        };
        let response = result?;
        let (parts, body) = response.into_parts();
        let mut reader = body.into_with_config().limit(u64::MAX).reader();
        // Sized from `Content-Length` (bounded) so a large page is not grown in steps.
        let announced = parts
            .headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        let reserved = options.preallocation(announced);
        let mut buf = Vec::with_capacity(reserved);
        // Read at most the limit: a larger body is cut here and refused by the core, and the
        // connection is dropped rather than drained.
        (&mut reader)
            .take(options.read_limit)
            .read_to_end(&mut buf)
            .map_err(|e| map_body_error(&e))?;
        // A `Content-Length` larger than the body (or a body cut short) leaves reserved room
        // unused; a body read without one keeps the buffer as reading grew it.
        if buf.len() < reserved / 2 {
            buf.shrink_to_fit();
        }
        Ok(Response::from_parts(parts, Bytes::from(buf)))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use ureq::unversioned::resolver::Resolver;
    use ureq::unversioned::transport::NextTimeout;
    use ureq::unversioned::transport::time::Duration;

    use super::{SyncResolver, steady};

    fn left(after: Duration) -> Duration {
        steady(NextTimeout {
            after,
            ..NextTimeout::default()
        })
        .after
    }

    fn exact(millis: u64) -> Duration {
        Duration::Exact(core::time::Duration::from_millis(millis))
    }

    /// Time left is rounded up by at most 1 % of it (100 ms at most), so consecutive calls hand
    /// the socket the same value; under 100 ms, a passed deadline (zero) and no deadline, it is
    /// passed as it is.
    #[test]
    fn socket_timeouts_are_rounded_up_by_at_most_one_percent() {
        let almost_30_s = Duration::Exact(core::time::Duration::from_nanos(29_999_912_345));
        assert_eq!(left(almost_30_s), exact(30_000));
        assert_eq!(left(exact(30_000)), exact(30_000));
        assert_eq!(left(exact(10_001)), exact(10_100));
        assert_eq!(left(exact(9_991)), exact(10_000));
        let almost_2_s = Duration::Exact(core::time::Duration::from_nanos(1_999_999_001));
        assert_eq!(left(almost_2_s), exact(2_000));
        let almost_half_s = Duration::Exact(core::time::Duration::from_nanos(499_999_001));
        assert_eq!(left(almost_half_s), exact(500));
        let just_under_20_ms = Duration::Exact(core::time::Duration::from_nanos(19_999_001));
        assert_eq!(left(just_under_20_ms), just_under_20_ms);
        assert_eq!(left(exact(0)), exact(0));
        assert_eq!(left(Duration::NotHappening), Duration::NotHappening);
    }

    /// A zero resolve budget makes no difference: the lookup runs on the calling thread (ureq's
    /// default resolver would spawn a thread for it and give up at once).
    #[test]
    fn resolves_synchronously_whatever_the_timeout() {
        let config = ureq::config::Config::default();
        let timeout = NextTimeout {
            after: Duration::Exact(std::time::Duration::ZERO),
            ..NextTimeout::default()
        };
        for uri in ["http://127.0.0.1:8080/v3/avatars", "http://localhost:8080/"] {
            let uri: http::Uri = uri.parse().unwrap();
            let addrs = SyncResolver.resolve(&uri, &config, timeout).unwrap();
            assert!(!addrs.is_empty());
            assert!(addrs.iter().all(|a| a.port() == 8080));
        }
    }
}
