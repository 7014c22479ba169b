//! Integration tests: the emulator over real HTTP, with ureq as a plain client.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs,
    unreachable_pub,
    clippy::missing_panics_doc,
    clippy::missing_errors_doc,
    clippy::too_many_lines,
    reason = "tests"
)]

mod admin;
mod asset_batches;
mod auth;
mod conformance;
mod faults;
mod files;
mod flows;
mod idempotency;
mod oauth;
mod uploads;
mod validation;
mod video_batches;
mod voices;
mod webhooks;

use std::time::Duration;

use heygen_emulator::{Emulator, EmulatorHandle, EmulatorOptions};
use serde_json::{Value, json};

/// A started emulator plus a client that never turns statuses into errors and never follows
/// redirects.
pub struct Emu {
    pub h: EmulatorHandle,
    pub agent: ureq::Agent,
}

/// A response, fully read.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: ureq::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Asserts an error envelope with this status, code and (if given) param.
    #[track_caller]
    pub fn assert_error(&self, status: u16, code: &str, param: Option<&str>) {
        assert_eq!(self.status, status, "body: {}", self.text());
        let v = self.json();
        assert_eq!(v["error"]["code"], code, "body: {v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
        if let Some(p) = param {
            assert_eq!(v["error"]["param"], p, "body: {v}");
        }
        assert!(self.header("x-request-id").is_some());
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

impl Emu {
    pub fn start() -> Self {
        Self::with(EmulatorOptions::default().seed(7))
    }

    pub fn with(opts: EmulatorOptions) -> Self {
        Self {
            h: Emulator::start(opts).unwrap(),
            agent: agent(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.h.base_url())
        }
    }

    /// Sends a request; `headers` are added as given (no API key unless listed).
    pub fn raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Resp {
        self.try_raw(method, path, headers, body).unwrap()
    }

    pub fn try_raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Result<Resp, ureq::Error> {
        let mut b = ureq::http::Request::builder()
            .method(method)
            .uri(self.url(path));
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let resp = match body {
            Some(bytes) => self.agent.run(b.body(bytes).unwrap())?,
            None => self.agent.run(b.body(()).unwrap())?,
        };
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let mut body = resp.into_body();
        let body = body.with_config().limit(64 * 1024 * 1024).read_to_vec()?;
        Ok(Resp {
            status,
            headers,
            body,
        })
    }

    /// A request with the API key (and a JSON body when given).
    pub fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Resp {
        let key = self.h.api_key().to_owned();
        match body {
            Some(v) => self.raw(
                method,
                path,
                &[("X-Api-Key", &key), ("Content-Type", "application/json")],
                Some(serde_json::to_vec(v).unwrap()),
            ),
            None => self.raw(method, path, &[("X-Api-Key", &key)], None),
        }
    }

    /// A successful API call: asserts 200 and that the body validates against the endpoint's
    /// response schema; returns the JSON.
    #[track_caller]
    pub fn ok(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let r = self.call(method, path, body);
        assert_eq!(r.status, 200, "{method} {path}: {}", r.text());
        assert!(r.header("x-request-id").is_some());
        let v = r.json();
        assert_schema(method, path, &v);
        v
    }

    pub fn get(&self, path: &str) -> Value {
        self.ok("GET", path, None)
    }

    pub fn post(&self, path: &str, body: &Value) -> Value {
        self.ok("POST", path, Some(body))
    }

    pub fn advance(&self, secs: u64) {
        self.h.advance(Duration::from_secs(secs));
    }

    /// Creates a photo avatar and returns `(group_id, look_id)`.
    pub fn photo(&self, name: &str) -> (String, String) {
        let v = self.post(
            "/v3/avatars",
            &json!({"type": "photo", "name": name, "file": {"type": "url", "url": "https://example.com/p.png"}}),
        );
        (
            v["data"]["avatar_group"]["id"].as_str().unwrap().to_owned(),
            v["data"]["avatar_item"]["id"].as_str().unwrap().to_owned(),
        )
    }
}

/// Asserts that a response body validates against the response schema of `method path`.
#[track_caller]
pub fn assert_schema(method: &str, path: &str, v: &Value) {
    if let Err(errs) = heygen_emulator::validate_response(method, path, v) {
        panic!("{method} {path} response breaks its schema: {errs:?}\n{v}");
    }
}

pub fn png_bytes() -> Vec<u8> {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    b.extend_from_slice(&[0u8; 64]);
    b
}

pub fn sha256_hex(b: &[u8]) -> String {
    use sha2::Digest as _;
    format!("{:x}", sha2::Sha256::digest(b))
}
