//! Scriptable faults: what a gateway, proxy or flaky network does to a request.

use serde::{Deserialize, Serialize};

/// When to tell the client to come back, sent as `Retry-After`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RetryAfter {
    /// `Retry-After: <seconds>`. JSON: `{"seconds": 2}`.
    Seconds(u64),
    /// `Retry-After: <HTTP date>` this many real seconds from now. JSON: `{"http_date": 2}`.
    HttpDate(u64),
}

/// One fault. JSON form: an object with `"kind"` plus the fields of the variant, for example
/// `{"kind":"status","status":503,"retry_after":{"seconds":1}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Fault {
    /// Answer `status` with a `HeyGen` error envelope (`code` defaults from the status).
    Status {
        /// HTTP status code.
        status: u16,
        /// Envelope `code`; a default that fits the status when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<String>,
        /// Envelope `message`; a generic text when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
        /// Optional `Retry-After` header.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<RetryAfter>,
    },
    /// Answer `status` with an HTML page, as a gateway or proxy does.
    Html {
        /// HTTP status code.
        status: u16,
        /// Optional `Retry-After` header.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<RetryAfter>,
    },
    /// Answer `200` with `{"data":null,"error":{…}}`.
    #[serde(rename = "error_in_200", alias = "error_in200")]
    ErrorIn200 {
        /// Error `code` (default `invalid_parameter`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<String>,
        /// Error `message`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
    /// Handle the request normally but wait `ms` milliseconds (real time) before answering.
    /// With an `Idempotency-Key`, the request counts as in flight during the wait.
    Delay {
        /// Milliseconds.
        ms: u64,
    },
    /// Send the first `after_bytes` bytes of the real body, then stall `ms` milliseconds.
    StallBody {
        /// Bytes sent before the stall (default 16).
        #[serde(default = "default_stall_after")]
        after_bytes: usize,
        /// Milliseconds of silence.
        ms: u64,
    },
    /// Send the real body `chunk_bytes` bytes at a time, one chunk every `every_ms`
    /// milliseconds: a slow but live transfer.
    Trickle {
        /// Bytes per chunk.
        chunk_bytes: usize,
        /// Milliseconds between chunks.
        every_ms: u64,
    },
    /// Close the connection before sending any byte of the response.
    Close,
    /// Announce the full `Content-Length` but send only `keep_bytes` (default: half) and close.
    Truncate {
        /// Bytes actually sent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        keep_bytes: Option<usize>,
    },
    /// Send the real body gzip-compressed with `Content-Encoding: gzip`.
    Gzip,
    /// Redirect (301, 302, 307 or 308) to the same path on the emulator's second origin.
    Redirect {
        /// Redirect status code.
        status: u16,
        /// Host name to put in `Location` (default `127.0.0.1`; the port always differs).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        host: Option<String>,
    },
    /// Answer `200` with a JSON body of `bytes` bytes (default 20 MiB).
    Oversized {
        /// Body size in bytes.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bytes: Option<usize>,
    },
    /// Replace enum-like values (`status`, `avatar_type`, …) in the real body with new names.
    UnknownEnums,
    /// Add unknown fields to every object of the real body.
    ExtraFields,
}

fn default_stall_after() -> usize {
    16
}

impl Fault {
    /// The `kind` name used in JSON and in the request log.
    pub fn kind(&self) -> &'static str {
        match self {
            Fault::Status { .. } => "status",
            Fault::Html { .. } => "html",
            Fault::ErrorIn200 { .. } => "error_in_200",
            Fault::Delay { .. } => "delay",
            Fault::StallBody { .. } => "stall_body",
            Fault::Trickle { .. } => "trickle",
            Fault::Close => "close",
            Fault::Truncate { .. } => "truncate",
            Fault::Gzip => "gzip",
            Fault::Redirect { .. } => "redirect",
            Fault::Oversized { .. } => "oversized",
            Fault::UnknownEnums => "unknown_enums",
            Fault::ExtraFields => "extra_fields",
        }
    }
}

/// A fault applied to matching requests. JSON form:
/// `{"method":"GET","path":"/v3/videos/*","after":0,"times":2,"fault":{…}}`.
///
/// `path` is a pattern: `*` matches within one path segment, `**` matches anything.
/// The rule skips the first `after` matching requests, then fires `times` times (forever when
/// absent). Rules are tried in the order they were added; the first that fires wins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FaultRule {
    /// HTTP method to match (any when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Path pattern.
    pub path: String,
    /// Matching requests to let through before firing.
    #[serde(default)]
    pub after: u32,
    /// How many times to fire (forever when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
    /// What to do.
    pub fault: Fault,
}

impl FaultRule {
    /// A rule for any method on `path` that fires on every match.
    pub fn new(path: impl Into<String>, fault: Fault) -> Self {
        Self {
            method: None,
            path: path.into(),
            after: 0,
            times: None,
            fault,
        }
    }

    /// Only match this HTTP method.
    #[must_use]
    pub fn method(mut self, method: impl Into<String>) -> Self {
        self.method = Some(method.into());
        self
    }

    /// Fire this many times, then stop.
    #[must_use]
    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }

    /// Let this many matching requests through first.
    #[must_use]
    pub fn after(mut self, n: u32) -> Self {
        self.after = n;
        self
    }

    pub(crate) fn matches(&self, method: &str, path: &str) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && glob(self.path.as_bytes(), path.as_bytes())
    }
}

/// A rule with its counters.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ActiveRule {
    pub(crate) rule: FaultRule,
    pub(crate) seen: u32,
    pub(crate) fired: u32,
}

/// Finds the fault for a request, counting the match on every rule it meets.
pub(crate) fn pick(rules: &mut [ActiveRule], method: &str, path: &str) -> Option<Fault> {
    for r in rules.iter_mut() {
        if !r.rule.matches(method, path) {
            continue;
        }
        if r.rule.times.is_some_and(|t| r.fired >= t) {
            continue;
        }
        r.seen += 1;
        if r.seen <= r.rule.after {
            continue;
        }
        r.fired += 1;
        return Some(r.rule.fault.clone());
    }
    None
}

fn glob(p: &[u8], s: &[u8]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some(b'*') if p.get(1) == Some(&b'*') => {
            let rest = &p[2..];
            (0..=s.len()).any(|i| glob(rest, &s[i..]))
        }
        Some(b'*') => {
            let rest = &p[1..];
            let mut i = 0;
            loop {
                if glob(rest, &s[i..]) {
                    return true;
                }
                if i >= s.len() || s[i] == b'/' {
                    return false;
                }
                i += 1;
            }
        }
        Some(c) => s.first() == Some(c) && glob(&p[1..], &s[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert!(glob(b"/v3/videos/*", b"/v3/videos/abc"));
        assert!(!glob(b"/v3/videos/*", b"/v3/videos/abc/x"));
        assert!(glob(b"/v3/**", b"/v3/videos/abc/x"));
        assert!(!glob(b"/v3/videos/*", b"/v3/videos"));
        assert!(glob(b"/v3/videos", b"/v3/videos"));
    }

    #[test]
    fn error_in_200_reads_under_its_documented_name_and_the_old_one() {
        for kind in ["error_in_200", "error_in200"] {
            let r: FaultRule = serde_json::from_str(&format!(
                r#"{{"path":"/v3/videos/*","fault":{{"kind":"{kind}"}}}}"#
            ))
            .unwrap();
            assert_eq!(r.fault.kind(), "error_in_200");
            assert!(matches!(r.fault, Fault::ErrorIn200 { .. }));
        }
    }

    #[test]
    fn json_form() {
        let r: FaultRule = serde_json::from_str(
            r#"{"method":"GET","path":"/v3/videos/*","times":2,"fault":{"kind":"status","status":503,"retry_after":{"http_date":3}}}"#,
        )
        .unwrap();
        assert_eq!(r.times, Some(2));
        assert_eq!(
            r.fault,
            Fault::Status {
                status: 503,
                code: None,
                message: None,
                retry_after: Some(RetryAfter::HttpDate(3))
            }
        );
        let mut rules = vec![ActiveRule {
            rule: r,
            seen: 0,
            fired: 0,
        }];
        assert!(pick(&mut rules, "GET", "/v3/videos/a").is_some());
        assert!(pick(&mut rules, "POST", "/v3/videos/a").is_none());
        assert!(pick(&mut rules, "GET", "/v3/videos/a").is_some());
        assert!(pick(&mut rules, "GET", "/v3/videos/a").is_none());
    }
}
