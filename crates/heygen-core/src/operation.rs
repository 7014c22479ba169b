//! The [`Operation`] trait and the request-building helpers every operation shares.

use bytes::Bytes;
use http::header::{
    ACCEPT, ACCEPT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, HeaderValue, USER_AGENT,
};
use http::{Method, Request, Response};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::body::{Body, StreamBody};
use crate::config::{Config, TimeoutClass};
use crate::error::Error;
use crate::response::ResponseLimits;
use crate::retry::method_is_idempotent;

/// The header that carries an idempotency key.
pub const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";

/// One HTTP exchange with the API: how to build the request and how to read any response.
///
/// Operations are plain values; they do no IO. A transport sends them through [`crate::Call`],
/// which adds the idempotency key and drives retries.
pub trait Operation {
    /// What a successful response decodes to.
    type Output;

    /// The HTTP method.
    fn method(&self) -> Method;

    /// The path template, for errors and logs (`/v3/videos/{video_id}`); never holds ids.
    fn path_template(&self) -> &'static str;

    /// Which timeout applies; `GET` is [`TimeoutClass::Read`], others [`TimeoutClass::Write`].
    fn timeout_class(&self) -> TimeoutClass {
        if self.method() == Method::GET {
            TimeoutClass::Read
        } else {
            TimeoutClass::Write
        }
    }

    /// Whether the request carries an `Idempotency-Key` when sent through [`crate::Call`]:
    /// `POST`, `PATCH` and `DELETE` to the API do.
    fn accepts_idempotency_key(&self) -> bool {
        matches!(self.method(), Method::POST | Method::PATCH | Method::DELETE)
    }

    /// A key the caller chose for this operation, if any. [`crate::Call::new`] validates and
    /// sends it, or makes one from the client's entropy: the one place a key is inserted.
    fn idempotency_key(&self) -> Option<&str> {
        None
    }

    /// Whether sending the request twice is safe: `GET`, `HEAD`, `PUT`, `DELETE`, or a request
    /// that carries an idempotency key chosen by the caller. ([`crate::Call`] also counts the key
    /// it adds.)
    fn is_idempotent(&self) -> bool {
        method_is_idempotent(&self.method()) || self.idempotency_key().is_some()
    }

    /// Whether a 409 conflict is transient for this operation and retried with backoff
    /// (completing a direct upload before storage has seen the object).
    fn retries_conflict(&self) -> bool {
        false
    }

    /// Whether the request goes to the API origin (with credentials). The direct-upload `PUT`
    /// goes to a storage URL and returns false.
    fn sends_credentials(&self) -> bool {
        true
    }

    /// Validates and builds the request: head and body, where the body is bytes or the plan a
    /// client follows to stream a file ([`Body`]). No idempotency key yet ([`crate::Call`]
    /// adds it).
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when validation fails; nothing must be sent then.
    fn build(&self, config: &Config) -> Result<Request<Body>, Error>;

    /// Reads a response of any status with any body, within `limits`; never panics.
    ///
    /// # Errors
    /// Every error the API can express and every malformed response, as described in
    /// [`crate::response`].
    fn parse(
        &self,
        response: Response<&[u8]>,
        limits: &ResponseLimits,
    ) -> Result<Self::Output, Error>;
}

impl<O: Operation + ?Sized> Operation for &O {
    type Output = O::Output;

    fn method(&self) -> Method {
        (**self).method()
    }
    fn path_template(&self) -> &'static str {
        (**self).path_template()
    }
    fn timeout_class(&self) -> TimeoutClass {
        (**self).timeout_class()
    }
    fn accepts_idempotency_key(&self) -> bool {
        (**self).accepts_idempotency_key()
    }
    fn idempotency_key(&self) -> Option<&str> {
        (**self).idempotency_key()
    }
    fn is_idempotent(&self) -> bool {
        (**self).is_idempotent()
    }
    fn sends_credentials(&self) -> bool {
        (**self).sends_credentials()
    }
    fn retries_conflict(&self) -> bool {
        (**self).retries_conflict()
    }
    fn build(&self, config: &Config) -> Result<Request<Body>, Error> {
        (**self).build(config)
    }
    fn parse(
        &self,
        response: Response<&[u8]>,
        limits: &ResponseLimits,
    ) -> Result<Self::Output, Error> {
        (**self).parse(response, limits)
    }
}

/// Characters encoded in a path segment: everything but unreserved characters.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Characters encoded in a query key or value: everything but unreserved characters.
const QUERY_COMPONENT: &AsciiSet = PATH_SEGMENT;

/// Percent-encodes one path parameter so it stays one segment.
///
/// # Errors
/// [`Error::InvalidRequest`] for an empty id, `.` or `..`, which no encoding keeps inside a
/// single segment on every server.
pub fn encode_path_param(name: &str, value: &str) -> Result<String, Error> {
    if value.is_empty() || value == "." || value == ".." {
        return Err(Error::invalid_request(
            Some(name),
            "must not be empty, `.` or `..`",
        ));
    }
    Ok(utf8_percent_encode(value, PATH_SEGMENT).to_string())
}

/// Builds a query string (`?a=1&b=x%20y`) from pairs; empty when there are none.
pub fn encode_query<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.extend(utf8_percent_encode(k.as_ref(), QUERY_COMPONENT));
        out.push('=');
        out.extend(utf8_percent_encode(v.as_ref(), QUERY_COMPONENT));
    }
    out
}

/// Makes an idempotency key from 16 bytes of entropy: `hgrs-` and 32 lower-case hex digits.
pub fn idempotency_key_from_entropy(entropy: &[u8; 16]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut key = String::with_capacity(5 + 32);
    key.push_str("hgrs-");
    for byte in entropy {
        key.push(char::from(HEX[usize::from(byte >> 4)]));
        key.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    key
}

/// Whether a key is 1–255 characters of `[A-Za-z0-9_:.-]`.
pub fn is_valid_idempotency_key(key: &str) -> bool {
    (1..=255).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'.' | b'-'))
}

/// What an API request carries.
pub(crate) enum Payload {
    /// No body (`GET`, `DELETE`).
    Empty,
    /// A JSON document.
    Json(Vec<u8>),
    /// A body the client streams, with this content type.
    Stream {
        content_type: HeaderValue,
        body: StreamBody,
    },
}

/// Builds an API request: URL from the base and `path_and_query`, `Accept`, `Accept-Encoding`,
/// `User-Agent`, auth, and the body with its content type (and length, for a stream).
///
/// The request is assembled in place (no `http::request::Builder`, which moves the whole head
/// through a `Result` once per header): this runs once per call.
pub(crate) fn api_request(
    config: &Config,
    method: Method,
    path_and_query: &str,
    payload: Payload,
) -> Result<Request<Body>, Error> {
    // The joined URL's buffer becomes the `Uri`'s; it is not copied again.
    let uri = http::Uri::try_from(config.url(path_and_query).into_bytes())
        .map_err(|_| Error::invalid_request(None, "the request url is invalid"))?;
    let (content, body) = match payload {
        Payload::Empty => (None, Body::default()),
        Payload::Json(json) => (
            Some((HeaderValue::from_static("application/json"), None)),
            Body::Bytes(Bytes::from(json)),
        ),
        Payload::Stream { content_type, body } => (
            Some((content_type, Some(body.content_length()))),
            Body::Stream(body),
        ),
    };
    let mut request = Request::new(body);
    *request.method_mut() = method;
    *request.uri_mut() = uri;
    let headers = request.headers_mut();
    // Room for every header a call can carry, the idempotency key added by `Call` included.
    headers.reserve(8);
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    headers.insert(ACCEPT_ENCODING, HeaderValue::from_static("gzip"));
    headers.insert(USER_AGENT, config.user_agent().clone());
    let (auth_name, auth_value) = config.auth_header();
    headers.insert(auth_name.clone(), auth_value.clone());
    if let Some((content_type, length)) = content {
        headers.insert(CONTENT_TYPE, content_type);
        if let Some(length) = length {
            headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
        }
    }
    Ok(request)
}

/// Serializes a JSON body; an object with no set fields becomes `{}`.
pub(crate) fn json_body<T: serde::Serialize + ?Sized>(value: &T) -> Result<Payload, Error> {
    serde_json::to_vec(value)
        .map(Payload::Json)
        .map_err(|e| Error::invalid_request(None, format!("the body could not be serialized: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_params_stay_one_segment() {
        assert_eq!(
            encode_path_param("id", "a/b?c#d e").unwrap(),
            "a%2Fb%3Fc%23d%20e"
        );
        assert_eq!(encode_path_param("id", "../x").unwrap(), "..%2Fx");
        assert!(encode_path_param("id", "..").is_err());
        assert!(encode_path_param("id", ".").is_err());
        assert!(encode_path_param("id", "").is_err());
        assert_eq!(encode_path_param("id", "look_0001").unwrap(), "look_0001");
    }

    #[test]
    fn keys() {
        let k = idempotency_key_from_entropy(&[0xab; 16]);
        assert!(is_valid_idempotency_key(&k));
        assert_eq!(k.len(), 37);
        assert!(!is_valid_idempotency_key("bad key!"));
        assert!(!is_valid_idempotency_key(&"a".repeat(256)));
        assert!(is_valid_idempotency_key(&"a".repeat(255)));
    }

    #[test]
    fn query() {
        assert_eq!(encode_query::<&str, &str>(&[]), "");
        assert_eq!(
            encode_query(&[("a", "x y"), ("b", "1&2")]),
            "?a=x%20y&b=1%262"
        );
    }
}
