//! Uploads: multipart framing for `POST /v3/assets`, the presigned direct-upload `PUT`, a
//! streaming SHA-256, media type detection from magic bytes, and the upload workflows
//! ([`MultipartUpload`], [`UploadDirect`], [`UploadFile`], [`WithFile`], [`PromptFromFiles`]):
//! which method a local file takes ([`UploadMethod::for_file`]) is decided here, once.
//!
//! The core never reads a file: it computes the bytes that go around it and the exact length,
//! and the client streams `prefix`, then the file, then `suffix` ([`crate::Body`]).

use core::fmt;
use std::collections::BTreeMap;

use bytes::Bytes;
use http::header::{CONTENT_LENGTH, HeaderName, HeaderValue};
use http::{Method, Request, Response};
use sha2::Digest as _;

use heygen_model::validate::MAX_MULTIPART_UPLOAD_BYTES;

use crate::body::{Body, Source, StreamBody};
use crate::config::{Config, TimeoutClass, is_loopback_host};
use crate::error::Error;
use crate::operation::Operation;
use crate::redact::redact_url;
use crate::response::{Meta, ResponseLimits, Target, parse_response};

mod batch;
mod flow;
mod plan;

pub use batch::{BatchFile, BatchFileOutcome, UploadMany, UploadedBatch};

pub use flow::{
    AvatarFromFile, FromFile, MultipartUpload, PromptAvatarFromFiles, PromptFromFiles,
    PutDirectUpload, UploadDirect, UploadFile, Uploaded, WithFile,
};
pub use plan::{
    AvatarFileKind, DEFAULT_INLINE_THRESHOLD, FileFacts, INLINE_PLACEHOLDER, InlineBody, Progress,
    SNIFF_BYTES, UploadMethod, UploadOptions, check_direct_upload_size, media_type_by_extension,
    placeholder_input, unreadable_file,
};

/// The multipart framing of one file: what goes before and after its bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct MultipartFraming {
    file_name: String,
    boundary: String,
    content_type: String,
    prefix: Bytes,
    suffix: Bytes,
    file_len: u64,
}

impl fmt::Debug for MultipartFraming {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MultipartFraming")
            .field("file_name", &self.file_name)
            .field("boundary", &self.boundary)
            .field("content_type", &self.content_type)
            .field("prefix_len", &self.prefix.len())
            .field("suffix_len", &self.suffix.len())
            .field("file_len", &self.file_len)
            .finish()
    }
}

/// Escapes a file name for a `Content-Disposition` quoted string (`"`, CR and LF are
/// percent-encoded, other control characters dropped).
fn escape_file_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            '"' => out.push_str("%22"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Whether `value` is a plausible `type/subtype` media type (parameters allowed).
pub fn is_valid_media_type(value: &str) -> bool {
    let essence = value.split(';').next().unwrap_or("").trim();
    let Some((kind, sub)) = essence.split_once('/') else {
        return false;
    };
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    token(kind) && token(sub) && value.bytes().all(|b| (0x20..0x7f).contains(&b))
}

impl MultipartFraming {
    /// Frames one file part named `file` with its file name and content type. The boundary is
    /// made from `entropy` (16 random bytes from the transport).
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when the file is empty or larger than
    /// [`MAX_MULTIPART_UPLOAD_BYTES`] (use direct upload), the file name is empty, or the content
    /// type is not a valid media type.
    pub fn new(
        file_name: &str,
        content_type: &str,
        file_len: u64,
        entropy: [u8; 16],
    ) -> Result<Self, Error> {
        if file_len > MAX_MULTIPART_UPLOAD_BYTES {
            return Err(Error::invalid_request(
                Some("file"),
                format!(
                    "{file_len} bytes is over the {MAX_MULTIPART_UPLOAD_BYTES}-byte limit of POST /v3/assets; use a direct upload (POST /v3/assets/direct-uploads) instead"
                ),
            ));
        }
        if file_len == 0 {
            return Err(Error::invalid_request(Some("file"), "the file is empty"));
        }
        let escaped = escape_file_name(file_name);
        if escaped.trim().is_empty() {
            return Err(Error::invalid_request(
                Some("filename"),
                "must not be empty",
            ));
        }
        if !is_valid_media_type(content_type) {
            return Err(Error::invalid_request(
                Some("content_type"),
                "is not a valid media type",
            ));
        }
        let boundary = format!("heygen-rs-{}", hex(&entropy));
        let prefix = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{escaped}\"\r\nContent-Type: {content_type}\r\n\r\n"
        );
        let suffix = format!("\r\n--{boundary}--\r\n");
        Ok(Self {
            file_name: file_name.to_owned(),
            content_type: format!("multipart/form-data; boundary={boundary}"),
            boundary,
            prefix: Bytes::from(prefix),
            suffix: Bytes::from(suffix),
            file_len,
        })
    }

    /// The boundary.
    pub fn boundary(&self) -> &str {
        &self.boundary
    }

    /// The request's `Content-Type` (`multipart/form-data; boundary=…`).
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// The bytes to send before the file.
    pub fn prefix(&self) -> &Bytes {
        &self.prefix
    }

    /// The bytes to send after the file.
    pub fn suffix(&self) -> &Bytes {
        &self.suffix
    }

    /// The file's length, in bytes.
    pub fn file_len(&self) -> u64 {
        self.file_len
    }

    /// The exact `Content-Length` of the whole body, in bytes.
    pub fn content_length(&self) -> u64 {
        (self.prefix.len() as u64)
            .saturating_add(self.file_len)
            .saturating_add(self.suffix.len() as u64)
    }

    /// The body plan: the prefix, the file's bytes from `source`, the suffix.
    pub fn into_body(self, source: Source) -> StreamBody {
        StreamBody {
            prefix: self.prefix,
            source,
            len: self.file_len,
            suffix: self.suffix,
            sha256: false,
            name: Some(self.file_name),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    out
}

/// A streaming SHA-256, for `checksum_sha256` computed while the file is read.
#[derive(Clone, Default)]
pub struct Sha256 {
    inner: sha2::Sha256,
    len: u64,
}

impl fmt::Debug for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sha256")
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

impl Sha256 {
    /// A fresh hasher.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds bytes.
    pub fn update(&mut self, bytes: &[u8]) {
        self.inner.update(bytes);
        self.len = self.len.saturating_add(bytes.len() as u64);
    }

    /// Bytes hashed so far.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether nothing was hashed yet.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The digest as 64 lower-case hex digits.
    pub fn finalize_hex(self) -> String {
        hex(&self.inner.finalize())
    }

    /// The digest of `bytes` as lower-case hex.
    pub fn hex_digest(bytes: &[u8]) -> String {
        let mut h = Self::new();
        h.update(bytes);
        h.finalize_hex()
    }
}

pub use heygen_model::validate::sniff_media_type;

/// Whether a declared media type agrees with the bytes: true when the bytes are not
/// recognized, or the declared type (ignoring parameters and case, with common aliases) names
/// the detected format.
pub fn media_type_matches(declared: &str, head: &[u8]) -> bool {
    let Some(detected) = sniff_media_type(head) else {
        return true;
    };
    let declared = declared
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let alias = match declared.as_str() {
        "image/jpg" | "image/pjpeg" => "image/jpeg",
        "audio/mp3" => "audio/mpeg",
        "audio/x-wav" | "audio/wave" | "audio/vnd.wave" => "audio/wav",
        "video/x-m4v" | "audio/mp4" => "video/mp4",
        "video/x-matroska" | "audio/webm" => "video/webm",
        other => other,
    };
    alias == detected
}

/// Checks that bytes labelled `declared` really are of that type.
///
/// # Errors
/// [`Error::InvalidRequest`] when the magic bytes name another format (a PNG declared as
/// `image/jpeg`, for example).
pub fn check_media_type(declared: &str, head: &[u8]) -> Result<(), Error> {
    if media_type_matches(declared, head) {
        Ok(())
    } else {
        Err(Error::invalid_request(
            Some("media_type"),
            format!(
                "declared as {declared} but the bytes are {}",
                sniff_media_type(head).unwrap_or("another format")
            ),
        ))
    }
}

/// The `PUT` of a file's bytes to a presigned direct-upload URL.
///
/// The URL is used byte for byte; the headers are exactly the returned `upload_headers` plus
/// `Content-Length`; no API key, bearer token, user agent or idempotency key is added. The body
/// is a [`Body::Stream`] plan of exactly `size_bytes` bytes of the source, which the client
/// streams and hashes (SHA-256, reported in [`crate::Sent::sha256`]). A success is any 2xx.
#[derive(Clone)]
pub struct DirectUploadPut {
    url: String,
    headers: BTreeMap<String, String>,
    source: Source,
    size_bytes: u64,
}

impl fmt::Debug for DirectUploadPut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DirectUploadPut")
            .field("url", &redact_url(&self.url))
            .field("header_names", &self.headers.keys().collect::<Vec<_>>())
            .field("source", &self.source)
            .field("size_bytes", &self.size_bytes)
            .finish()
    }
}

impl DirectUploadPut {
    /// A `PUT` of `size_bytes` bytes of `source` to `upload_url` with `upload_headers`, both as
    /// returned by `POST /v3/assets/direct-uploads`. The client hashes the bytes (SHA-256) as they
    /// stream and reports the digest with the response ([`crate::Sent::sha256`]).
    pub fn new<K, V>(
        upload_url: impl Into<String>,
        upload_headers: impl IntoIterator<Item = (K, V)>,
        source: Source,
        size_bytes: u64,
    ) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        Self {
            url: upload_url.into(),
            headers: upload_headers
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
            source,
            size_bytes,
        }
    }

    /// The number of bytes the transport must send.
    pub fn size_bytes(&self) -> u64 {
        self.size_bytes
    }
}

fn upload_url_allowed(uri: &http::Uri) -> bool {
    match uri.scheme_str() {
        Some("https") => uri.host().is_some(),
        Some("http") => uri
            .host()
            .is_some_and(|h| is_loopback_host(h.trim_start_matches('[').trim_end_matches(']'))),
        _ => false,
    }
}

impl Operation for DirectUploadPut {
    type Output = ();

    fn method(&self) -> Method {
        Method::PUT
    }

    fn path_template(&self) -> &'static str {
        "(direct upload url)"
    }

    fn timeout_class(&self) -> TimeoutClass {
        TimeoutClass::Upload
    }

    fn accepts_idempotency_key(&self) -> bool {
        false
    }

    fn sends_credentials(&self) -> bool {
        false
    }

    fn build(&self, _config: &Config) -> Result<Request<Body>, Error> {
        let uri: http::Uri = self
            .url
            .parse()
            .map_err(|_| Error::invalid_request(Some("upload_url"), "is not a valid url"))?;
        if !upload_url_allowed(&uri) {
            return Err(Error::invalid_request(
                Some("upload_url"),
                "must be an https url (http only for a loopback host)",
            ));
        }
        let mut builder = Request::builder().method(Method::PUT).uri(uri);
        let mut has_length = false;
        for (name, value) in &self.headers {
            let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                Error::invalid_request(Some("upload_headers"), "invalid header name")
            })?;
            let mut header_value = HeaderValue::from_str(value).map_err(|_| {
                Error::invalid_request(Some("upload_headers"), "invalid header value")
            })?;
            if header == CONTENT_LENGTH {
                // Digits only: `u64::from_str` would take `+N`, which is not a Content-Length.
                let digits = value.trim();
                let exact = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
                if !exact || digits.parse::<u64>().ok() != Some(self.size_bytes) {
                    return Err(Error::invalid_request(
                        Some("size_bytes"),
                        "does not match the Content-Length the upload url expects",
                    ));
                }
                has_length = true;
            }
            header_value.set_sensitive(true);
            builder = builder.header(header, header_value);
        }
        if !has_length {
            builder = builder.header(CONTENT_LENGTH, HeaderValue::from(self.size_bytes));
        }
        builder
            .body(Body::Stream(StreamBody {
                prefix: Bytes::new(),
                source: self.source.clone(),
                len: self.size_bytes,
                suffix: Bytes::new(),
                sha256: true,
                name: None,
            }))
            .map_err(|_| Error::invalid_request(None, "the upload request could not be built"))
    }

    fn parse(&self, response: Response<&[u8]>, limits: &ResponseLimits) -> Result<(), Error> {
        if response.status().is_success() {
            return Ok(());
        }
        let method = Method::PUT;
        let meta = Meta {
            method: &method,
            path: self.path_template(),
        };
        parse_response::<serde::de::IgnoredAny>(meta, Target::Whole, &response, limits).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framing_lengths() {
        let f = MultipartFraming::new("a\"b.png", "image/png", 10, [1; 16]).unwrap();
        assert!(
            std::str::from_utf8(f.prefix())
                .unwrap()
                .contains("filename=\"a%22b.png\"")
        );
        assert_eq!(
            f.content_length(),
            f.prefix().len() as u64 + 10 + f.suffix().len() as u64
        );
        assert!(
            MultipartFraming::new("x", "image/png", MAX_MULTIPART_UPLOAD_BYTES + 1, [0; 16])
                .is_err()
        );
        assert!(MultipartFraming::new("x", "image\r\n/png", 1, [0; 16]).is_err());
    }

    #[test]
    fn sniffing() {
        assert_eq!(
            sniff_media_type(b"\x89PNG\r\n\x1a\n...."),
            Some("image/png")
        );
        assert!(!media_type_matches("image/jpeg", b"\x89PNG\r\n\x1a\n"));
        assert!(media_type_matches("image/jpg", b"\xff\xd8\xff\xe0"));
        assert!(media_type_matches("text/plain", b"hello"));
        assert_eq!(
            Sha256::hex_digest(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
