//! Values whose `Debug`/`Display` must not print their content: presigned URLs and base64
//! payloads.

use core::fmt;

use base64::Engine as _;
use serde::{Deserialize, Serialize};

/// A URL from a response: a presigned storage link (`upload_url`, `video_url`,
/// `subtitle_url`, …) or any other URL HeyGen returns (previews, thumbnails, asset and consent
/// pages), since each may carry a signature in its query. The query string is treated as a
/// credential, so `Debug` and `Display` print only the scheme, host and path followed by
/// `?<redacted>`. Use [`as_str`](Self::as_str) to send or show the URL byte-for-byte;
/// serializing writes it whole.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PresignedUrl(String);

impl PresignedUrl {
    /// Wraps a URL.
    pub fn new(url: impl Into<String>) -> Self {
        Self(url.into())
    }

    /// The full URL, exactly as HeyGen returned it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Consumes the value and returns the full URL.
    pub fn into_string(self) -> String {
        self.0
    }

    /// The URL without its query string and fragment, safe to log.
    pub fn redacted(&self) -> String {
        match self.0.find(['?', '#']) {
            Some(index) => format!("{}?<redacted>", &self.0[..index]),
            None => self.0.clone(),
        }
    }

    /// Whether the URL uses `https`.
    pub fn is_https(&self) -> bool {
        self.0
            .get(..8)
            .is_some_and(|p| p.eq_ignore_ascii_case("https://"))
    }
}

impl fmt::Debug for PresignedUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PresignedUrl")
            .field(&self.redacted())
            .finish()
    }
}

impl fmt::Display for PresignedUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// Replaces the query string and fragment of every `http://` or `https://` URL in `text` with
/// `?<redacted>`, so error snippets and logs cannot leak presigned signatures or credentials.
///
/// Text outside URLs is kept as is. A URL ends at whitespace, a quote, `<`, `>` or a backslash.
pub fn redact_url_queries(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let start = match (rest.find("https://"), rest.find("http://")) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => break,
        };
        out.push_str(&rest[..start]);
        let url_and_after = &rest[start..];
        let end = url_and_after
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '\\'))
            .unwrap_or(url_and_after.len());
        let url = &url_and_after[..end];
        match url.find(['?', '#']) {
            Some(q) => {
                out.push_str(&url[..q]);
                out.push_str("?<redacted>");
            }
            None => out.push_str(url),
        }
        rest = &url_and_after[end..];
    }
    out.push_str(rest);
    out
}

/// Base64 payload text for an inline asset. `Debug` shows only its length.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Base64Data(String);

impl Base64Data {
    /// Encodes raw bytes with the standard, padded alphabet.
    pub fn encode(bytes: &[u8]) -> Self {
        Self(base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    /// Wraps text that is already base64 after checking it.
    ///
    /// # Errors
    /// See [`validate_base64`](crate::validate::validate_base64).
    pub fn from_base64(text: impl Into<String>) -> Result<Self, crate::validate::ValidationError> {
        let text = text.into();
        crate::validate::validate_base64("data", &text)?;
        Ok(Self(text))
    }

    /// The base64 text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Length of the base64 text in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the payload is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Base64Data {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64Data(<{} base64 chars>)", self.0.len())
    }
}

#[cfg(feature = "proptest")]
impl proptest::arbitrary::Arbitrary for Base64Data {
    type Parameters = ();
    type Strategy = proptest::strategy::BoxedStrategy<Self>;
    fn arbitrary_with((): ()) -> Self::Strategy {
        use proptest::strategy::Strategy as _;
        proptest::collection::vec(proptest::num::u8::ANY, 1..48)
            .prop_map(|bytes| Self::encode(&bytes))
            .boxed()
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for Base64Data {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        let bytes: Vec<u8> = u.arbitrary()?;
        Ok(Self::encode(&bytes))
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for PresignedUrl {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(Self(u.arbitrary()?))
    }
}
