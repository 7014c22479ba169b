//! `heygen webhook listen`: a local receiver for webhook deliveries (axum), also run inside
//! `heygen demo`.
//!
//! Each `POST` to the path is read as **raw bytes** (at most 1 MiB; more is 413) and checked by
//! the core's [`Verifier`]: a verified event is handed to the receiver's sink once per event id
//! (a redelivery is answered 200 and dropped) and answered 200; a missing, malformed or wrong
//! signature and a stale or future timestamp are answered 401, a signed body that is not an
//! event 400, and each refusal is reported with the verifier's code. `GET`, `HEAD` and `OPTIONS`
//! on any path answer 200, for reachability probes. The server stops after `--max-events`
//! verified events, when the sink fails, or when told to (SIGINT/SIGTERM for the command).

use std::collections::HashSet;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse as _, Response};
use heygen_core::webhook::{EVENT_ID_HEADER, VerifiedEvent, Verifier, WebhookError};
use http_body_util::{BodyExt as _, LengthLimitError, Limited};
use tokio::net::TcpListener;
use tokio::sync::{Notify, oneshot};

use crate::cli::ListenArgs;
use crate::failure::{EXIT_API, Failure};
use crate::output::Output;
use crate::webhook::{EventLine, MAX_BODY_BYTES, refusal, verifier_from_env};

/// How long a stopping server waits for open connections to finish.
const DRAIN: Duration = Duration::from_secs(5);

/// What the receiver does with a verified event; an error stops the receiver, and the delivery
/// is answered 500 so the sender tries again later.
pub(crate) type OnEvent = Box<dyn Fn(&EventLine) -> Result<(), Failure> + Send + Sync>;
/// What the receiver does with a refused delivery (the verifier's code, the status answered).
pub(crate) type OnRefusal = Box<dyn Fn(&Failure) + Send + Sync>;

/// A receiver's configuration and sinks.
pub(crate) struct Receiver {
    /// Checks the signature and the timestamp.
    pub(crate) verifier: Verifier,
    /// The path deliveries are posted to (`/webhook`).
    pub(crate) path: String,
    /// Stop after this many verified events.
    pub(crate) max_events: Option<u64>,
    /// Where verified events go.
    pub(crate) on_event: OnEvent,
    /// Where refusals are reported.
    pub(crate) on_refusal: OnRefusal,
}

/// A running receiver's shared state.
struct Shared {
    receiver: Receiver,
    seen: Mutex<Seen>,
    /// Notified once: the receiver is done (`--max-events` reached, or the sink failed).
    finished: Notify,
}

#[derive(Default)]
struct Seen {
    /// Event ids handed to the sink.
    ids: HashSet<String>,
    /// Events handed to the sink.
    count: u64,
    /// Set once the receiver stops taking events; the failure of the sink, if it failed.
    stopped: bool,
    failure: Option<Failure>,
}

impl Shared {
    fn refuse(&self, status: StatusCode, failure: &Failure) -> Response {
        (self.receiver.on_refusal)(failure);
        let body = serde_json::json!({ "error": { "code": failure.code } }).to_string();
        (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response()
    }

    /// Hands a verified event to the sink unless its id was handed over before.
    fn accept(&self, verified: &VerifiedEvent, raw: &[u8]) -> Response {
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        if seen.stopped {
            // Not handed over: the sender keeps it and tries again later.
            return answer(
                StatusCode::SERVICE_UNAVAILABLE,
                r#"{"error":{"code":"receiver_stopping"}}"#,
            );
        }
        if seen.ids.contains(verified.replay_key()) {
            return answer(StatusCode::OK, r#"{"ok":true,"duplicate":true}"#);
        }
        match (self.receiver.on_event)(&EventLine::new(verified, raw)) {
            Ok(()) => {
                seen.ids.insert(verified.replay_key().to_owned());
                seen.count += 1;
                if self
                    .receiver
                    .max_events
                    .is_some_and(|max| seen.count >= max)
                {
                    seen.stopped = true;
                    self.finished.notify_one();
                }
                answer(StatusCode::OK, r#"{"ok":true}"#)
            }
            Err(failure) => {
                seen.stopped = true;
                seen.failure = Some(failure);
                self.finished.notify_one();
                answer(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    r#"{"error":{"code":"receiver_failed"}}"#,
                )
            }
        }
    }
}

fn answer(status: StatusCode, body: &'static str) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

fn with_allow(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::ALLOW,
        HeaderValue::from_static("GET, HEAD, OPTIONS, POST"),
    );
    response
}

/// Every request: probes, then deliveries on the path.
async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if method == Method::GET || method == Method::HEAD || method == Method::OPTIONS {
        return with_allow(answer(StatusCode::OK, r#"{"ok":true}"#));
    }
    if method != Method::POST {
        return with_allow(answer(
            StatusCode::METHOD_NOT_ALLOWED,
            r#"{"error":{"code":"method_not_allowed"}}"#,
        ));
    }
    if uri.path() != shared.receiver.path {
        return answer(StatusCode::NOT_FOUND, r#"{"error":{"code":"not_found"}}"#);
    }
    let event_id = headers
        .get(EVENT_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let raw = match read_body(&headers, body).await {
        Ok(raw) => raw,
        Err((status, failure)) => {
            return shared.refuse(status, &with_event_id(failure, event_id.as_deref()));
        }
    };
    match shared
        .receiver
        .verifier
        .verify(&headers, &raw, SystemTime::now())
    {
        Ok(verified) => shared.accept(&verified, &raw),
        Err(error) => {
            let status = match error {
                WebhookError::InvalidPayload(_) => StatusCode::BAD_REQUEST,
                _ => StatusCode::UNAUTHORIZED,
            };
            let failure = refusal(&error, Some(status.as_u16()));
            shared.refuse(status, &with_event_id(failure, event_id.as_deref()))
        }
    }
}

/// The raw body, at most [`MAX_BODY_BYTES`]: a larger declared `Content-Length` is refused
/// before reading, a longer body as soon as the limit is passed.
async fn read_body(headers: &HeaderMap, body: Body) -> Result<Bytes, (StatusCode, Failure)> {
    let too_large = || {
        let mut failure = Failure::new(
            EXIT_API,
            "payload_too_large",
            format!("the delivery body is larger than {MAX_BODY_BYTES} bytes"),
        );
        failure.status = Some(413);
        (StatusCode::PAYLOAD_TOO_LARGE, failure)
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Err(too_large());
    }
    match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) if error.is::<LengthLimitError>() => Err(too_large()),
        Err(error) => {
            let mut failure = Failure::new(
                EXIT_API,
                "cli_network_error",
                format!("could not read the delivery body: {error}"),
            );
            failure.status = Some(400);
            Err((StatusCode::BAD_REQUEST, failure))
        }
    }
}

fn with_event_id(failure: Failure, event_id: Option<&str>) -> Failure {
    match event_id.map(str::trim).filter(|id| !id.is_empty()) {
        Some(id) => failure.with_id("event_id", id),
        None => failure,
    }
}

/// Binds `host:port` (a bracketed IPv6 host is accepted).
async fn bind(host: &str, port: u16) -> Result<TcpListener, Failure> {
    let bare = host.trim().trim_start_matches('[').trim_end_matches(']');
    TcpListener::bind((bare, port)).await.map_err(|e| {
        Failure::new(
            EXIT_API,
            "cli_listen_failed",
            format!("could not listen on {host}:{port}: {e}"),
        )
    })
}

/// The URL deliveries go to.
fn url_of(addr: SocketAddr, path: &str) -> String {
    format!("http://{addr}{path}")
}

/// Serves `receiver` on `listener` until it is done or `stop` completes; then lets open
/// exchanges finish (at most [`DRAIN`]). Returns the sink's failure, if it failed.
async fn serve(
    listener: TcpListener,
    receiver: Receiver,
    stop: impl Future<Output = ()> + Send,
) -> Result<u64, Failure> {
    let shared = Arc::new(Shared {
        receiver,
        seen: Mutex::new(Seen::default()),
        finished: Notify::new(),
    });
    let app = Router::new()
        .fallback(handle)
        .with_state(Arc::clone(&shared));
    let (halt, halted) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = halted.await;
            })
            .await
    });
    tokio::select! {
        () = shared.finished.notified() => {}
        () = stop => {}
    }
    let _ = halt.send(());
    let _ = tokio::time::timeout(DRAIN, server).await;
    let mut seen = shared.seen.lock().unwrap_or_else(PoisonError::into_inner);
    seen.stopped = true;
    match seen.failure.take() {
        Some(failure) => Err(failure),
        None => Ok(seen.count),
    }
}

/// A future that completes on SIGINT (Ctrl-C) or, on Unix, SIGTERM. The handlers are installed
/// before it returns, so a signal sent as soon as the address is printed is not missed. Runs
/// inside the runtime.
pub(crate) fn interruption() -> Result<Pin<Box<dyn Future<Output = ()> + Send>>, Failure> {
    let failed = |e: std::io::Error| {
        Failure::new(
            EXIT_API,
            "cli_listen_failed",
            format!("could not handle signals: {e}"),
        )
    };
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt()).map_err(failed)?;
        let mut terminate = signal(SignalKind::terminate()).map_err(failed)?;
        Ok(Box::pin(async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        }))
    }
    #[cfg(not(unix))]
    {
        let _ = failed;
        Ok(Box::pin(async {
            let _ = tokio::signal::ctrl_c().await;
        }))
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            Failure::new(
                EXIT_API,
                "cli_listen_failed",
                format!("could not start the receiver's runtime: {e}"),
            )
        })
}

/// `heygen webhook listen`.
///
/// # Errors
/// `cli_missing_webhook_secret` (exit 2) without `HEYGEN_WEBHOOK_SECRET`, `cli_listen_failed`
/// when the address cannot be bound, `cli_output_error` when stdout fails.
pub(crate) fn run(out: &Output, args: &ListenArgs) -> Result<(), Failure> {
    let verifier = verifier_from_env()?;
    let printer = out.clone();
    let reporter = out.clone();
    let receiver = Receiver {
        verifier,
        path: args.path.clone(),
        max_events: args.max_events,
        on_event: Box::new(move |event| printer.line(event)),
        on_refusal: Box::new(move |failure| reporter.failure(failure)),
    };
    let runtime = runtime()?;
    runtime.block_on(async {
        let listener = bind(&args.host, args.port).await?;
        let stop = interruption()?;
        let addr = listener.local_addr().map_err(|e| {
            Failure::new(
                EXIT_API,
                "cli_listen_failed",
                format!("no local address: {e}"),
            )
        })?;
        let until = match args.max_events {
            Some(1) => "stops after 1 event or on Ctrl-C".to_owned(),
            Some(n) => format!("stops after {n} events or on Ctrl-C"),
            None => "Ctrl-C to stop".to_owned(),
        };
        out.log(&format!(
            "heygen webhook listen: listening on {} (POST deliveries here; {until})",
            url_of(addr, &args.path)
        ));
        let count = serve(listener, receiver, stop).await?;
        out.log(&format!(
            "heygen webhook listen: stopped after {count} verified event{}",
            if count == 1 { "" } else { "s" }
        ));
        Ok(())
    })
}

/// A port bound on `127.0.0.1` for a receiver that runs on its own thread (`heygen demo`): the
/// URL is known before the receiver starts, so an endpoint can be registered first and its
/// secret handed to the receiver. Deliveries that arrive in between wait in the backlog.
pub(crate) struct Bound {
    url: String,
    path: String,
    listener: TcpListener,
    runtime: tokio::runtime::Runtime,
}

impl Bound {
    /// Binds a free port on `127.0.0.1`; deliveries go to `path`.
    ///
    /// # Errors
    /// `cli_listen_failed` when no port can be bound.
    pub(crate) fn new(path: &str) -> Result<Self, Failure> {
        let runtime = runtime()?;
        let listener = runtime.block_on(bind("127.0.0.1", 0))?;
        let addr = listener.local_addr().map_err(|e| {
            Failure::new(
                EXIT_API,
                "cli_listen_failed",
                format!("no local address: {e}"),
            )
        })?;
        Ok(Self {
            url: url_of(addr, path),
            path: path.to_owned(),
            listener,
            runtime,
        })
    }

    /// The URL deliveries go to.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// Serves `receiver` (its `path` is replaced by the bound one) on a thread of its own until
    /// the returned handle is dropped.
    ///
    /// # Errors
    /// `cli_listen_failed` when the thread cannot start.
    pub(crate) fn serve(self, mut receiver: Receiver) -> Result<Background, Failure> {
        let Self {
            path,
            listener,
            runtime,
            ..
        } = self;
        receiver.path = path;
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("heygen-webhook-receiver".to_owned())
            .spawn(move || {
                let _ = runtime.block_on(serve(listener, receiver, async move {
                    let _ = stopped.await;
                }));
            })
            .map_err(|e| {
                Failure::new(
                    EXIT_API,
                    "cli_listen_failed",
                    format!("could not start the receiver: {e}"),
                )
            })?;
        Ok(Background {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

/// A receiver running on its own thread; stopped when dropped.
pub(crate) struct Background {
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
