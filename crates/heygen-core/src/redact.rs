//! Redaction of presigned URL secrets and bounded body snippets for errors.

/// The most bytes of a body kept in an error.
pub const MAX_SNIPPET_BYTES: usize = 512;

/// How much of a body is scanned for secrets before the snippet is cut.
const SCAN_BYTES: usize = 4096;

/// Parameter and field names whose values are secrets (compared case-insensitively).
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
    "x-api-key",
    "access_token",
    "refresh_token",
    "authorization",
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

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')
}

/// Whether `text[at..]` starts with `prefix`, ASCII case-insensitively.
fn starts_with_ci(text: &str, at: usize, prefix: &str) -> bool {
    text.as_bytes()
        .get(at..at + prefix.len())
        .is_some_and(|b| b.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// Whether the two bytes are hex digits.
fn is_hex_pair(bytes: &[u8]) -> bool {
    bytes.len() == 2 && bytes.iter().all(u8::is_ascii_hexdigit)
}

/// Whether a parameter name may start at `at`: the start of the text, after a character that
/// cannot be part of a name, or after a percent-escape (`%26` in an encoded query, `%2526`
/// when it is encoded twice).
fn name_starts_at(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    if at == 0 || !is_name_byte(bytes[at - 1]) {
        return true;
    }
    let escaped =
        |len: usize| at >= len && bytes[at - len] == b'%' && is_hex_pair(&bytes[at - 2..at]);
    escaped(3) || (escaped(5) && starts_with_ci(text, at - 5, "%25"))
}

/// How a secret's value is written after its name.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    /// `name=value`, `name: value`: the value ends at a delimiter.
    Plain,
    /// `name%3Dvalue`: inside a percent-encoded URL, so an encoded `&`, `#` or quote ends it too.
    Encoded,
    /// `"name": "value"` or `name="value"`: the value ends at the closing quote.
    Quoted,
    /// `\"name\": \"value\"`: a JSON document inside a JSON string.
    EscapedQuoted,
}

fn skip_spaces(text: &str, mut at: usize) -> usize {
    while text
        .as_bytes()
        .get(at)
        .is_some_and(|b| *b == b' ' || *b == b'\t')
    {
        at += 1;
    }
    at
}

/// The separator after a secret's name at `at`: its length and the form of the value.
fn separator(text: &str, at: usize) -> Option<(usize, Form)> {
    let bytes = text.as_bytes();
    // A value in quotes after `=` or `:`, or the value as is.
    let value_form = |after: usize, plain: Form| -> (usize, Form) {
        if bytes.get(after) == Some(&b'"') {
            (after + 1 - at, Form::Quoted)
        } else if starts_with_ci(text, after, "\\\"") {
            (after + 2 - at, Form::EscapedQuoted)
        } else {
            (after - at, plain)
        }
    };
    if bytes.get(at) == Some(&b'=') {
        return Some(value_form(at + 1, Form::Plain));
    }
    for encoded in ["%3D", "%253D"] {
        if starts_with_ci(text, at, encoded) {
            return Some((encoded.len(), Form::Encoded));
        }
    }
    // `name: value`, or a JSON key `"name": "value"` (its closing quote right after the name),
    // or the same escaped inside a JSON string.
    let after_name = if bytes.get(at) == Some(&b'"') {
        at + 1
    } else if starts_with_ci(text, at, "\\\"") {
        at + 2
    } else {
        at
    };
    let colon = skip_spaces(text, after_name);
    if bytes.get(colon) != Some(&b':') {
        return None;
    }
    Some(value_form(skip_spaces(text, colon + 1), Form::Plain))
}

/// Where the value starting at `at` ends.
fn value_end(text: &str, at: usize, form: Form) -> usize {
    let rest = &text[at..];
    let end = match form {
        Form::Quoted => rest
            .char_indices()
            .find(|&(i, c)| (c == '"' && !rest[..i].ends_with('\\')) || c == '\n')
            .map(|(i, _)| i),
        Form::EscapedQuoted => rest.find("\\\""),
        Form::Plain | Form::Encoded => {
            let mut found = None;
            for (i, c) in rest.char_indices() {
                if is_value_end(c) {
                    found = Some(i);
                    break;
                }
                if c == '%'
                    && ["%26", "%2526", "%23", "%22", "%2522"]
                        .iter()
                        .any(|e| starts_with_ci(rest, i, e))
                {
                    found = Some(i);
                    break;
                }
            }
            found
        }
    };
    at + end.unwrap_or(rest.len())
}

/// A header-style value that starts with an auth scheme (`Bearer abc`): skip the scheme so the
/// credential after it is the value.
fn skip_scheme(text: &str, at: usize) -> usize {
    for scheme in ["Bearer ", "Basic "] {
        if starts_with_ci(text, at, scheme) {
            return skip_spaces(text, at + scheme.len());
        }
    }
    at
}

/// Whether the name at `start..name_end` is the last segment of a URL path followed by a colon
/// (`POST /v1/oauth/token: …` in an error message): not a header, so what follows is no secret.
fn ends_url_path(text: &str, start: usize, name_end: usize) -> bool {
    let bytes = text.as_bytes();
    start > 0
        && bytes[start - 1] == b'/'
        && bytes.get(name_end) != Some(&b'=')
        && !starts_with_ci(text, name_end, "%3D")
        && !starts_with_ci(text, name_end, "%253D")
}

/// Replaces the values of secret parameters (`X-Amz-Signature`, `X-Amz-Credential`,
/// `X-Amz-Security-Token`, `Signature`, `sig`, `token`, `X-Api-Key`, …) anywhere in `text` with
/// `<redacted>`, in every form they are written in: a query (`name=value`), a percent-encoded
/// URL inside another URL (`name%3Dvalue`, also encoded twice), a header or log line
/// (`name: value`, `Authorization: Bearer value`, but not a URL path ending in a name and a
/// colon: `POST /v1/oauth/token: …`), and JSON (`"name": "value"`, also escaped
/// inside a JSON string).
pub fn redact_secrets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut at = 0;
    while at < text.len() {
        if !text.is_char_boundary(at) {
            at += 1;
            continue;
        }
        let found = name_starts_at(text, at)
            .then(|| {
                SECRET_PARAMS.iter().find(|name| {
                    starts_with_ci(text, at, name)
                        && !text
                            .as_bytes()
                            .get(at + name.len())
                            .copied()
                            .is_some_and(is_name_byte)
                })
            })
            .flatten();
        if let Some(name) = found {
            let name_end = at + name.len();
            if let Some((len, form)) = separator(text, name_end)
                && !ends_url_path(text, at, name_end)
            {
                let value_start = skip_scheme(text, name_end + len);
                let end = value_end(text, value_start, form);
                if end > value_start {
                    out.push_str(&text[copied..value_start]);
                    out.push_str(REDACTED);
                    copied = end;
                    at = end;
                    continue;
                }
            }
            at = name_end;
            continue;
        }
        at += 1;
    }
    out.push_str(&text[copied..]);
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
    fn redacts_every_form_of_a_secret() {
        let cases = [
            // JSON, as a storage error body or a debug dump writes it.
            (
                r#"{"X-Amz-Security-Token": "FwoGZXIvYXdzEJr//token", "ok": 1}"#,
                r#"{"X-Amz-Security-Token": "<redacted>", "ok": 1}"#,
            ),
            (
                r#"{"signature":"abc\"def","n":2}"#,
                r#"{"signature":"<redacted>","n":2}"#,
            ),
            // A JSON document escaped inside a JSON string.
            (
                r#"{"message":"{\"X-Amz-Signature\": \"SECRETSIG\"}"}"#,
                r#"{"message":"{\"X-Amz-Signature\": \"<redacted>\"}"}"#,
            ),
            // A presigned URL percent-encoded inside another URL, once and twice.
            (
                "https://a.example/r?next=https%3A%2F%2Fs.example%2Fk%3FX-Amz-Signature%3DSECRETSIG%26X-Amz-Expires%3D900",
                "https://a.example/r?next=https%3A%2F%2Fs.example%2Fk%3FX-Amz-Signature%3D<redacted>%26X-Amz-Expires%3D900",
            ),
            (
                "u=https%253A%252F%252Fs%252Fk%253FX-Amz-Credential%253DCRED%2526b%253D1",
                "u=https%253A%252F%252Fs%252Fk%253FX-Amz-Credential%253D<redacted>%2526b%253D1",
            ),
            // Header and log forms.
            (
                "sig: SECRETSIG
next",
                "sig: <redacted>
next",
            ),
            ("Sig=SECRETSIG", "Sig=<redacted>"),
            (
                "Authorization: Bearer tok_SECRET rest",
                "Authorization: Bearer <redacted> rest",
            ),
            ("x-api-key: hg_live_SECRET", "x-api-key: <redacted>"),
            ("policy=\"abc\" x", "policy=\"<redacted>\" x"),
            // A name at the end of a URL path is no header; after `=` it is still a parameter.
            ("x/token=abc", "x/token=<redacted>"),
            ("a/sig%3Dabc", "a/sig%3D<redacted>"),
        ];
        for (input, expected) in cases {
            assert_eq!(redact_secrets(input), expected, "{input}");
        }
        // Names inside longer words, and ordinary text, are left alone.
        for kept in [
            "next_token=abc",
            "design: fine",
            "signatures: 3",
            "the token",
            "mytoken=1",
            "unexpected response to POST /v1/oauth/token: 401 Unauthorized",
            "POST /v1/oauth/token : <html>",
        ] {
            assert_eq!(redact_secrets(kept), kept);
        }
    }

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
