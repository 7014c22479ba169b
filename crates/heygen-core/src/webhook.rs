//! Receiving webhooks: verifying a delivery's signature over its raw body bytes, then decoding it.
//!
//! HeyGen signs each delivery with HMAC-SHA256 over the **exact bytes of the body**, keyed with
//! the endpoint's whole secret string (`whsec_…` as UTF-8), and sends the lowercase hex digest in
//! `Heygen-Signature` (some deliveries use a plain `Signature` header). `Heygen-Timestamp` (Unix
//! seconds) is not signed; when present it must be recent. `Heygen-Event-Id` is the key to drop
//! redeliveries with. So a receiver must keep the raw bytes: re-serializing a parsed body changes
//! them (spaces, key order, escapes) and the signature no longer matches.
//!
//! ```
//! use std::time::{Duration, SystemTime};
//! use heygen_core::webhook::{sign, Verifier};
//! use heygen_core::model::webhook::{WebhookEvent, WebhookSecret};
//!
//! let secret = WebhookSecret::new("whsec_TEST")?;
//! let body = br#"{"event_type": "avatar_video.success", "event_data": {"video_id": "vid_0001"}}"#;
//! let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_764_400_000);
//!
//! let mut headers = http::HeaderMap::new();
//! headers.insert("heygen-signature", sign(body, &secret).parse()?);
//! headers.insert("heygen-timestamp", "1764399990".parse()?);
//!
//! let verified = Verifier::new(secret).verify(&headers, body, now)?;
//! assert_eq!(verified.delivery.event.video_id(), Some("vid_0001"));
//! assert!(matches!(verified.delivery.event, WebhookEvent::VideoSucceeded(_)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::fmt;
use core::time::Duration;
use std::time::SystemTime;

use heygen_model::webhook::{WebhookDelivery, WebhookSecret};
use hmac::{Hmac, Mac};
use http::HeaderMap;
use sha2::Sha256;

/// The header HeyGen documents for the signature: lowercase hex of HMAC-SHA256(secret, body).
pub const SIGNATURE_HEADER: &str = "heygen-signature";
/// The signature header some deliveries carry instead (read when [`SIGNATURE_HEADER`] is absent).
pub const FALLBACK_SIGNATURE_HEADER: &str = "signature";
/// The header with the dispatch time, Unix seconds (not covered by the signature).
pub const TIMESTAMP_HEADER: &str = "heygen-timestamp";
/// The header with the event id, the key for dropping redeliveries.
pub const EVENT_ID_HEADER: &str = "heygen-event-id";
/// The default tolerance between a delivery's timestamp and the receiver's clock (300 s).
pub const DEFAULT_TOLERANCE: Duration = Duration::from_mins(5);

/// Why a delivery was refused. Messages name what failed; none contains a secret, the body or the
/// expected signature.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// No `Heygen-Signature` or `Signature` header.
    MissingSignature,
    /// The signature header is not 64 hex characters (after an optional `sha256=` prefix).
    MalformedSignature,
    /// The signature does not match the body under any of the secrets.
    SignatureMismatch,
    /// Strict mode, and no `Heygen-Timestamp` header.
    MissingTimestamp,
    /// `Heygen-Timestamp` is not a whole number of Unix seconds.
    MalformedTimestamp,
    /// The timestamp is older than the tolerance allows.
    StaleTimestamp {
        /// How old the delivery is, in seconds.
        age_secs: u64,
        /// The tolerance, in seconds.
        tolerance_secs: u64,
    },
    /// The timestamp is further in the future than the tolerance allows.
    FutureTimestamp {
        /// How far ahead it is, in seconds.
        ahead_secs: u64,
        /// The tolerance, in seconds.
        tolerance_secs: u64,
    },
    /// The signature is valid but the body is not a webhook delivery
    /// (`{event_type, event_data, …}`); the text says why, without the body.
    InvalidPayload(String),
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingSignature => {
                f.write_str("the delivery has no Heygen-Signature (or Signature) header")
            }
            Self::MalformedSignature => {
                f.write_str("the signature header is not a 64-character hex HMAC-SHA256")
            }
            Self::SignatureMismatch => {
                f.write_str("the signature does not match the body under any configured secret")
            }
            Self::MissingTimestamp => {
                f.write_str("the delivery has no Heygen-Timestamp header (strict mode)")
            }
            Self::MalformedTimestamp => {
                f.write_str("the Heygen-Timestamp header is not Unix seconds")
            }
            Self::StaleTimestamp {
                age_secs,
                tolerance_secs,
            } => write!(
                f,
                "the delivery is {age_secs} s old, more than the {tolerance_secs} s tolerance"
            ),
            Self::FutureTimestamp {
                ahead_secs,
                tolerance_secs,
            } => write!(
                f,
                "the delivery is dated {ahead_secs} s in the future, more than the \
                 {tolerance_secs} s tolerance"
            ),
            Self::InvalidPayload(why) => write!(f, "the signed body is not a webhook event: {why}"),
        }
    }
}

impl std::error::Error for WebhookError {}

impl WebhookError {
    /// A short stable name for the failure (`missing_signature`, `signature_mismatch`, …), for
    /// logs and JSON output.
    pub fn code(&self) -> &'static str {
        match self {
            Self::MissingSignature => "missing_signature",
            Self::MalformedSignature => "malformed_signature",
            Self::SignatureMismatch => "signature_mismatch",
            Self::MissingTimestamp => "missing_timestamp",
            Self::MalformedTimestamp => "malformed_timestamp",
            Self::StaleTimestamp { .. } => "stale_timestamp",
            Self::FutureTimestamp { .. } => "future_timestamp",
            Self::InvalidPayload(_) => "invalid_payload",
        }
    }
}

/// A delivery whose signature held, decoded.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct VerifiedEvent {
    /// The event id: the body's (signed) `event_id`, else `Heygen-Event-Id`, when either is
    /// present.
    pub event_id: Option<String>,
    /// SHA-256 of the raw body, lowercase hex.
    pub body_sha256: String,
    /// `Heygen-Timestamp`, Unix seconds, when sent.
    pub timestamp: Option<u64>,
    /// The decoded body.
    pub delivery: WebhookDelivery,
}

impl VerifiedEvent {
    /// The key to drop redeliveries by: the body's signed `event_id` when it has one, else the
    /// digest of the exact body (a redelivery sends the same bytes), so a replay cannot pass as
    /// new by changing the unsigned `Heygen-Event-Id` header.
    pub fn replay_key(&self) -> &str {
        self.delivery
            .event_id
            .as_deref()
            .unwrap_or(&self.body_sha256)
    }
}

/// Checks deliveries against one or more secrets (several during a rotation on the receiver's
/// side), with a timestamp tolerance and an optional strict mode.
#[derive(Clone)]
pub struct Verifier {
    secrets: Vec<WebhookSecret>,
    tolerance: Duration,
    require_timestamp: bool,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("secrets", &self.secrets.len())
            .field("tolerance", &self.tolerance)
            .field("require_timestamp", &self.require_timestamp)
            .finish()
    }
}

impl Verifier {
    /// A verifier for one secret, with the default tolerance (300 s) and a missing timestamp
    /// accepted.
    pub fn new(secret: WebhookSecret) -> Self {
        Self {
            secrets: vec![secret],
            tolerance: DEFAULT_TOLERANCE,
            require_timestamp: false,
        }
    }

    /// A verifier accepting a signature made with any of `secrets` (for example the old and the
    /// new secret while a receiver is being switched over). `None` when `secrets` is empty.
    pub fn with_secrets(secrets: impl IntoIterator<Item = WebhookSecret>) -> Option<Self> {
        let secrets: Vec<_> = secrets.into_iter().collect();
        if secrets.is_empty() {
            return None;
        }
        Some(Self {
            secrets,
            tolerance: DEFAULT_TOLERANCE,
            require_timestamp: false,
        })
    }

    /// The largest allowed distance between `Heygen-Timestamp` and the clock, either way.
    #[must_use]
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Refuses deliveries without `Heygen-Timestamp` (off by default: some deliveries carry
    /// none).
    #[must_use]
    pub fn require_timestamp(mut self, strict: bool) -> Self {
        self.require_timestamp = strict;
        self
    }

    /// Verifies one delivery from its headers and **raw** body bytes, at `now` (the receiver's
    /// clock, passed in). The signature is checked first, in constant time against each secret;
    /// then the timestamp; then the body is decoded.
    ///
    /// # Errors
    /// A [`WebhookError`] naming what failed.
    pub fn verify(
        &self,
        headers: &HeaderMap,
        raw_body: &[u8],
        now: SystemTime,
    ) -> Result<VerifiedEvent, WebhookError> {
        let signature = headers
            .get(SIGNATURE_HEADER)
            .or_else(|| headers.get(FALLBACK_SIGNATURE_HEADER))
            .ok_or(WebhookError::MissingSignature)?;
        let signature = decode_signature(signature.as_bytes())?;
        let matched = self.secrets.iter().fold(false, |found, secret| {
            found | mac(secret, raw_body).verify_slice(&signature).is_ok()
        });
        if !matched {
            return Err(WebhookError::SignatureMismatch);
        }
        let timestamp = match headers.get(TIMESTAMP_HEADER) {
            Some(value) => Some(parse_timestamp(value.as_bytes())?),
            None if self.require_timestamp => return Err(WebhookError::MissingTimestamp),
            None => None,
        };
        if let Some(sent) = timestamp {
            self.check_freshness(sent, now)?;
        }
        let delivery: WebhookDelivery = serde_json::from_slice(raw_body)
            .map_err(|e| WebhookError::InvalidPayload(payload_error(&e)))?;
        // The body's id is signed; the header is not, so it only stands in when the body has
        // none (a replayed delivery cannot pick a fresh id that way).
        let event_id = delivery.event_id.clone().or_else(|| {
            headers
                .get(EVENT_ID_HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|id| !id.is_empty())
                .map(str::to_owned)
        });
        let body_sha256 = {
            use sha2::Digest as _;
            let digest = Sha256::digest(raw_body);
            let mut hex = String::with_capacity(64);
            for byte in digest {
                hex.push(char::from(HEX[usize::from(byte >> 4)]));
                hex.push(char::from(HEX[usize::from(byte & 0x0f)]));
            }
            hex
        };
        Ok(VerifiedEvent {
            event_id,
            body_sha256,
            timestamp,
            delivery,
        })
    }

    fn check_freshness(&self, sent: u64, now: SystemTime) -> Result<(), WebhookError> {
        let tolerance_secs = self.tolerance.as_secs();
        let now = now
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        if sent <= now {
            let age_secs = now - sent;
            if age_secs > tolerance_secs {
                return Err(WebhookError::StaleTimestamp {
                    age_secs,
                    tolerance_secs,
                });
            }
        } else {
            let ahead_secs = sent - now;
            if ahead_secs > tolerance_secs {
                return Err(WebhookError::FutureTimestamp {
                    ahead_secs,
                    tolerance_secs,
                });
            }
        }
        Ok(())
    }
}

/// Verifies one delivery with one secret and the default settings (see [`Verifier::verify`]).
///
/// # Errors
/// A [`WebhookError`] naming what failed.
pub fn verify(
    headers: &HeaderMap,
    raw_body: &[u8],
    secret: &WebhookSecret,
    now: SystemTime,
) -> Result<VerifiedEvent, WebhookError> {
    Verifier::new(secret.clone()).verify(headers, raw_body, now)
}

/// The signature HeyGen would send for `raw_body` under `secret`: lowercase hex of
/// HMAC-SHA256. For tests of receivers, and for the emulator's deliveries.
pub fn sign(raw_body: &[u8], secret: &WebhookSecret) -> String {
    let digest = mac(secret, raw_body).finalize().into_bytes();
    let mut out = String::with_capacity(digest.len() * 2);
    for byte in digest {
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn mac(secret: &WebhookSecret, body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.expose().as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(body);
    mac
}

/// 32 bytes from 64 hex digits of either case, after an optional `sha256=` prefix and
/// surrounding whitespace.
fn decode_signature(value: &[u8]) -> Result<[u8; 32], WebhookError> {
    let text = value.trim_ascii();
    let text = text
        .strip_prefix(b"sha256=")
        .or_else(|| text.strip_prefix(b"SHA256="))
        .unwrap_or(text);
    if text.len() != 64 {
        return Err(WebhookError::MalformedSignature);
    }
    let mut out = [0u8; 32];
    for (byte, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
        let (Some(high), Some(low)) = (nibble(pair[0]), nibble(pair[1])) else {
            return Err(WebhookError::MalformedSignature);
        };
        *byte = (high << 4) | low;
    }
    Ok(out)
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

fn parse_timestamp(value: &[u8]) -> Result<u64, WebhookError> {
    let text = value.trim_ascii();
    if text.is_empty() || text.len() > 20 || !text.iter().all(u8::is_ascii_digit) {
        return Err(WebhookError::MalformedTimestamp);
    }
    core::str::from_utf8(text)
        .ok()
        .and_then(|t| t.parse().ok())
        .ok_or(WebhookError::MalformedTimestamp)
}

/// What is wrong with the body, without any part of it: serde's data errors quote values (a
/// secret in the body would show), so only the category and position are kept.
fn payload_error(error: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match error.classify() {
        Category::Syntax | Category::Eof | Category::Io => "not JSON",
        Category::Data => {
            "not a webhook event (`event_type` missing, or `event_data` not in its type's shape)"
        }
    };
    format!("{what} (line {}, column {})", error.line(), error.column())
}
