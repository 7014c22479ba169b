//! Redaction of presigned URL secrets and bounded body snippets for errors.

/// The most bytes of a body kept in an error.
pub const MAX_SNIPPET_BYTES: usize = 512;

/// How much of a body is scanned for secrets before the snippet is cut.
const SCAN_BYTES: usize = 4096;

/// Query parameter names whose values are secrets (compared case-insensitively).
const SECRET_PARAMS: &[&str] = &[
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
    "access_token",
    "token",
];

const REDACTED: &str = "<redacted>";

fn is_value_end(c: char) -> bool {
    matches!(
        c,
        '&' | '"' | '\'' | '<' | '>' | '#' | '\\' | ',' | ';' | ')' | ']' | '}'
    ) || c.is_whitespace()
        || c.is_control()
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

/// Replaces the values of secret query parameters (`X-Amz-Signature`, `X-Amz-Credential`,
/// `Signature`, …) anywhere in `text` with `<redacted>`.
pub fn redact_secrets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(eq) = rest.find('=') {
        let (before, after_eq) = rest.split_at(eq);
        // The parameter name: the name characters right before `=`.
        let name_start = before
            .char_indices()
            .rev()
            .take_while(|(_, c)| is_name_char(*c))
            .last()
            .map_or(before.len(), |(i, _)| i);
        let name = &before[name_start..];
        out.push_str(before);
        out.push('=');
        let value_part = &after_eq[1..];
        let secret = SECRET_PARAMS.iter().any(|p| name.eq_ignore_ascii_case(p));
        if secret {
            let end = value_part
                .char_indices()
                .find(|(_, c)| is_value_end(*c))
                .map_or(value_part.len(), |(i, _)| i);
            if end > 0 {
                out.push_str(REDACTED);
            }
            rest = &value_part[end..];
        } else {
            rest = value_part;
        }
    }
    out.push_str(rest);
    out
}

/// A URL with the values of secret query parameters redacted.
pub fn redact_url(url: &str) -> String {
    redact_secrets(url)
}

/// At most [`MAX_SNIPPET_BYTES`] bytes of `body` as text: invalid UTF-8 replaced, control
/// characters other than newline and tab turned into spaces, secret query parameters redacted
/// wherever they appear, and the query of every URL redacted.
pub fn snippet(body: &[u8]) -> String {
    let scan = &body[..body.len().min(SCAN_BYTES)];
    let text: String = String::from_utf8_lossy(scan)
        .chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                ' '
            } else {
                c
            }
        })
        .collect();
    // Named secret parameters anywhere, then the whole query of every URL.
    let mut text = heygen_model::secret::redact_url_queries(&redact_secrets(&text));
    if text.len() > MAX_SNIPPET_BYTES {
        let mut end = MAX_SNIPPET_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_presigned_queries() {
        let url = "https://storage.example.com/b/k?X-Amz-Signature=SECRETSIG&X-Amz-Credential=CRED&X-Amz-Expires=900";
        let r = redact_url(url);
        assert!(!r.contains("SECRETSIG"));
        assert!(!r.contains("CRED"));
        assert!(r.contains("X-Amz-Expires=900"));
        assert_eq!(
            redact_secrets(r#"{"u":"https://x/y?signature=abc"}"#),
            r#"{"u":"https://x/y?signature=<redacted>"}"#
        );
        assert_eq!(redact_secrets("a=b&c=d"), "a=b&c=d");
        assert_eq!(redact_secrets("=="), "==");
        assert_eq!(redact_secrets("Sig=é&x=1"), "Sig=<redacted>&x=1");
    }

    #[test]
    fn snippet_is_bounded() {
        let body = "é".repeat(2000);
        let s = snippet(body.as_bytes());
        assert!(s.len() <= MAX_SNIPPET_BYTES);
        assert!(snippet(&[0xff, 0x00, b'a']).contains('a'));
    }
}
