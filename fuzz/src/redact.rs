//! `redact`: the redaction and error-envelope functions over any text.
//!
//! Input: any bytes (as lossy UTF-8 text where a function takes text).
//!
//! Invariants:
//! - `redact_secrets` (and `redact_url`) leave no secret parameter value, are idempotent, and
//!   change nothing in text that names no secret;
//! - `redact_url_queries` leaves no query or fragment on any `http://`/`https://` URL (only
//!   `?<redacted>`) and changes nothing in text without a URL;
//! - `snippet` is at most `MAX_SNIPPET_BYTES`, has no control characters but newline and tab,
//!   and leaks neither secret parameters nor URL queries;
//! - `PresignedUrl`'s `Display`, `Debug` and `redacted` show no query;
//! - `ApiErrorBody::from_slice` never panics and agrees with `from_json_value`.

use heygen_core::redact::{MAX_SNIPPET_BYTES, redact_secrets, redact_url, snippet};
use heygen_model::secret::redact_url_queries;
use heygen_model::{ApiErrorBody, PresignedUrl};

use crate::secrets::{SECRET_PARAMS, assert_no_leak};

/// Characters that end a URL for `redact_url_queries`.
fn ends_url(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '\\')
}

/// Panics when a URL in `text` keeps a query or fragment.
#[track_caller]
fn assert_no_url_query(what: &str, text: &str) {
    let mut rest = text;
    loop {
        let start = match (rest.find("https://"), rest.find("http://")) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => return,
        };
        let url_and_after = &rest[start..];
        let end = url_and_after.find(ends_url).unwrap_or(url_and_after.len());
        let url = &url_and_after[..end];
        if let Some(q) = url.find(['?', '#']) {
            let after = &url_and_after[q..];
            assert!(
                q + 1 == url.len() && (after.starts_with("?<") || after == "?"),
                "{what} keeps the query of {url:?}: {text:?}"
            );
        }
        rest = &url_and_after[end..];
    }
}

/// Checks the redaction functions on one input.
///
/// # Panics
/// When an invariant above does not hold.
pub fn redact(data: &[u8]) {
    let text = String::from_utf8_lossy(data);

    let redacted = redact_secrets(&text);
    assert_no_leak("redact_secrets", &redacted, SECRET_PARAMS);
    assert_eq!(
        redact_secrets(&redacted),
        redacted,
        "redact_secrets is not idempotent"
    );
    let lower = text.to_ascii_lowercase();
    if !SECRET_PARAMS.iter().any(|name| lower.contains(name)) {
        assert_eq!(
            redacted, text,
            "redact_secrets changed text without a secret name"
        );
    }
    assert_eq!(redact_url(&text), redacted);

    let queries = redact_url_queries(&text);
    assert_no_url_query("redact_url_queries", &queries);
    if !text.contains("http://") && !text.contains("https://") {
        assert_eq!(
            queries, text,
            "redact_url_queries changed text without a url"
        );
    }

    let snip = snippet(data);
    assert!(
        snip.len() <= MAX_SNIPPET_BYTES,
        "snippet of {} bytes",
        snip.len()
    );
    assert!(
        !snip
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "snippet keeps a control character: {snip:?}"
    );
    assert_no_leak("snippet", &snip, SECRET_PARAMS);
    assert_no_url_query("snippet", &snip);

    let url = PresignedUrl::new(text.as_ref());
    for shown in [url.redacted(), url.to_string(), format!("{url:?}")] {
        assert!(
            shown.matches('?').count() <= 1 && !shown.contains('#'),
            "PresignedUrl shows its query: {shown:?}"
        );
        if let Some(q) = shown.find('?') {
            assert!(shown[q..].starts_with("?<redacted>"), "{shown:?}");
        }
    }
    assert_eq!(url.as_str(), text, "PresignedUrl changed the url");

    let body = ApiErrorBody::from_slice(data);
    let value = serde_json::from_slice::<serde_json::Value>(data).ok();
    assert_eq!(
        body,
        value.as_ref().and_then(ApiErrorBody::from_json_value),
        "from_slice disagrees with from_json_value"
    );
    let _ = format!("{body:?}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_query_check() {
        assert_no_url_query("x", "see https://a/b?<redacted> and http://c/d");
        assert!(std::panic::catch_unwind(|| assert_no_url_query("x", "https://a/b?c=d")).is_err());
    }
}
