//! The redaction invariant: text the SDK shows (error messages, snippets, `Debug` output) never
//! carries the value of a secret parameter.
//!
//! The names mirror `heygen_core::redact`'s private list. A secret counts as shown when its name
//! (a whole parameter name, not the tail of a longer one) is followed by one of the separators
//! `redact_secrets` knows (`=`, `%3D`, `%253D`, or `:` with optional spaces and JSON quotes), an
//! optional opening quote and `Bearer `/`Basic ` scheme, and then a letter or digit: the first
//! character of a value that was left in place. A name that ends a URL path (right after `/`)
//! before a colon is not a header (`POST /v1/oauth/token: …`). A value replaced by `<redacted>` starts with `<`.

/// Parameter and field names whose values are secrets (compared case-insensitively).
pub const SECRET_PARAMS: &[&str] = &[
    "x-amz-signature",
    "x-amz-credential",
    "x-amz-security-token",
    "x-goog-signature",
    "x-goog-credential",
    "signature",
    "sig",
    "key-pair-id",
    "policy",
    "api_key",
    "apikey",
    "x-api-key",
    "access_token",
    "refresh_token",
    "authorization",
    "token",
];

/// The parameters of presigned storage URLs, which must never appear with a value.
pub const PRESIGNED_PARAMS: &[&str] = &[
    "x-amz-signature",
    "x-amz-credential",
    "x-amz-security-token",
    "x-goog-signature",
    "x-goog-credential",
];

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

/// Whether a name may start at `at`: the start, after a character that is not part of a name,
/// or right after a percent-escape (`%3F` in an encoded URL, `%253F` encoded twice).
fn name_starts_at(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    let escape = |len: usize| {
        at >= len
            && bytes[at - len] == b'%'
            && bytes[at - 2..at].iter().all(u8::is_ascii_hexdigit)
            && (len == 3 || starts_with_ci(text, at - len, "%25"))
    };
    !text[..at].chars().next_back().is_some_and(is_name_char) || escape(3) || escape(5)
}

fn starts_with_ci(text: &str, at: usize, prefix: &str) -> bool {
    text.as_bytes()
        .get(at..at + prefix.len())
        .is_some_and(|b| b.eq_ignore_ascii_case(prefix.as_bytes()))
}

fn skip_spaces(text: &str, mut at: usize) -> usize {
    while matches!(text.as_bytes().get(at), Some(b' ' | b'\t')) {
        at += 1;
    }
    at
}

/// Skips an opening `"` or `\"`.
fn skip_quote(text: &str, at: usize) -> usize {
    if text.as_bytes().get(at) == Some(&b'"') {
        at + 1
    } else if starts_with_ci(text, at, "\\\"") {
        at + 2
    } else {
        at
    }
}

/// Where the value after the name ending at `at` starts, if a separator follows the name.
fn value_start(text: &str, at: usize) -> Option<usize> {
    let start = if text.as_bytes().get(at) == Some(&b'=') {
        skip_quote(text, at + 1)
    } else if let Some(encoded) = ["%3D", "%253D"]
        .iter()
        .find(|e| starts_with_ci(text, at, e))
    {
        at + encoded.len()
    } else {
        let colon = skip_spaces(text, skip_quote(text, at));
        if text.as_bytes().get(colon) != Some(&b':') {
            return None;
        }
        skip_quote(text, skip_spaces(text, colon + 1))
    };
    for scheme in ["Bearer ", "Basic "] {
        if starts_with_ci(text, start, scheme) {
            return Some(skip_spaces(text, start + scheme.len()));
        }
        // A text cut inside the scheme (a snippet ends at 512 bytes) shows no value.
        let rest = &text.as_bytes()[start.min(text.len())..];
        if !rest.is_empty()
            && scheme.as_bytes()[..rest.len().min(scheme.len())].eq_ignore_ascii_case(rest)
        {
            return None;
        }
    }
    Some(start)
}

/// The first secret in `text` whose name is one of `names` and whose value was left in place,
/// as the text from the name to the end of the line (at most 40 bytes).
pub fn leaked<'t>(text: &'t str, names: &[&str]) -> Option<&'t str> {
    let lower = text.to_ascii_lowercase();
    for name in names {
        let mut from = 0;
        while let Some(found) = lower[from..].find(name) {
            let start = from + found;
            let end = start + name.len();
            from = start + 1;
            if !name_starts_at(text, start) || text[end..].chars().next().is_some_and(is_name_char)
            {
                continue;
            }
            let Some(value) = value_start(text, end) else {
                continue;
            };
            // The end of a URL path before a colon (`POST /v1/oauth/token: …`) is no header.
            let colon = !matches!(text.as_bytes().get(end), Some(b'='))
                && !starts_with_ci(text, end, "%3D")
                && !starts_with_ci(text, end, "%253D");
            if colon && text[..start].ends_with('/') {
                continue;
            }
            if text
                .as_bytes()
                .get(value)
                .is_some_and(u8::is_ascii_alphanumeric)
            {
                let mut stop = (start + 40).min(text.len());
                while !text.is_char_boundary(stop) {
                    stop -= 1;
                }
                let shown = &text[start..stop];
                return Some(shown.split('\n').next().unwrap_or(shown));
            }
        }
    }
    None
}

/// Panics when `text` (what `what` describes) leaks a value of one of `names`.
#[track_caller]
pub fn assert_no_leak(what: &str, text: &str, names: &[&str]) {
    if let Some(leak) = leaked(text, names) {
        panic!("{what} leaks a secret parameter value `{leak}`: {text:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_values_but_not_redacted_ones() {
        let leaks = |t: &str| leaked(t, SECRET_PARAMS).is_some();
        assert!(leaks("u?X-Amz-Signature=abc&x=1"));
        assert!(leaks("é token=1"));
        assert!(leaks("{\"signature\": \"abc\"}"));
        assert!(leaks("Authorization: Bearer tok"));
        assert!(leaks("next=https%3A%2F%2Fs%2Fk%3FX-Amz-Signature%3Dabc"));
        assert!(leaks("{\\\"sig\\\": \\\"abc\\\"}"));
        assert!(!leaks("X-Amz-Signature=<redacted>"));
        assert!(!leaks("{\"signature\": \"<redacted>\"}"));
        assert!(!leaks("Authorization: Bearer <redacted>"));
        assert!(!leaks("X-Amz-Signature="));
        assert!(!leaks("mysig=abc"));
        assert!(!leaks("signatures: 3"));
        assert!(!leaks("the token is here"));
        assert!(!leaks("x Signature=basi"));
        assert!(leaks("x Signature=basil"));
        assert!(!leaks("POST /v1/oauth/token: 401 Unauthorized"));
        assert!(leaks("POST /v1/oauth/token=abc"));
        assert!(leaks("POST /v1/oauth token: abc"));
    }
}
