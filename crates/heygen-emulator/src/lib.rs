//! `heygen-emulator`: a stateful local `HeyGen` v3 API server for tests and demos.
//!
//! It serves the v3 endpoints the SDK covers on `127.0.0.1`, keeps an emulated account
//! (avatar groups, looks, consent, assets, direct uploads, videos), checks every request against
//! the API's JSON Schemas plus the rules the schemas do not carry, and can inject the faults real
//! gateways produce. It never uses the SDK's own model to check requests, so a model bug is
//! caught rather than mirrored.
//!
//! ```no_run
//! use heygen_emulator::{Emulator, EmulatorOptions, Fault, FaultRule};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let emu = Emulator::start(EmulatorOptions::default())?;
//! println!("{} (key {})", emu.base_url(), emu.api_key());
//! emu.inject(FaultRule::new("/v3/videos/*", Fault::Close).method("GET").times(1));
//! emu.advance(std::time::Duration::from_secs(120));
//! # Ok(()) }
//! ```
//!
//! Lifecycles run on an emulated clock (real time × `speed`, plus [`EmulatorHandle::advance`]).
//! A name (avatars) or title/script (videos) that contains [`FAIL_MARKER`] makes the job fail.
//! See `docs/emulator.md` for the HTTP walk-through, the admin API and the fault format.
//!
//! State changes (a video or an avatar finishing) emit webhook events, which are posted to the
//! registered loopback endpoints, signed, with retries (see `docs/emulator.md`).
//!
//! Internal layers (a module uses only modules in the layers before it, never the other way):
//! `reply`, `fault`, `schema`, `webhook` (depend on nothing in the crate) → `state` (webhook) →
//! `rules` (reply, state, webhook), `shared` (state, fault; it holds the OAuth server's state)
//! → `api` (reply, rules, schema, state, webhook), `oauth` (reply, shared, state), `assets` (api, reply, rules, state), `upload` (reply, rules, shared, state),
//! `video_rules` (depends on nothing), `video_batches` (api, reply, rules, state),
//! `admin` (reply, fault, shared, state), `deliver` (shared, state, webhook) → `server` (all of
//! the above) → this crate root.

mod admin;
mod api;
mod assets;
mod deliver;
mod fault;
mod files;
mod oauth;
mod reply;
mod rules;
mod schema;
mod server;
mod shared;
mod state;
mod upload;
mod video_batches;
mod video_rules;
mod voices;
mod webhook;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;

pub use fault::{Fault, FaultRule, RetryAfter};
pub use files::{DEFAULT_FILE_LINK_SECS, rendered_bytes};
pub use oauth::OAuthEvent;
pub use rules::{MAX_DIRECT_UPLOAD_BYTES, MAX_PROMPT_CHARS, MAX_REFERENCE_IMAGES};
pub use schema::validate_response;
pub use state::{FAIL_MARKER, LoggedRequest};
pub use webhook::{
    DELIVERY_TIMEOUT_SECS, DeliveryAttempt, FIRST_RETRY_SECS, MAX_DELIVERY_ATTEMPTS,
};

use shared::Shared;

/// Default API key accepted in `X-Api-Key`.
pub const DEFAULT_API_KEY: &str = "hg_emulator_key";
/// Default OAuth access token accepted in `Authorization: Bearer`.
pub const DEFAULT_ACCESS_TOKEN: &str = "hg_emulator_oauth_token";

/// How to start an emulator.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct EmulatorOptions {
    /// The key accepted in `X-Api-Key` (also accepted as a bearer token).
    pub api_key: String,
    /// The OAuth access token accepted in `Authorization: Bearer`.
    pub access_token: String,
    /// Emulated seconds per real second (1.0 = real time). Must be finite and above zero.
    pub speed: f64,
    /// Seed for ids and tokens; the same seed and the same requests give the same ids.
    pub seed: u64,
    /// Port on 127.0.0.1 (0 = ephemeral).
    pub port: u16,
    /// Extra checks beyond what HeyGen's reference states (off by default): https for every URL
    /// field, no blank names or prompts, only the multipart upload types for base64 inputs and
    /// direct uploads, direct uploads of 1 byte to [`MAX_DIRECT_UPLOAD_BYTES`]. See
    /// `docs/emulator.md`.
    pub strict: bool,
    /// Check every `/v3/` reply against the bundled schema for its endpoint and status before
    /// sending it (default: on in builds with debug assertions, so in tests). A reply that breaks
    /// it becomes a 500 `emulator_schema_violation`, is printed to stderr, and makes dropping
    /// the [`EmulatorHandle`] panic.
    pub check_responses: bool,
    /// How long a file link (`video_url`, `captioned_video_url`) lives after it was signed,
    /// in emulated seconds (default [`DEFAULT_FILE_LINK_SECS`]). Every read of the video signs
    /// fresh links; an expired one is a `403` from the file origin.
    pub file_link_secs: u64,
    /// Lifetime of the access tokens the OAuth server issues, in emulated seconds (default
    /// [`DEFAULT_OAUTH_TOKEN_SECS`], ten days). A short one makes tokens expire inside a test.
    pub oauth_token_secs: u64,
    /// The device flow's poll interval the OAuth server asks for, in seconds (default 5).
    pub oauth_device_interval_secs: u64,
}

/// Default lifetime of the emulator's OAuth access tokens, in seconds (ten days).
pub const DEFAULT_OAUTH_TOKEN_SECS: u64 = 864_000;

impl Default for EmulatorOptions {
    fn default() -> Self {
        Self {
            api_key: DEFAULT_API_KEY.to_owned(),
            access_token: DEFAULT_ACCESS_TOKEN.to_owned(),
            speed: 1.0,
            seed: 0,
            port: 0,
            strict: false,
            check_responses: cfg!(debug_assertions),
            file_link_secs: DEFAULT_FILE_LINK_SECS,
            oauth_token_secs: DEFAULT_OAUTH_TOKEN_SECS,
            oauth_device_interval_secs: 5,
        }
    }
}

impl EmulatorOptions {
    /// Sets the API key.
    #[must_use]
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = key.into();
        self
    }

    /// Sets the accepted OAuth access token.
    #[must_use]
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.access_token = token.into();
        self
    }

    /// Sets the clock speed (emulated seconds per real second).
    #[must_use]
    pub fn speed(mut self, speed: f64) -> Self {
        self.speed = speed;
        self
    }

    /// Sets the seed.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Turns the checks beyond HeyGen's reference on or off (see [`EmulatorOptions::strict`]).
    #[must_use]
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Turns the check of the emulator's own replies on or off (see
    /// [`EmulatorOptions::check_responses`]).
    #[must_use]
    pub fn check_responses(mut self, check: bool) -> Self {
        self.check_responses = check;
        self
    }

    /// Sets the lifetime of file links, in emulated seconds (see
    /// [`EmulatorOptions::file_link_secs`]).
    #[must_use]
    pub fn file_link_secs(mut self, secs: u64) -> Self {
        self.file_link_secs = secs;
        self
    }

    /// Sets the lifetime of issued OAuth access tokens, in emulated seconds (see
    /// [`EmulatorOptions::oauth_token_secs`]).
    #[must_use]
    pub fn oauth_token_secs(mut self, secs: u64) -> Self {
        self.oauth_token_secs = secs;
        self
    }

    /// Sets the device flow's poll interval, in seconds (see
    /// [`EmulatorOptions::oauth_device_interval_secs`]).
    #[must_use]
    pub fn oauth_device_interval_secs(mut self, secs: u64) -> Self {
        self.oauth_device_interval_secs = secs;
        self
    }

    /// Sets the port (0 = ephemeral).
    #[must_use]
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }
}

/// Why the emulator could not start.
#[derive(Debug)]
pub struct StartError(String);

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "heygen emulator failed to start: {}", self.0)
    }
}

impl std::error::Error for StartError {}

/// Entry point.
#[derive(Debug)]
pub struct Emulator;

struct Bound {
    shared: Arc<Shared>,
    addr: SocketAddr,
    other_addr: SocketAddr,
    main: TcpListener,
    other: TcpListener,
    files: TcpListener,
}

async fn bind(opts: &EmulatorOptions) -> Result<Bound, StartError> {
    if !(opts.speed.is_finite() && opts.speed > 0.0) {
        return Err(StartError(format!(
            "speed must be finite and above zero, got {}",
            opts.speed
        )));
    }
    schema::schemas().map_err(StartError)?;
    let main = TcpListener::bind(("127.0.0.1", opts.port))
        .await
        .map_err(|e| StartError(format!("bind 127.0.0.1:{}: {e}", opts.port)))?;
    let other = TcpListener::bind(("127.0.0.1", 0))
        .await
        .map_err(|e| StartError(format!("bind the second origin: {e}")))?;
    let files = TcpListener::bind(("127.0.0.1", 0))
        .await
        .map_err(|e| StartError(format!("bind the file origin: {e}")))?;
    let addr = main.local_addr().map_err(|e| StartError(e.to_string()))?;
    let other_addr = other.local_addr().map_err(|e| StartError(e.to_string()))?;
    let files_addr = files.local_addr().map_err(|e| StartError(e.to_string()))?;
    let base_url = format!("http://127.0.0.1:{}", addr.port());
    let mut state = state::State::new(opts.seed, opts.speed, base_url);
    state.files = files::FileLinks::new(
        format!("http://127.0.0.1:{}", files_addr.port()),
        opts.seed,
        opts.file_link_secs,
    );
    let shared = Arc::new(Shared {
        state: Mutex::new(state),
        faults: Mutex::new(Vec::new()),
        api_key: opts.api_key.clone(),
        access_token: opts.access_token.clone(),
        other_origin_port: other_addr.port(),
        strict: opts.strict,
        check_responses: opts.check_responses,
        violations: Mutex::new(Vec::new()),
        wake: tokio::sync::Notify::new(),
        oauth: Mutex::new(oauth::OAuthServer::new(
            opts.seed,
            opts.oauth_token_secs,
            opts.oauth_device_interval_secs,
        )),
    });
    Ok(Bound {
        shared,
        addr,
        other_addr,
        main,
        other,
        files,
    })
}

async fn serve(b: Bound, shutdown: watch::Receiver<bool>) {
    let main = server::accept_loop(
        b.main,
        server::main_router(b.shared.clone()),
        shutdown.clone(),
    );
    let other = server::accept_loop(
        b.other,
        server::other_router(b.shared.clone()),
        shutdown.clone(),
    );
    let files = server::accept_loop(b.files, files::router(b.shared.clone()), shutdown.clone());
    let webhooks = deliver::run(b.shared, shutdown);
    tokio::join!(main, other, files, webhooks);
}

impl Emulator {
    /// Starts an emulator on its own background thread and Tokio runtime; usable from blocking
    /// and async code alike. It stops when the handle is dropped.
    ///
    /// # Errors
    /// When the options are invalid, the port cannot be bound or the runtime cannot start.
    pub fn start(opts: EmulatorOptions) -> Result<EmulatorHandle, StartError> {
        let (tx, rx) = std::sync::mpsc::channel();
        let (stop, stop_rx) = watch::channel(false);
        let thread = std::thread::Builder::new()
            .name("heygen-emulator".into())
            .spawn(move || {
                let rt = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = tx.send(Err(StartError(format!("tokio runtime: {e}"))));
                        return;
                    }
                };
                rt.block_on(async move {
                    match bind(&opts).await {
                        Ok(b) => {
                            let _ = tx.send(Ok((b.shared.clone(), b.addr, b.other_addr)));
                            serve(b, stop_rx).await;
                        }
                        Err(e) => {
                            let _ = tx.send(Err(e));
                        }
                    }
                });
                // A webhook attempt still waiting for a slow receiver must not hold up the stop.
                rt.shutdown_timeout(Duration::from_millis(100));
            })
            .map_err(|e| StartError(format!("spawn thread: {e}")))?;
        let (shared, addr, other_addr) = rx
            .recv()
            .map_err(|_| StartError("emulator thread ended early".into()))??;
        Ok(EmulatorHandle {
            shared,
            addr,
            other_addr,
            stop,
            thread: Some(thread),
        })
    }

    /// Starts an emulator on the current Tokio runtime. It stops when the handle is dropped.
    ///
    /// # Errors
    /// When the options are invalid or the port cannot be bound.
    pub async fn start_async(opts: EmulatorOptions) -> Result<EmulatorHandle, StartError> {
        let b = bind(&opts).await?;
        let (stop, stop_rx) = watch::channel(false);
        let (shared, addr, other_addr) = (b.shared.clone(), b.addr, b.other_addr);
        tokio::spawn(serve(b, stop_rx));
        Ok(EmulatorHandle {
            shared,
            addr,
            other_addr,
            stop,
            thread: None,
        })
    }
}

/// A running emulator. Dropping it stops the server.
pub struct EmulatorHandle {
    shared: Arc<Shared>,
    addr: SocketAddr,
    other_addr: SocketAddr,
    stop: watch::Sender<bool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for EmulatorHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmulatorHandle")
            .field("base_url", &self.base_url())
            .finish_non_exhaustive()
    }
}

impl EmulatorHandle {
    /// `http://127.0.0.1:<port>`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.addr.port())
    }

    /// The socket address the API listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The API key to send in `X-Api-Key`.
    pub fn api_key(&self) -> &str {
        &self.shared.api_key
    }

    /// The OAuth access token accepted in `Authorization: Bearer`.
    pub fn access_token(&self) -> &str {
        &self.shared.access_token
    }

    /// The second origin that [`Fault::Redirect`] points to (`http://127.0.0.1:<other port>`).
    pub fn other_origin_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.other_addr.port())
    }

    /// Approves the consent of a digital-twin group, as the person in the footage would.
    /// Returns false when the group is unknown or is not a digital twin.
    pub fn approve_consent(&self, group_id: &str) -> bool {
        let done = admin::decide(&self.shared, group_id, true).is_ok();
        self.shared.wake.notify_one();
        done
    }

    /// Declines the consent of a digital-twin group. Returns false when it is not one.
    pub fn decline_consent(&self, group_id: &str) -> bool {
        let done = admin::decide(&self.shared, group_id, false).is_ok();
        self.shared.wake.notify_one();
        done
    }

    /// Enables or disables a webhook endpoint (HeyGen's API has no call for it; a disabled
    /// endpoint gets no deliveries, and its queued retries are dropped). Returns false when the
    /// endpoint is unknown.
    pub fn set_webhook_endpoint_enabled(&self, endpoint_id: &str, enabled: bool) -> bool {
        admin::set_endpoint_enabled(&self.shared, endpoint_id, enabled)
    }

    /// Every webhook delivery attempt so far (endpoints and `callback_url`s), oldest first.
    pub fn webhook_deliveries(&self) -> Vec<DeliveryAttempt> {
        self.shared.lock().deliveries.clone()
    }

    /// Everything the OAuth server did so far (grants, refusals, revocations), oldest first.
    pub fn oauth_events(&self) -> Vec<OAuthEvent> {
        self.shared.lock_oauth().events.clone()
    }

    /// Successful `refresh_token` grants so far.
    pub fn oauth_refreshes(&self) -> usize {
        self.shared
            .lock_oauth()
            .events
            .iter()
            .filter(|e| e.kind == "refresh_token" && e.ok)
            .count()
    }

    /// Approves (or denies) a pending device authorization by its user code, as the person
    /// would on the verification page. False when the code is unknown, used or expired.
    pub fn decide_device(&self, user_code: &str, approve: bool) -> bool {
        let now = self.shared.lock().clock.now_ms();
        self.shared
            .lock_oauth()
            .decide_device(user_code, approve, now)
    }

    /// Changes the lifetime of OAuth access tokens issued from now on, in emulated seconds.
    pub fn set_oauth_token_secs(&self, secs: u64) {
        let ms = i64::try_from(secs.saturating_mul(1000)).unwrap_or(i64::MAX);
        self.shared.lock_oauth().set_token_ms(ms);
    }

    /// Moves the emulated clock forward.
    #[allow(
        clippy::cast_possible_truncation,
        reason = "advances beyond 2^63 ms are not meaningful"
    )]
    pub fn advance(&self, by: Duration) {
        let mut st = self.shared.lock();
        st.clock.advance_ms(by.as_millis() as i64);
        st.refresh();
        drop(st);
        self.shared.wake.notify_one();
    }

    /// Emulated Unix time in seconds.
    pub fn now(&self) -> i64 {
        self.shared.lock().now()
    }

    /// Every API request received so far (admin requests excluded), oldest first.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.shared.lock().log.clone()
    }

    /// The file origin that serves rendered videos (`http://127.0.0.1:<port>`; see
    /// `docs/emulator.md`).
    pub fn files_origin_url(&self) -> String {
        self.shared.lock().files.base_url.clone()
    }

    /// Requests that reached the file origin, oldest first, with their headers (credential
    /// values masked, names kept; `credentials_rejected` is true when one was carried).
    pub fn file_requests(&self) -> Vec<LoggedRequest> {
        self.shared.lock().files.log.clone()
    }

    /// The bytes the file origin serves for a video (`captioned`: its captioned file), or
    /// `None` for an unknown video.
    pub fn rendered_video(&self, video_id: &str, captioned: bool) -> Option<Vec<u8>> {
        let st = self.shared.lock();
        let video = st.videos.get(video_id)?;
        Some(rendered_bytes(video_id, &video.output_format, captioned))
    }

    /// Changes the lifetime of file links signed from now on, in emulated seconds.
    pub fn set_file_link_secs(&self, secs: u64) {
        self.shared.lock().files.lifetime_secs = i64::try_from(secs).unwrap_or(i64::MAX);
    }

    /// Requests that reached the second origin (after a redirect), oldest first.
    pub fn other_origin_requests(&self) -> Vec<LoggedRequest> {
        self.shared.lock().other_origin_log.clone()
    }

    /// Adds a fault rule (after the existing ones).
    pub fn inject(&self, rule: FaultRule) {
        admin::add_rules(&self.shared, vec![rule]);
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        self.shared.lock_faults().clear();
    }

    /// Replies so far that broke their schema (emulator bugs; see
    /// [`EmulatorOptions::check_responses`]), oldest first.
    pub fn schema_violations(&self) -> Vec<String> {
        self.shared.lock_violations().clone()
    }

    /// Forgets all state, logs and faults, as if freshly started with the same options.
    pub fn reset(&self) {
        self.shared.lock().reset();
        self.shared.lock_oauth().reset();
        self.shared.lock_faults().clear();
        self.shared.wake.notify_one();
    }
}

impl Drop for EmulatorHandle {
    /// Stops the server. Panics (unless the thread is already panicking) when a reply broke its
    /// schema, so a test that ignored the 500 still fails.
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        let violations = std::mem::take(&mut *self.shared.lock_violations());
        assert!(
            violations.is_empty() || std::thread::panicking(),
            "heygen-emulator sent {} replies that break the v3 schemas (emulator bugs):\n{}",
            violations.len(),
            violations.join("\n")
        );
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::reply::{Payload, Reply};

    fn body(r: &Reply) -> &Value {
        match &r.payload {
            Payload::Json(v) => v,
            _ => panic!("not JSON"),
        }
    }

    #[test]
    fn replies_are_checked_in_debug_builds_by_default() {
        assert_eq!(
            EmulatorOptions::default().check_responses,
            cfg!(debug_assertions)
        );
        assert!(!EmulatorOptions::default().strict);
    }

    /// A reply that breaks its schema becomes a 500 naming the problem, is recorded, and makes
    /// dropping the handle panic, so a test that never looked at the status still fails.
    #[test]
    fn a_reply_that_breaks_its_schema_is_a_500_and_fails_the_drop() {
        let emu = Emulator::start(EmulatorOptions::default().check_responses(true)).unwrap();
        let good = Reply::json(200, json!({"data": {"id": "v1", "status": "completed"}}));
        let kept = server::self_check(&emu.shared, "GET", "/v3/videos/v1", good);
        assert_eq!(kept.status, 200);
        assert!(emu.schema_violations().is_empty());

        let broken = Reply::json(200, json!({"data": {"id": 5, "status": "completed"}}));
        let r = server::self_check(&emu.shared, "GET", "/v3/videos/v1", broken);
        assert_eq!(r.status, 500);
        assert_eq!(body(&r)["error"]["code"], "emulator_schema_violation");
        let message = body(&r)["error"]["message"].as_str().unwrap().to_owned();
        assert!(
            message.contains("GET /v3/videos/v1") && message.contains("/data/id"),
            "{message}"
        );
        let envelope = Reply::json(404, json!({"detail": "Not Found"}));
        assert_eq!(
            server::self_check(&emu.shared, "GET", "/v3/videos/v1", envelope).status,
            500
        );
        assert_eq!(emu.schema_violations().len(), 2);

        let dropped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(emu)));
        let payload = dropped.unwrap_err();
        let text = payload
            .downcast_ref::<String>()
            .cloned()
            .unwrap_or_default();
        assert!(
            text.contains("2 replies that break the v3 schemas") && text.contains("/data/id"),
            "{text}"
        );
    }
}
