//! Turning raw fuzz bytes into structured inputs that hand-written seeds can spell.

use http::{HeaderName, HeaderValue, StatusCode};

/// Splits `data` at NUL bytes into exactly `N` fields; missing fields are empty and the last
/// field keeps any further NULs.
pub fn fields<const N: usize>(data: &[u8]) -> [&[u8]; N] {
    let mut out = [&[][..]; N];
    let mut rest = data;
    for (i, slot) in out.iter_mut().enumerate() {
        if i + 1 == N {
            *slot = rest;
            break;
        }
        if let Some(at) = rest.iter().position(|b| *b == 0) {
            *slot = &rest[..at];
            rest = &rest[at + 1..];
        } else {
            *slot = rest;
            rest = &[];
        }
    }
    out
}

/// The field as text, invalid UTF-8 replaced.
pub fn text(field: &[u8]) -> String {
    String::from_utf8_lossy(field).into_owned()
}

/// A decimal number in the field (surrounding whitespace allowed), or a number made from its
/// bytes (little-endian) when it is not decimal text, so the fuzzer reaches every value.
pub fn number(field: &[u8]) -> u64 {
    if let Some(n) = core::str::from_utf8(field)
        .ok()
        .and_then(|t| t.trim().parse::<u64>().ok())
    {
        return n;
    }
    let mut bytes = [0u8; 8];
    for (slot, b) in bytes.iter_mut().zip(field) {
        *slot = *b;
    }
    u64::from_le_bytes(bytes)
}

/// A response spelled as text: the status on the first line, `Name: value` header lines up to an
/// empty line, then the body (the format of `heygen_core::fuzzing::split_input`, so seeds work
/// for both). A bad status becomes 200; header lines that are not valid header text are
/// skipped.
#[derive(Debug, Clone)]
pub struct Response<'a> {
    /// The status.
    pub status: StatusCode,
    /// The headers that are valid header text, in order.
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// The body.
    pub body: &'a [u8],
}

impl<'a> Response<'a> {
    /// Reads a response from `data`, with the core's own reader of this format.
    pub fn split(data: &'a [u8]) -> Self {
        let heygen_core::fuzzing::Input {
            status,
            headers,
            body,
        } = heygen_core::fuzzing::split_input(data);
        Self {
            status,
            headers,
            body,
        }
    }

    /// The `http` response an operation's `parse` takes.
    pub fn to_http(&self) -> http::Response<&'a [u8]> {
        let mut response = http::Response::new(self.body);
        *response.status_mut() = self.status;
        for (name, value) in &self.headers {
            response.headers_mut().append(name.clone(), value.clone());
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_split_at_nul() {
        assert_eq!(fields::<3>(b"a\0b\0c\0d"), [&b"a"[..], b"b", b"c\0d"]);
        assert_eq!(fields::<3>(b"a"), [&b"a"[..], b"", b""]);
        assert_eq!(number(b" 42 "), 42);
        assert_eq!(number(b"\x01\x01"), 257);
    }

    #[test]
    fn responses_split() {
        let r = Response::split(b"404\ncontent-type: text/html\nbad line\n\n<html/>");
        assert_eq!(r.status, 404);
        assert_eq!(r.headers.len(), 1);
        assert_eq!(r.body, b"<html/>");
        assert_eq!(Response::split(b"junk").status, 200);
    }
}
