//! Turning any response (status, headers, bytes) into a typed value or an [`Error`].
//!
//! Every operation's `parse` runs the same pipeline: size limit, content decoding (gzip and
//! deflate, with a bound on the decoded size), redirects, the HeyGen error shapes (checked before
//! `data`, for every status), non-JSON bodies, and finally typed decoding with a JSON path on
//! failure.

use std::borrow::Cow;
use std::io::Read;
use std::time::{Duration, SystemTime};

use http::header::{CONTENT_ENCODING, CONTENT_TYPE, DATE, HeaderMap, LOCATION, RETRY_AFTER};
use http::{Method, Response, StatusCode};
use serde::de::value::{MapAccessDeserializer, StrDeserializer};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use serde_json::value::RawValue;
use std::marker::PhantomData;

use crate::config::{Config, DEFAULT_MAX_RESPONSE_BYTES};
use crate::error::{
    ApiError, BodyTooLarge, DecodeError, Error, UnexpectedRedirect, UnexpectedResponse,
};
use crate::redact::{redact_url, snippet};

/// The header HeyGen uses for its request id.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Size bounds for a response body, in bytes.
///
/// Transports read at most [`ResponseLimits::read_limit`] bytes of the raw body (one more than
/// the limit, so the core can tell "exactly at the limit" from "over it") and hand them over
/// undecoded; the core decodes `gzip`/`deflate` itself and bounds the decoded size too.
///
/// [`crate::Call`] passes the configured limits to each operation's `parse`; the defaults are
/// 16 MiB.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResponseLimits {
    /// Largest raw body accepted.
    pub max_body_bytes: usize,
    /// Largest body accepted after content decoding.
    pub max_decoded_bytes: usize,
}

impl Default for ResponseLimits {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_RESPONSE_BYTES)
    }
}

impl ResponseLimits {
    /// The same bound for the raw and the decoded body.
    pub fn new(max_bytes: usize) -> Self {
        Self {
            max_body_bytes: max_bytes,
            max_decoded_bytes: max_bytes,
        }
    }

    /// The limits a configuration asks for.
    pub fn from_config(config: &Config) -> Self {
        Self::new(config.max_response_bytes())
    }

    /// How many raw bytes a transport should read at most: the limit plus one.
    pub fn read_limit(&self) -> u64 {
        (self.max_body_bytes as u64).saturating_add(1)
    }
}

/// What part of a successful body an operation decodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// The `data` member (single resources).
    Data,
    /// The whole object (list pages: `data`, `has_more`, `next_token`).
    Whole,
}

/// Identifies the operation in errors.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Meta<'a> {
    pub(crate) method: &'a Method,
    pub(crate) path: &'static str,
}

/// The `X-Request-Id` header, when present and readable.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(200).collect())
}

fn content_type(headers: &HeaderMap) -> Option<String> {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(200).collect())
}

/// Parses `Retry-After`: delta seconds, or an HTTP date taken relative to the response's `Date`
/// header (a past date gives zero). Anything else, or a date without a `Date` header, gives
/// `None` so the caller falls back to its backoff.
pub fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Saturate absurdly large values; the retry policy caps them anyway.
        let secs = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    let reference = headers
        .get(DATE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v.trim()).ok())?;
    Some(duration_between(reference, at))
}

fn duration_between(from: SystemTime, to: SystemTime) -> Duration {
    to.duration_since(from).unwrap_or(Duration::ZERO)
}

/// Decodes `Content-Encoding: gzip` / `x-gzip` / `deflate` bodies within `limits`; other bodies
/// are returned as they are.
///
/// # Errors
/// [`Error::BodyTooLarge`] when the raw or decoded body exceeds the limits; an unknown or
/// corrupt encoding gives [`Error::Transport`] with [`crate::TransportErrorKind::Io`] (an
/// operation's `parse` reports it as [`Error::UnexpectedResponse`] instead).
pub fn decode_body<'a>(
    status: StatusCode,
    headers: &HeaderMap,
    body: &'a [u8],
    limits: &ResponseLimits,
) -> Result<Cow<'a, [u8]>, Error> {
    if body.len() > limits.max_body_bytes {
        return Err(too_large(status, headers, limits.max_body_bytes));
    }
    let encoding = headers
        .get_all(CONTENT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|v| v.trim().to_ascii_lowercase())
        .filter(|v| !v.is_empty() && v != "identity")
        .collect::<Vec<_>>();
    if encoding.is_empty() || body.is_empty() {
        return Ok(Cow::Borrowed(body));
    }
    let mut current: Vec<u8> = Vec::new();
    let mut first = true;
    // Encodings are listed in the order they were applied; undo them in reverse.
    for coding in encoding.iter().rev() {
        let input: &[u8] = if first { body } else { &current };
        let decoded = match coding.as_str() {
            "gzip" | "x-gzip" => bounded_read(
                flate2::read::MultiGzDecoder::new(input),
                limits,
                status,
                headers,
            )?,
            "deflate" => bounded_read(
                flate2::read::ZlibDecoder::new(input),
                limits,
                status,
                headers,
            )?,
            _ => {
                return Err(Error::transport(
                    crate::error::TransportErrorKind::Io,
                    Some(format!("unsupported content encoding {coding}").into()),
                ));
            }
        };
        current = decoded;
        first = false;
    }
    Ok(Cow::Owned(current))
}

fn bounded_read(
    reader: impl Read,
    limits: &ResponseLimits,
    status: StatusCode,
    headers: &HeaderMap,
) -> Result<Vec<u8>, Error> {
    let cap = limits.max_decoded_bytes;
    let mut out = Vec::new();
    let read = reader
        .take((cap as u64).saturating_add(1))
        .read_to_end(&mut out);
    match read {
        Ok(_) if out.len() > cap => Err(too_large(status, headers, cap)),
        Ok(_) => Ok(out),
        Err(e) => Err(Error::transport(
            crate::error::TransportErrorKind::Io,
            Some(format!("could not decode the compressed body: {e}").into()),
        )),
    }
}

fn too_large(status: StatusCode, headers: &HeaderMap, limit: usize) -> Error {
    Error::BodyTooLarge(Box::new(BodyTooLarge {
        method: None,
        path: None,
        status: Some(status),
        limit,
        request_id: request_id(headers),
    }))
}

/// The top level of any JSON object body, borrowed.
#[derive(Deserialize)]
struct Outer<'a> {
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
    #[serde(default)]
    error: Option<Value>,
    #[serde(default)]
    code: Option<Value>,
    #[serde(default)]
    message: Option<Value>,
    #[serde(default)]
    msg: Option<Value>,
    #[serde(default)]
    detail: Option<Value>,
    #[serde(default)]
    param: Option<Value>,
    #[serde(default)]
    doc_url: Option<Value>,
}

fn value_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::String(s) => Some(bounded(s)),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        other => Some(bounded(&other.to_string())),
    }
}

fn bounded(text: &str) -> String {
    const MAX: usize = 1024;
    if text.len() <= MAX {
        return crate::redact::redact_secrets(text);
    }
    let mut end = MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    crate::redact::redact_secrets(&text[..end])
}

/// Whether an `error` member carries an error.
///
/// Zero values (Go-style servers send them next to good `data`) carry nothing: null, `false`,
/// `0`, `""`, `[]`, and an object whose `code`, `message` and `detail` are all absent, null,
/// empty text or a zero number. A real error object on a 200 is still an error (BR-07).
fn carries_error(error: Option<&Value>) -> bool {
    match error {
        None => false,
        Some(Value::Object(map)) => ["code", "message", "detail"]
            .iter()
            .any(|key| map.get(*key).is_some_and(is_meaningful)),
        Some(other) => is_meaningful(other),
    }
}

/// Whether a scalar says something: non-empty text, a non-zero number, `true`, or a non-empty
/// array or object.
fn is_meaningful(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_none_or(|f| f != 0.0),
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
    }
}

fn api_error(meta: Meta<'_>, status: StatusCode, headers: &HeaderMap, outer: &Outer<'_>) -> Error {
    let mut code = None;
    let mut message = None;
    let mut param = None;
    let mut doc_url = None;
    match &outer.error {
        Some(Value::Object(map)) => {
            code = value_text(map.get("code"));
            message = value_text(map.get("message").or_else(|| map.get("detail")));
            param = value_text(map.get("param"));
            doc_url = value_text(map.get("doc_url"));
        }
        Some(Value::String(s)) if !s.is_empty() => message = Some(bounded(s)),
        _ => {}
    }
    code = code.or_else(|| value_text(outer.code.as_ref()));
    message = message
        .or_else(|| value_text(outer.message.as_ref()))
        .or_else(|| value_text(outer.msg.as_ref()))
        .or_else(|| value_text(outer.detail.as_ref()));
    param = param.or_else(|| value_text(outer.param.as_ref()));
    doc_url = doc_url.or_else(|| value_text(outer.doc_url.as_ref()));
    Error::Api(Box::new(ApiError {
        method: meta.method.clone(),
        path: meta.path,
        status,
        code,
        message,
        param,
        doc_url,
        request_id: request_id(headers),
        retry_after: parse_retry_after(headers),
    }))
}

fn unexpected(meta: Meta<'_>, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Error {
    Error::UnexpectedResponse(Box::new(UnexpectedResponse {
        method: meta.method.clone(),
        path: meta.path,
        status,
        content_type: content_type(headers),
        snippet: snippet(body),
        request_id: request_id(headers),
        retry_after: parse_retry_after(headers),
    }))
}

pub(crate) fn decode_error(
    meta: Meta<'_>,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    json_path: String,
    message: &str,
) -> Error {
    Error::Decode(Box::new(DecodeError {
        method: meta.method.clone(),
        path: meta.path,
        status,
        json_path,
        message: bounded(message),
        snippet: snippet(body),
        request_id: request_id(headers),
    }))
}

fn fill_meta(error: Error, meta: Meta<'_>) -> Error {
    error.with_operation(meta.method, meta.path)
}

/// Decodes `json` as `T`: plain `serde_json` first (no path bookkeeping), and only when that
/// fails a second time through `serde_path_to_error` for the error's JSON path.
fn decode_typed<T: DeserializeOwned>(json: &str) -> Result<T, (String, String)> {
    match serde_json::from_str(json) {
        Ok(value) => Ok(value),
        Err(_) => decode_typed_with_path(json),
    }
}

fn decode_typed_with_path<T: DeserializeOwned>(json: &str) -> Result<T, (String, String)> {
    let mut de = serde_json::Deserializer::from_str(json);
    let result: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    match result {
        Ok(value) => match de.end() {
            Ok(()) => Ok(value),
            Err(e) => Err((".".to_owned(), e.to_string())),
        },
        Err(e) => {
            // The path names map keys as the body spelled them; a key may carry a secret.
            let path = crate::redact::redact_secrets(&e.path().to_string());
            Err((path, e.into_inner().to_string()))
        }
    }
}

fn prefixed(prefix: &str, path: &str) -> String {
    if path == "." || path.is_empty() {
        prefix.to_owned()
    } else if path.starts_with('[') {
        format!("{prefix}{path}")
    } else {
        format!("{prefix}.{path}")
    }
}

/// Whether a body looks like JSON: its first non-whitespace byte opens an object or array.
fn looks_like_json(body: &[u8]) -> bool {
    matches!(
        body.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    )
}

fn json_content_type(headers: &HeaderMap) -> bool {
    content_type(headers).is_some_and(|ct| {
        let ct = ct.to_ascii_lowercase();
        ct.starts_with("application/json") || ct.contains("+json")
    })
}

/// The whole pipeline for one response.
pub(crate) fn parse_response<T: DeserializeOwned>(
    meta: Meta<'_>,
    target: Target,
    response: &Response<&[u8]>,
    limits: &ResponseLimits,
) -> Result<T, Error> {
    let status = response.status();
    let headers = response.headers();
    let body = decode_body(status, headers, response.body(), limits).map_err(|e| match e {
        // An unknown or corrupt encoding is a malformed response, not a transport failure.
        Error::Transport(t) => {
            let mut error = unexpected(meta, status, headers, b"");
            if let (Error::UnexpectedResponse(u), Some(source)) = (&mut error, t.source) {
                u.snippet = snippet(source.to_string().as_bytes());
            }
            error
        }
        other => fill_meta(other, meta),
    })?;
    let body: &[u8] = &body;

    if status.is_redirection() {
        return Err(Error::UnexpectedRedirect(Box::new(UnexpectedRedirect {
            method: meta.method.clone(),
            path: meta.path,
            status,
            location: headers
                .get(LOCATION)
                .map(|v| redact_url(&String::from_utf8_lossy(v.as_bytes()))),
            request_id: request_id(headers),
        })));
    }

    let Ok(text) = core::str::from_utf8(body) else {
        return Err(if status.is_success() && json_content_type(headers) {
            decode_error(
                meta,
                status,
                headers,
                body,
                ".".to_owned(),
                "the body is not valid utf-8",
            )
        } else {
            unexpected(meta, status, headers, body)
        });
    };

    if !looks_like_json(body) {
        return Err(
            if status.is_success() && json_content_type(headers) && !text.trim().is_empty() {
                decode_error(
                    meta,
                    status,
                    headers,
                    body,
                    ".".to_owned(),
                    "expected a json object",
                )
            } else {
                unexpected(meta, status, headers, body)
            },
        );
    }

    // The common case in one pass: a 2xx object whose `error` member (if any) carries nothing
    // and whose target decodes. Anything else (an error shape, a duplicate envelope member, a
    // decode failure) falls through to the full pipeline below, which gives the same result or
    // the precise error.
    if status.is_success()
        && text.trim_start().starts_with('{')
        && let Some(value) = fast_decode::<T>(target, text)
    {
        return Ok(value);
    }

    let outer = parse_outer(meta, status, headers, body, text)?;

    if carries_error(outer.error.as_ref()) || !status.is_success() {
        return Err(api_error(meta, status, headers, &outer));
    }

    match target {
        Target::Data => {
            let Some(data) = outer.data else {
                return Err(decode_error(
                    meta,
                    status,
                    headers,
                    body,
                    "data".to_owned(),
                    "missing or null `data`",
                ));
            };
            decode_typed::<T>(data.get()).map_err(|(path, message)| {
                decode_error(
                    meta,
                    status,
                    headers,
                    body,
                    prefixed("data", &path),
                    &message,
                )
            })
        }
        Target::Whole => decode_typed::<T>(text)
            .map_err(|(path, message)| decode_error(meta, status, headers, body, path, &message)),
    }
}

/// Reads the envelope of a body that looks like JSON.
fn parse_outer<'a>(
    meta: Meta<'_>,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    text: &'a str,
) -> Result<Outer<'a>, Error> {
    if !text.trim_start().starts_with('{') {
        return Err(not_an_object(meta, status, headers, body));
    }
    serde_json::from_str(text).map_err(|e| {
        if status.is_success() {
            decode_error(meta, status, headers, body, ".".to_owned(), &e.to_string())
        } else {
            unexpected(meta, status, headers, body)
        }
    })
}

/// A JSON body that is not an object (an array, a string, a number) is never an envelope (serde
/// would read an array as `Outer`'s fields in order): on a 2xx it is a decode error, on an
/// error status an API error with nothing more to say.
fn not_an_object(meta: Meta<'_>, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Error {
    if status.is_success() {
        decode_error(
            meta,
            status,
            headers,
            body,
            ".".to_owned(),
            "expected a json object",
        )
    } else {
        api_error(meta, status, headers, &empty_outer())
    }
}

fn empty_outer() -> Outer<'static> {
    Outer {
        data: None,
        error: None,
        code: None,
        message: None,
        msg: None,
        detail: None,
        param: None,
        doc_url: None,
    }
}

/// Decodes a 2xx object body in one pass, or gives `None` when the body needs the full
/// pipeline: a non-null `error` member, a duplicate envelope member (the full
/// pipeline rejects those), a missing or null `data`, or any decode failure.
fn fast_decode<T: DeserializeOwned>(target: Target, text: &str) -> Option<T> {
    let (value, error) = match target {
        Target::Data => {
            let envelope: Envelope<'_, T> = serde_json::from_str(text).ok()?;
            (envelope.data?, envelope.error)
        }
        Target::Whole => {
            let page: Watched<'_, T> = serde_json::from_str(text).ok()?;
            (page.value, page.error)
        }
    };
    // A null `error` is no error; any other `error` member is left to the full pipeline, which
    // decides whether it carries an error exactly as before.
    match error {
        None => Some(value),
        Some(raw) if raw.get().trim() == "null" => Some(value),
        Some(_) => None,
    }
}

/// The envelope of a single resource with `data` decoded in place. It names every member
/// [`Outer`] names so that duplicates fail here as they do there.
#[derive(Deserialize)]
#[allow(
    dead_code,
    reason = "members read only to reject duplicates, as `Outer` does"
)]
struct Envelope<'a, T> {
    #[serde(default = "none")]
    data: Option<T>,
    #[serde(borrow, default)]
    error: Option<&'a RawValue>,
    #[serde(default)]
    code: Option<IgnoredAny>,
    #[serde(default)]
    message: Option<IgnoredAny>,
    #[serde(default)]
    msg: Option<IgnoredAny>,
    #[serde(default)]
    detail: Option<IgnoredAny>,
    #[serde(default)]
    param: Option<IgnoredAny>,
    #[serde(default)]
    doc_url: Option<IgnoredAny>,
}

fn none<T>() -> Option<T> {
    None
}

/// The members [`Outer`] reads; a duplicate of any of them makes the body a decode error.
const OUTER_MEMBERS: [&str; 8] = [
    "data", "error", "code", "message", "msg", "detail", "param", "doc_url",
];

/// A whole page decoded as `T` while its top-level `error` member is kept (borrowed) on the
/// side. `T` sees every member, `error` included, exactly as it would on its own.
struct Watched<'de, T> {
    value: T,
    error: Option<&'de RawValue>,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Watched<'de, T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(WatchedVisitor(PhantomData))
    }
}

struct WatchedVisitor<'de, T>(PhantomData<(&'de (), T)>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for WatchedVisitor<'de, T> {
    type Value = Watched<'de, T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a json object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let mut watch = Watch {
            inner: map,
            seen: 0,
            error_next: false,
            error: None,
        };
        let value = T::deserialize(MapAccessDeserializer::new(&mut watch))?;
        // `T` must have read the whole object for the `error` member to have been seen.
        if watch.inner.next_key::<IgnoredAny>()?.is_some() {
            return Err(de::Error::custom("object not fully read"));
        }
        Ok(Watched {
            value,
            error: watch.error,
        })
    }
}

/// Passes a map through, noting the envelope members and keeping `error` borrowed.
struct Watch<'de, A> {
    inner: A,
    seen: u8,
    error_next: bool,
    error: Option<&'de RawValue>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Watch<'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let Some(key) = self.inner.next_key::<Key<'de>>()? else {
            return Ok(None);
        };
        let key: &str = &key.0;
        if let Some(index) = OUTER_MEMBERS.iter().position(|m| *m == key) {
            let bit = 1u8 << index;
            if self.seen & bit != 0 {
                return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
            }
            self.seen |= bit;
            self.error_next = key == "error";
        } else {
            self.error_next = false;
        }
        seed.deserialize(StrDeserializer::<A::Error>::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        if !std::mem::take(&mut self.error_next) {
            return self.inner.next_value_seed(seed);
        }
        let raw: &'de RawValue = self.inner.next_value()?;
        self.error = Some(raw);
        seed.deserialize(raw).map_err(de::Error::custom)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// An object key, borrowed from the input when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Item {
        #[allow(dead_code, reason = "decoded, not read")]
        id: String,
    }

    #[derive(Debug, Deserialize)]
    struct Page {
        #[allow(dead_code, reason = "decoded, not read")]
        data: Vec<Item>,
        #[serde(default)]
        #[allow(dead_code, reason = "decoded, not read")]
        has_more: bool,
    }

    fn parse<T: DeserializeOwned>(target: Target, body: &str) -> Result<T, Error> {
        let method = Method::GET;
        let meta = Meta {
            method: &method,
            path: "/v3/test",
        };
        parse_response(
            meta,
            target,
            &Response::new(body.as_bytes()),
            &ResponseLimits::default(),
        )
    }

    fn json_path(result: Result<impl std::fmt::Debug, Error>) -> String {
        match result {
            Err(Error::Decode(e)) => e.json_path,
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    fn api_code(result: Result<impl std::fmt::Debug, Error>) -> Option<String> {
        match result {
            Err(Error::Api(e)) => e.code,
            other => panic!("expected an api error, got {other:?}"),
        }
    }

    #[test]
    fn one_pass_and_full_pipeline_agree() {
        // Data target.
        assert!(parse::<Item>(Target::Data, r#"{"data":{"id":"a"},"error":null}"#).is_ok());
        assert!(
            parse::<Item>(
                Target::Data,
                r#"{"data":{"id":"a"},"error":{"code":"","message":null}}"#
            )
            .is_ok()
        );
        assert_eq!(
            api_code(parse::<Item>(
                Target::Data,
                r#"{"data":{"id":"a"},"error":{"code":"bad"}}"#
            )),
            Some("bad".to_owned())
        );
        assert_eq!(
            json_path(parse::<Item>(
                Target::Data,
                r#"{"data":{"id":"a"},"msg":"x","msg":"y"}"#
            )),
            "."
        );
        assert_eq!(
            json_path(parse::<Item>(Target::Data, r#"{"data":{"id":1}}"#)),
            "data.id"
        );
        assert_eq!(
            json_path(parse::<Item>(Target::Data, r#"{"data":null}"#)),
            "data"
        );
        // Whole target.
        assert!(parse::<Page>(Target::Whole, r#"{"data":[{"id":"a"}],"error":null}"#).is_ok());
        assert!(parse::<Page>(Target::Whole, r#"{"error":0,"data":[{"id":"a"}]}"#).is_ok());
        assert_eq!(
            api_code(parse::<Page>(
                Target::Whole,
                r#"{"data":[{"id":"a"}],"error":{"code":"e","message":"m"}}"#
            )),
            Some("e".to_owned())
        );
        assert_eq!(
            json_path(parse::<Page>(
                Target::Whole,
                r#"{"data":[],"code":1,"code":2}"#
            )),
            "."
        );
        assert_eq!(
            json_path(parse::<Page>(Target::Whole, r#"{"data":[{"id":2}]}"#)),
            "data[0].id"
        );
        assert_eq!(json_path(parse::<Page>(Target::Whole, "[]")), ".");
    }

    #[test]
    fn retry_after_forms() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, "3".parse().unwrap());
        assert_eq!(parse_retry_after(&h), Some(Duration::from_secs(3)));
        h.insert(
            RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:10 GMT".parse().unwrap(),
        );
        assert_eq!(parse_retry_after(&h), None);
        h.insert(DATE, "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap());
        assert_eq!(parse_retry_after(&h), Some(Duration::from_secs(10)));
        h.insert(
            RETRY_AFTER,
            "Wed, 21 Oct 2015 07:27:00 GMT".parse().unwrap(),
        );
        assert_eq!(parse_retry_after(&h), Some(Duration::ZERO));
        h.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(parse_retry_after(&h), None);
        h.insert(RETRY_AFTER, "-1".parse().unwrap());
        assert_eq!(parse_retry_after(&h), None);
    }
}
