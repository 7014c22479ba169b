//! [`Client`]: configuration plus a shared transport, and the loop that drives one call.

use core::fmt;
use core::time::Duration;
use std::sync::Arc;

use bytes::Bytes;
use heygen_core::{Call, Config, Error, Operation, Step, TransportErrorKind};
use http::{Request, Response};
use tokio::time::Instant;

use crate::hyper_transport::HyperTransport;
use crate::transport::{RequestBody, SendOptions, Transport};
use crate::upload::UploadOptions;

pub use heygen_core::config::{API_BASE_ENV, API_KEY_ENV};

/// An async `HeyGen` client.
///
/// Cheap to clone (one `Arc` inside) and `Send + Sync`: share it across tasks; clones share the
/// connection pool. Every method is cancel-safe in the sense that dropping its future leaves the
/// client usable (a connection in the middle of an exchange is closed, not reused).
///
/// `Debug` never shows credentials.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Clone)]
struct Inner {
    config: Config,
    transport: Arc<dyn Transport>,
    uploads: UploadOptions,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client over the default hyper transport.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] when the TLS setup fails (see [`HyperTransport::new`]).
    pub fn new(config: Config) -> Result<Self, Error> {
        let transport = HyperTransport::new(&config)?;
        Ok(Self::with_transport(config, transport))
    }

    /// A client from the environment: `HEYGEN_API_KEY` (required) and `HEYGEN_API_BASE`
    /// (optional base URL, `https://api.heygen.com` by default).
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] when `HEYGEN_API_KEY` is missing or empty, or a value is invalid.
    pub fn from_env() -> Result<Self, Error> {
        let var = |name| std::env::var(name).ok();
        let config =
            Config::from_env_values(var(API_KEY_ENV).as_deref(), var(API_BASE_ENV).as_deref())?;
        Self::new(config)
    }

    /// A client over any transport (a mock in tests, another HTTP stack; async closures implement
    /// [`Transport`]).
    pub fn with_transport(config: Config, transport: impl Transport) -> Self {
        Self {
            inner: Arc::new(Inner {
                config,
                transport: Arc::new(transport),
                uploads: UploadOptions::default(),
            }),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The upload settings.
    pub(crate) fn uploads(&self) -> &UploadOptions {
        &self.inner.uploads
    }

    /// The upload settings, to change (copies the shared state if it is shared).
    pub(crate) fn uploads_mut(&mut self) -> &mut UploadOptions {
        &mut Arc::make_mut(&mut self.inner).uploads
    }

    /// Sends any core operation: the escape hatch for endpoints without a method here (see
    /// [`heygen_core::ops`], for example [`heygen_core::ops::RawJson`]). Retries follow the
    /// configured policy; one idempotency key is used for every attempt.
    ///
    /// Streamed operations (uploads) need their body; use [`crate::Assets`] for them. Sent here,
    /// they go out with an empty body and fail.
    ///
    /// # Errors
    /// Any [`Error`]: validation (nothing sent), transport, API, decoding.
    pub async fn send<O: Operation>(&self, operation: &O) -> Result<O::Output, Error> {
        self.execute(operation).await
    }

    /// Runs one logical call with an in-memory body.
    pub(crate) async fn execute<O: Operation>(&self, operation: O) -> Result<O::Output, Error> {
        let call = Call::new(operation, self.config(), entropy())?;
        self.drive(call, |built| Some(RequestBody::Bytes(built)))
            .await
    }

    /// Runs one logical call; `body` gets the body the core built (empty for streamed
    /// operations) and gives the body to send for the next attempt, or `None` when the body
    /// cannot be produced again (the last error is returned then).
    pub(crate) async fn drive<O, B>(
        &self,
        mut call: Call<O>,
        mut body: B,
    ) -> Result<O::Output, Error>
    where
        O: Operation,
        B: FnMut(Bytes) -> Option<RequestBody>,
    {
        let started = Instant::now();
        loop {
            let (parts, built) = call.request().clone().into_parts();
            let Some(request_body) = body(built) else {
                return Err(call
                    .take_last_error()
                    .unwrap_or_else(|| Error::transport(TransportErrorKind::Body, None)));
            };
            let request = Request::from_parts(parts, request_body);
            let options = SendOptions::for_call(&call);
            let outcome =
                tokio::time::timeout(call.timeout(), self.inner.transport.send(request, &options))
                    .await;
            let now = started.elapsed();
            let step = match outcome {
                Ok(Ok(response)) => {
                    let (parts, bytes): (_, Bytes) = response.into_parts();
                    call.on_response(Response::from_parts(parts, &bytes[..]), now, jitter())
                }
                Ok(Err(error)) => {
                    let (kind, source) = error.into_parts();
                    call.on_transport_error(kind, source, now, jitter())
                }
                Err(_elapsed) => {
                    call.on_transport_error(TransportErrorKind::Timeout, None, now, jitter())
                }
            };
            match step {
                Step::Done(result) => return result,
                Step::RetryAfter(delay) => tokio::time::sleep(delay).await,
            }
        }
    }

    /// Sleeps `delay` (used by waits).
    pub(crate) async fn sleep(delay: Duration) {
        tokio::time::sleep(delay).await;
    }
}

/// 16 random bytes for idempotency keys and multipart boundaries.
pub(crate) fn entropy() -> [u8; 16] {
    fastrand::u128(..).to_le_bytes()
}

/// A uniform value in `[0, 1)` for retry jitter.
pub(crate) fn jitter() -> f64 {
    fastrand::f64()
}
