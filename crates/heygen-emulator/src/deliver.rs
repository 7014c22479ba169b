//! Sends webhook deliveries: a ticker that wakes when the next state change or queued attempt is
//! due (or when a request or the handle pokes it), and one task per attempt.
//!
//! An attempt is one `POST` over a fresh loopback connection (plain HTTP, or TLS for `https://`
//! URLs, where the receiver's certificate is not checked: it is a local test server). It runs on
//! the blocking pool so that it never holds up the API; it reads the receiver's status line and
//! nothing more. A non-2xx answer, a timeout or a connection error queues the same event again
//! after an exponential backoff on the emulated clock (so `--speed` and
//! [`advance`](crate::EmulatorHandle::advance) shorten it), up to
//! [`MAX_DELIVERY_ATTEMPTS`] attempts.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use tokio::sync::watch;

use crate::shared::Shared;
use crate::state::httpdate_now_secs;
use crate::webhook::{
    self, Attempt, DELIVERY_TIMEOUT_SECS, DeliveryAttempt, LoopbackUrl, MAX_DELIVERY_ATTEMPTS,
    Target,
};

/// The longest the ticker sleeps when nothing is due (a poke wakes it sooner).
const IDLE: Duration = Duration::from_hours(1);
/// The shortest real time an attempt may take before it counts as timed out.
const MIN_TIMEOUT: Duration = Duration::from_secs(1);
/// The most bytes of a receiver's answer read while looking for its status line.
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// Runs the ticker until `shutdown` flips.
pub(crate) async fn run(sh: Arc<Shared>, mut shutdown: watch::Receiver<bool>) {
    loop {
        let (due, wait) = {
            let mut st = sh.lock();
            st.refresh();
            let due = st.take_due_attempts();
            let now_ms = st.clock.now_ms();
            let speed = st.clock.speed();
            let wait = st
                .next_wakeup_ms()
                .map_or(IDLE, |at| real_wait(at - now_ms, speed));
            (due, wait)
        };
        for a in due {
            tokio::spawn(attempt(Arc::clone(&sh), a));
        }
        tokio::select! {
            () = sh.wake.notified() => {}
            () = tokio::time::sleep(wait) => {}
            _ = shutdown.changed() => return,
        }
    }
}

/// Real time until `ms` emulated milliseconds have passed (at least 1 ms, at most [`IDLE`]).
fn real_wait(ms: i64, speed: f64) -> Duration {
    if ms <= 0 {
        return Duration::from_millis(1);
    }
    #[allow(
        clippy::cast_precision_loss,
        reason = "waits far below 2^52 ms are exact"
    )]
    let secs = ms as f64 / 1000.0 / speed;
    Duration::try_from_secs_f64(secs)
        .unwrap_or(IDLE)
        .min(IDLE)
        .saturating_add(Duration::from_millis(1))
}

/// Real time an attempt may take: [`DELIVERY_TIMEOUT_SECS`] emulated seconds, at least
/// [`MIN_TIMEOUT`].
fn attempt_timeout(speed: f64) -> Duration {
    #[allow(clippy::cast_precision_loss, reason = "a small constant")]
    let secs = DELIVERY_TIMEOUT_SECS as f64 / speed;
    Duration::try_from_secs_f64(secs)
        .unwrap_or(MIN_TIMEOUT)
        .max(MIN_TIMEOUT)
}

/// Where an attempt goes now: the URL, the secret to sign with (endpoints only) and the
/// endpoint id. `None` when the attempt is stale (a reset) or its endpoint was deleted or
/// disabled since.
fn resolve(sh: &Shared, a: &Attempt) -> Option<(String, Option<String>, Option<String>, f64)> {
    let st = sh.lock();
    if st.epoch != a.epoch {
        return None;
    }
    let speed = st.clock.speed();
    match &a.target {
        Target::Endpoint(id) => {
            let e = st.endpoints.get(id).filter(|e| e.enabled)?;
            Some((
                e.url.clone(),
                Some(e.secret.clone()),
                Some(id.clone()),
                speed,
            ))
        }
        Target::Callback(url) => Some((url.clone(), None, None, speed)),
    }
}

/// Makes one attempt and records it; queues the next one after a failure.
async fn attempt(sh: Arc<Shared>, a: Attempt) {
    let Some((url, secret, endpoint_id, speed)) = resolve(&sh, &a) else {
        return;
    };
    let timestamp = httpdate_now_secs();
    let mut headers = vec![
        ("Content-Type", "application/json".to_owned()),
        ("Heygen-Timestamp", timestamp.to_string()),
        ("Heygen-Event-Id", a.event_id.clone()),
    ];
    if let Some(secret) = &secret {
        headers.push(("Heygen-Signature", webhook::sign(secret, &a.body)));
    }
    let outcome = match webhook::parse_loopback_url(&url) {
        Ok(target) => {
            let body = a.body.clone();
            let timeout = attempt_timeout(speed);
            tokio::task::spawn_blocking(move || post(&target, &headers, &body, timeout))
                .await
                .unwrap_or_else(|e| Err(format!("the delivery task failed: {e}")))
        }
        Err(why) => Err(why.to_owned()),
    };
    let delivered = matches!(outcome, Ok(status) if (200..300).contains(&status));
    let will_retry = !delivered && a.number < MAX_DELIVERY_ATTEMPTS;
    {
        let mut st = sh.lock();
        if st.epoch != a.epoch {
            return;
        }
        let (status, error) = match outcome {
            Ok(s) => (Some(s), None),
            Err(e) => (None, Some(e)),
        };
        st.deliveries.push(DeliveryAttempt {
            event_id: a.event_id.clone(),
            event_type: a.event_type.to_owned(),
            endpoint_id,
            url,
            attempt: a.number,
            signed: secret.is_some(),
            timestamp,
            status,
            error,
            delivered,
            will_retry,
        });
        if will_retry {
            let due_ms = st.clock.now_ms() + webhook::backoff_ms(a.number);
            st.outbox.push(Attempt {
                due_ms,
                number: a.number + 1,
                ..a
            });
        }
    }
    if will_retry {
        sh.wake.notify_one();
    }
}

/// Posts `body` to `url` over a fresh connection and returns the receiver's status, or why
/// there is none (`timeout`, a connection error).
fn post(
    url: &LoopbackUrl,
    headers: &[(&str, String)],
    body: &[u8],
    timeout: Duration,
) -> Result<u16, String> {
    use std::fmt::Write as _;
    let deadline = Instant::now() + timeout;
    let mut head = format!(
        "POST {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: heygen-emulator\r\nContent-Length: {}\r\nConnection: close\r\n",
        url.path,
        url.authority(),
        body.len()
    );
    for (k, v) in headers {
        let _ = write!(head, "{k}: {v}\r\n");
    }
    head.push_str("\r\n");
    let mut last = String::from("no address to connect to");
    let mut tcp = None;
    for addr in url.addrs() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err("timeout".into());
        }
        match TcpStream::connect_timeout(&addr, left) {
            Ok(s) => {
                tcp = Some(s);
                break;
            }
            Err(e) => last = io_error("connect", &e),
        }
    }
    let tcp = tcp.ok_or(last)?;
    let _ = tcp.set_nodelay(true);
    let clock = tcp.try_clone().map_err(|e| io_error("connect", &e))?;
    if url.https {
        let name = rustls::pki_types::ServerName::try_from(
            url.host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned(),
        )
        .map_err(|e| format!("tls: {e}"))?;
        let conn =
            rustls::ClientConnection::new(tls_config()?, name).map_err(|e| format!("tls: {e}"))?;
        let mut tls = rustls::StreamOwned::new(conn, tcp);
        exchange(&mut tls, &clock, head.as_bytes(), body, deadline)
    } else {
        let mut plain = tcp;
        exchange(&mut plain, &clock, head.as_bytes(), body, deadline)
    }
}

/// Writes the request and reads answers until a final (non-1xx) status line.
fn exchange<S: Read + Write>(
    s: &mut S,
    clock: &TcpStream,
    head: &[u8],
    body: &[u8],
    deadline: Instant,
) -> Result<u16, String> {
    let budget = |what: &str| {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err("timeout".to_owned());
        }
        clock
            .set_read_timeout(Some(left))
            .and_then(|()| clock.set_write_timeout(Some(left)))
            .map_err(|e| io_error(what, &e))
    };
    budget("send")?;
    s.write_all(head)
        .and_then(|()| s.write_all(body))
        .and_then(|()| s.flush())
        .map_err(|e| io_error("send", &e))?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let status = status_of(&buf[..end])?;
            if status >= 200 {
                return Ok(status);
            }
            buf.drain(..end + 4);
        }
        if buf.len() > MAX_HEAD_BYTES {
            return Err("the receiver's answer has no end of headers".into());
        }
        budget("receive")?;
        let n = s.read(&mut chunk).map_err(|e| io_error("receive", &e))?;
        if n == 0 {
            return Err("the receiver closed the connection without answering".into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// The status of an HTTP/1.x response head (`HTTP/1.1 200 OK`).
fn status_of(head: &[u8]) -> Result<u16, String> {
    let line = head.split(|b| *b == b'\n').next().unwrap_or_default();
    let text = String::from_utf8_lossy(line);
    let mut parts = text.split_whitespace();
    match (parts.next(), parts.next().map(str::parse::<u16>)) {
        (Some(v), Some(Ok(status))) if v.starts_with("HTTP/1.") && (100..600).contains(&status) => {
            Ok(status)
        }
        _ => Err("the receiver did not answer with HTTP/1.x".into()),
    }
}

fn io_error(what: &str, e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::TimedOut | K::WouldBlock => "timeout".into(),
        K::ConnectionRefused => format!("{what}: connection refused"),
        _ => format!("{what}: {e}"),
    }
}

/// TLS for `https://` loopback receivers: any certificate is accepted (the receiver is a local
/// test server with a certificate no public root signs); signatures are still checked.
fn tls_config() -> Result<Arc<rustls::ClientConfig>, String> {
    static CONFIG: OnceLock<Result<Arc<rustls::ClientConfig>, String>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let config = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
                .with_safe_default_protocol_versions()
                .map_err(|e| format!("tls: {e}"))?
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(LocalReceiver(provider)))
                .with_no_client_auth();
            Ok(Arc::new(config))
        })
        .clone()
}

/// Trusts the certificate of a loopback receiver.
#[derive(Debug)]
struct LocalReceiver(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for LocalReceiver {
    fn verify_server_cert(
        &self,
        _end_entity: &rustls::pki_types::CertificateDer<'_>,
        _intermediates: &[rustls::pki_types::CertificateDer<'_>],
        _server_name: &rustls::pki_types::ServerName<'_>,
        _ocsp_response: &[u8],
        _now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_follow_the_clock_speed() {
        assert_eq!(real_wait(-5, 1.0), Duration::from_millis(1));
        assert_eq!(real_wait(5000, 1.0), Duration::from_millis(5001));
        assert_eq!(real_wait(5000, 10.0), Duration::from_millis(501));
        assert_eq!(real_wait(i64::MAX, 1e-9), IDLE + Duration::from_millis(1));
        assert_eq!(attempt_timeout(1.0), Duration::from_secs(10));
        assert_eq!(attempt_timeout(1000.0), MIN_TIMEOUT);
    }

    #[test]
    fn status_lines() {
        assert_eq!(status_of(b"HTTP/1.1 204 No Content\r\nA: b"), Ok(204));
        assert_eq!(status_of(b"HTTP/1.0 500"), Ok(500));
        assert!(status_of(b"SSH-2.0-OpenSSH").is_err());
        assert!(status_of(b"HTTP/1.1 abc").is_err());
        assert!(status_of(b"HTTP/1.1 999 x").is_err());
        assert!(status_of(b"").is_err());
    }
}
