//! An untyped escape hatch for endpoints the SDK does not cover yet.

use http::{Method, Request, Response};
use serde_json::Value;

use crate::body::Body;
use crate::config::Config;
use crate::error::Error;
use crate::operation::{Operation, Payload, api_request, encode_query, json_body};
use crate::response::{Meta, ResponseLimits, Target, parse_response};

/// Any JSON endpoint of the API, with the response's `data` member as a [`serde_json::Value`]
/// (or the whole object, for list pages, with [`RawJson::whole_body`]).
///
/// The path is used as given: percent-encode ids yourself with
/// [`crate::operation::encode_path_param`].
#[derive(Debug, Clone)]
pub struct RawJson {
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    body: Option<Value>,
    whole: bool,
    idempotency_key: Option<String>,
}

impl RawJson {
    /// A request with `method` to `path` (starting with `/v3/`).
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
            whole: false,
            idempotency_key: None,
        }
    }

    /// Adds a query pair.
    #[must_use]
    pub fn query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((key.into(), value.into()));
        self
    }

    /// Sets the JSON body.
    #[must_use]
    pub fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Returns the whole response object instead of its `data` member.
    #[must_use]
    pub fn whole_body(mut self) -> Self {
        self.whole = true;
        self
    }

    /// Sets an idempotency key (1–255 characters of `[A-Za-z0-9_:.-]`).
    #[must_use]
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }
}

impl Operation for RawJson {
    type Output = Value;

    fn method(&self) -> Method {
        self.method.clone()
    }

    fn path_template(&self) -> &'static str {
        "(raw request)"
    }

    fn idempotency_key(&self) -> Option<&str> {
        self.idempotency_key.as_deref()
    }

    fn build(&self, config: &Config) -> Result<Request<Body>, Error> {
        if !self.path.starts_with('/') || self.path.contains(['?', '#']) {
            return Err(Error::invalid_request(
                Some("path"),
                "must start with `/` and carry no query or fragment",
            ));
        }
        let body = match &self.body {
            Some(value) => json_body(value)?,
            None if matches!(self.method, Method::POST | Method::PATCH | Method::PUT) => {
                json_body(&serde_json::json!({}))?
            }
            None => Payload::Empty,
        };
        let path = format!("{}{}", self.path, encode_query(&self.query));
        api_request(config, self.method.clone(), &path, body)
    }

    fn parse(&self, response: Response<&[u8]>, limits: &ResponseLimits) -> Result<Value, Error> {
        let meta = Meta {
            method: &self.method,
            path: self.path_template(),
        };
        let target = if self.whole {
            Target::Whole
        } else {
            Target::Data
        };
        parse_response(meta, target, &response, limits)
    }
}
