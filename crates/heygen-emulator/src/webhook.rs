//! Webhooks without the network: the event types, registered endpoints, emitted events, the
//! queue of delivery attempts, the loopback URL rule, signatures and ISO 8601 dates.
//!
//! A bottom layer like `state` (which keeps these values): it depends on no other module of the
//! emulator. `deliver` sends what the queue holds.

use bytes::Bytes;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

/// Every event type `HeyGen`'s reference lists, with a short description of our own.
pub(crate) const EVENT_TYPES: [(&str, &str); 30] = [
    (
        "avatar_video.success",
        "An avatar video finished rendering.",
    ),
    ("avatar_video.fail", "An avatar video failed to render."),
    ("avatar_video_gif.success", "The GIF of a video is ready."),
    (
        "avatar_video_gif.fail",
        "The GIF of a video could not be made.",
    ),
    ("video_translate.success", "A video translation finished."),
    ("video_translate.fail", "A video translation failed."),
    (
        "video_translate.preflight.validation_failed",
        "A video translation was refused by its input checks.",
    ),
    (
        "video_translate.preflight.download_failed",
        "The source video of a translation could not be downloaded.",
    ),
    (
        "personalized_video",
        "A personalized video project changed state.",
    ),
    (
        "instant_avatar.success",
        "A digital twin (instant avatar) finished training.",
    ),
    (
        "instant_avatar.fail",
        "A digital twin (instant avatar) failed.",
    ),
    (
        "photo_avatar_generation.success",
        "A photo avatar was generated from a prompt.",
    ),
    (
        "photo_avatar_generation.fail",
        "Generating a photo avatar from a prompt failed.",
    ),
    (
        "photo_avatar_train.success",
        "A photo avatar finished training.",
    ),
    ("photo_avatar_train.fail", "A photo avatar failed to train."),
    (
        "photo_avatar_add_motion.success",
        "Motion was added to a photo avatar.",
    ),
    (
        "photo_avatar_add_motion.fail",
        "Adding motion to a photo avatar failed.",
    ),
    ("proofread_creation.success", "A proofread was created."),
    ("proofread_creation.fail", "Creating a proofread failed."),
    ("live_avatar.success", "A live avatar is ready."),
    ("live_avatar.fail", "A live avatar failed."),
    (
        "avatar_video_caption.success",
        "The captions of a video are ready.",
    ),
    ("avatar_video_caption.fail", "Captioning a video failed."),
    ("video_agent.success", "A video agent finished its video."),
    ("video_agent.fail", "A video agent failed."),
    (
        "hyperframes_video.success",
        "A Hyperframes video finished rendering.",
    ),
    (
        "hyperframes_video.fail",
        "A Hyperframes video failed to render.",
    ),
    ("ai_clipping.success", "AI clipping finished."),
    ("ai_clipping.fail", "AI clipping failed."),
    ("batch.finished", "A batch of jobs finished."),
];

/// The prefix of a signing secret.
pub(crate) const SECRET_PREFIX: &str = "whsec_";
/// Most attempts at one delivery (the first one included).
pub const MAX_DELIVERY_ATTEMPTS: u32 = 6;
/// Emulated seconds before the first retry; each later one waits twice as long as the one
/// before (5, 10, 20, 40, 80).
pub const FIRST_RETRY_SECS: i64 = 5;
/// Emulated seconds a receiver has to answer an attempt.
pub const DELIVERY_TIMEOUT_SECS: u64 = 10;

/// A registered webhook endpoint.
#[derive(Debug, Clone)]
pub(crate) struct WebhookEndpoint {
    pub(crate) id: String,
    pub(crate) seq: u64,
    pub(crate) url: String,
    /// `None`: every event type.
    pub(crate) events: Option<Vec<String>>,
    /// Only events about this entity, when set.
    pub(crate) entity_id: Option<String>,
    pub(crate) enabled: bool,
    pub(crate) secret: String,
    /// Emulated Unix seconds.
    pub(crate) created_at: i64,
}

impl WebhookEndpoint {
    /// The endpoint as the API shows it; the secret only when `with_secret` (create).
    pub(crate) fn json(&self, with_secret: bool) -> Value {
        let mut v = json!({
            "endpoint_id": self.id,
            "url": self.url,
            "status": if self.enabled { "enabled" } else { "disabled" },
            "events": self.events,
            "created_at": iso8601(self.created_at),
        });
        if with_secret {
            v["secret"] = Value::String(self.secret.clone());
        }
        v
    }

    /// Whether a new event goes to this endpoint: enabled, subscribed to its type, and (when the
    /// endpoint is scoped) about its entity.
    pub(crate) fn wants(&self, e: &Event) -> bool {
        self.enabled
            && self
                .events
                .as_ref()
                .is_none_or(|list| list.iter().any(|t| t == e.kind))
            && self.entity_id.as_ref().is_none_or(|id| e.is_about(id))
    }
}

/// One emitted event, kept for `GET /v3/webhooks/events`.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    pub(crate) id: String,
    pub(crate) seq: u64,
    /// The event type (`avatar_video.success`, …).
    pub(crate) kind: &'static str,
    pub(crate) data: Value,
    /// Emulated Unix seconds of the state change.
    pub(crate) created_at: i64,
    /// The ids the event is about (video id; look id and group id), for `entity_id`.
    pub(crate) entities: Vec<String>,
}

impl Event {
    /// `{event_id, event_type, event_data, created_at}`: a delivery's body and a list item.
    pub(crate) fn json(&self) -> Value {
        json!({
            "event_id": self.id,
            "event_type": self.kind,
            "event_data": self.data,
            "created_at": iso8601(self.created_at),
        })
    }

    pub(crate) fn is_about(&self, entity_id: &str) -> bool {
        self.entities.iter().any(|e| e == entity_id)
    }
}

/// Where an attempt goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// A registered endpoint (its current URL and secret are read at each attempt).
    Endpoint(String),
    /// A video's `callback_url` (unsigned).
    Callback(String),
}

/// One attempt at delivering an event, waiting in the queue until `due_ms`.
#[derive(Debug, Clone)]
pub(crate) struct Attempt {
    /// Emulated Unix milliseconds.
    pub(crate) due_ms: i64,
    /// The state generation it belongs to (a reset drops older attempts).
    pub(crate) epoch: u64,
    pub(crate) event_id: String,
    pub(crate) event_type: &'static str,
    /// The exact body; every attempt sends the same bytes.
    pub(crate) body: Bytes,
    pub(crate) target: Target,
    /// 1 for the first attempt.
    pub(crate) number: u32,
}

/// Emulated milliseconds to wait after failed attempt `number` (1-based).
pub(crate) fn backoff_ms(number: u32) -> i64 {
    FIRST_RETRY_SECS * 1000 * (1i64 << number.saturating_sub(1).min(20))
}

/// One delivery attempt as the admin API reports it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct DeliveryAttempt {
    /// The event id (also sent as `Heygen-Event-Id`).
    pub event_id: String,
    /// The event type.
    pub event_type: String,
    /// The endpoint, or `None` for a video's `callback_url`.
    pub endpoint_id: Option<String>,
    /// The URL posted to.
    pub url: String,
    /// 1 for the first attempt, 2 for the first retry, …
    pub attempt: u32,
    /// Whether it carried `Heygen-Signature` (endpoints yes, `callback_url` no).
    pub signed: bool,
    /// The `Heygen-Timestamp` sent: real Unix seconds.
    pub timestamp: i64,
    /// The receiver's HTTP status, when it answered.
    pub status: Option<u16>,
    /// Why there was no answer (`timeout`, a connection error), when there was none.
    pub error: Option<String>,
    /// Whether the receiver answered 2xx.
    pub delivered: bool,
    /// Whether another attempt was queued after this one.
    pub will_retry: bool,
}

/// A URL the emulator may post to: loopback only, never the internet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LoopbackUrl {
    pub(crate) https: bool,
    /// The host as written (`127.0.0.1`, `localhost`, `[::1]`), for `Host` and TLS.
    pub(crate) host: String,
    pub(crate) port: u16,
    /// Path and query (`/` when empty), without the fragment.
    pub(crate) path: String,
}

impl LoopbackUrl {
    /// The addresses to connect to, in order.
    pub(crate) fn addrs(&self) -> Vec<std::net::SocketAddr> {
        use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
        let bare = self.host.trim_start_matches('[').trim_end_matches(']');
        match bare.parse::<IpAddr>() {
            Ok(ip) => vec![SocketAddr::new(ip, self.port)],
            Err(_) => vec![
                SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), self.port),
                SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), self.port),
            ],
        }
    }

    /// `host:port` for the `Host` header.
    pub(crate) fn authority(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

/// Parses an `http(s)://` URL whose host is a loopback address (`127.0.0.0/8`, `localhost`,
/// `[::1]`). The message says what is wrong otherwise.
pub(crate) fn parse_loopback_url(u: &str) -> Result<LoopbackUrl, &'static str> {
    const ONLY: &str = "the emulator delivers webhooks to loopback URLs only \
                        (http(s)://127.0.0.1, localhost or [::1]); it never calls the internet";
    if u.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("the URL must not contain spaces or control characters");
    }
    let lower = u.get(..8).unwrap_or(u).to_ascii_lowercase();
    let (https, rest) = if lower.starts_with("https://") {
        (true, &u[8..])
    } else if lower.starts_with("http://") {
        (false, &u[7..])
    } else {
        return Err("the URL must be an absolute http:// or https:// URL");
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    if authority.contains('@') {
        return Err("the URL must not carry user information (`user@`)");
    }
    let (host, port) = if let Some(after) = authority.strip_prefix('[') {
        let close = after
            .find(']')
            .ok_or("the URL has an unclosed `[` in its host")?;
        let host = &authority[..close + 2];
        (host, &after[close + 1..])
    } else {
        match authority.find(':') {
            Some(i) => (&authority[..i], &authority[i..]),
            None => (authority, ""),
        }
    };
    let port = match port {
        "" => {
            if https {
                443
            } else {
                80
            }
        }
        p => p
            .strip_prefix(':')
            .and_then(|p| p.parse::<u16>().ok())
            .filter(|p| *p != 0)
            .ok_or("the URL's port must be a number from 1 to 65535")?,
    };
    if host.is_empty() {
        return Err("the URL has no host");
    }
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = host.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback() && (ip.is_ipv4() != host.starts_with('[')));
    if !loopback {
        return Err(ONLY);
    }
    let path = tail.split('#').next().unwrap_or_default();
    let path = if path.is_empty() {
        "/".to_owned()
    } else if path.starts_with('?') {
        format!("/{path}")
    } else {
        path.to_owned()
    };
    Ok(LoopbackUrl {
        https,
        host: host.to_ascii_lowercase(),
        port,
        path,
    })
}

/// Lowercase hex HMAC-SHA256 of `body`, keyed with the secret's UTF-8 bytes (the whole string).
pub(crate) fn sign(secret: &str, body: &[u8]) -> String {
    use std::fmt::Write as _;
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        // HMAC takes a key of any length; this branch cannot be reached.
        return String::new();
    };
    mac.update(body);
    let mut out = String::with_capacity(64);
    for b in mac.finalize().into_bytes() {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// `YYYY-MM-DDTHH:MM:SSZ` for Unix seconds (UTC).
pub(crate) fn iso8601(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_iso_8601_utc() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(1_780_000_000), "2026-05-28T20:26:40Z");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso8601(4_107_542_399), "2100-02-28T23:59:59Z");
        assert_eq!(iso8601(-1), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn signatures_are_hex_hmac_sha256_keyed_with_the_whole_secret() {
        // RFC 4231, test case 2.
        assert_eq!(
            sign("Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_ne!(sign("whsec_a", b"{}"), sign("whsec_b", b"{}"));
    }

    #[test]
    fn only_loopback_urls_parse() {
        let u = parse_loopback_url("http://127.0.0.1:8080/hooks?x=1#frag").unwrap();
        assert_eq!(
            (u.https, u.host.as_str(), u.port, u.path.as_str()),
            (false, "127.0.0.1", 8080, "/hooks?x=1")
        );
        let u = parse_loopback_url("HTTPS://LocalHost").unwrap();
        assert_eq!((u.https, u.port, u.path.as_str()), (true, 443, "/"));
        assert_eq!(u.addrs().len(), 2);
        let u = parse_loopback_url("http://[::1]:9/x").unwrap();
        assert_eq!((u.authority().as_str(), u.addrs().len()), ("[::1]:9", 1));
        assert!(parse_loopback_url("http://127.1.2.3:1/").is_ok());
        for bad in [
            "https://example.com/hook",
            "http://127.0.0.1@example.com/",
            "http://example.com:80@127.0.0.1/",
            "http://localhost.example.com/",
            "http://10.0.0.1/",
            "http://[::2]/",
            "http://[127.0.0.1]/",
            "http://127.0.0.1:0/",
            "http://127.0.0.1:99999/",
            "http://127.0.0.1:/",
            "http://[::1/",
            "ftp://127.0.0.1/",
            "http:///x",
            "http://127.0.0.1/a b",
            "127.0.0.1:80",
            "",
            "http://[",
            "http://[]/",
            "https://é/",
            "httpé://127.0.0.1/",
            "http://127.0.0.1:é/",
        ] {
            assert!(parse_loopback_url(bad).is_err(), "{bad}");
        }
    }

    /// The table holds exactly the event types the bundled schema enumerates, in its order.
    #[test]
    fn the_event_types_are_the_reference_list() {
        let root: Value =
            serde_json::from_str(include_str!("../schemas/v3-endpoints.json")).unwrap();
        let create = root["endpoints"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["method"] == "POST" && e["path"] == "/v3/webhooks/endpoints")
            .unwrap();
        let listed: Vec<&str> = create["request_schema"]["properties"]["events"]["items"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(listed, EVENT_TYPES.map(|(t, _)| t));
        assert!(EVENT_TYPES.iter().all(|(_, d)| !d.is_empty()));
    }

    #[test]
    fn backoff_doubles() {
        let waits: Vec<i64> = (1..MAX_DELIVERY_ATTEMPTS).map(backoff_ms).collect();
        assert_eq!(waits, [5_000, 10_000, 20_000, 40_000, 80_000]);
        assert!(backoff_ms(u32::MAX) > 0);
    }
}
