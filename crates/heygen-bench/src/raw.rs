//! The baselines: raw ureq 3 and raw hyper-util with plain `serde_json` into simple owned
//! structs ("raw typed"), and hand-written `reqwest` (blocking and async) with the same structs.

use std::hint::black_box;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde::de::DeserializeOwned;

use crate::fixtures::{API_KEY, VIDEO_ID};
use crate::plain::{Envelope, PlainCreatePrompt, PlainCreated, PlainLooksPage, PlainVideo};

/// The request workloads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Workload {
    /// `POST /v3/avatars` (≈ 400-byte response).
    CreateAvatar,
    /// `GET /v3/avatars/looks?limit=50` (≈ 23 KB response).
    ListLooks,
    /// `GET /v3/videos/{id}`.
    GetVideo,
}

impl Workload {
    /// Every request workload, in report order.
    pub(crate) const ALL: [Self; 3] = [Self::CreateAvatar, Self::ListLooks, Self::GetVideo];

    /// The label in the report.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Self::CreateAvatar => "POST /v3/avatars",
            Self::ListLooks => "GET /v3/avatars/looks?limit=50",
            Self::GetVideo => "GET /v3/videos/{id}",
        }
    }

    fn path(self) -> String {
        match self {
            Self::CreateAvatar => "/v3/avatars".to_owned(),
            Self::ListLooks => "/v3/avatars/looks?limit=50".to_owned(),
            Self::GetVideo => format!("/v3/videos/{VIDEO_ID}"),
        }
    }
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<(), String> {
    let value: T = serde_json::from_slice(bytes).map_err(err)?;
    black_box(value);
    Ok(())
}

fn decode_for(workload: Workload, bytes: &[u8]) -> Result<(), String> {
    match workload {
        Workload::CreateAvatar => decode::<Envelope<PlainCreated>>(bytes),
        Workload::ListLooks => decode::<PlainLooksPage>(bytes),
        Workload::GetVideo => decode::<Envelope<PlainVideo>>(bytes),
    }
}

fn check(status: u16) -> Result<(), String> {
    if (200..300).contains(&status) {
        Ok(())
    } else {
        Err(format!("unexpected status {status}"))
    }
}

/// Raw ureq 3: one agent (one kept-alive connection), bytes read whole, then `serde_json`.
pub(crate) struct RawUreq {
    agent: ureq::Agent,
    base: String,
    timeout: Option<std::time::Duration>,
}

impl RawUreq {
    /// A client for `base` (`http://127.0.0.1:PORT`).
    pub(crate) fn new(base: &str) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        Self {
            agent,
            base: base.to_owned(),
            timeout: None,
        }
    }

    /// The same client, with a per-request whole-exchange timeout (`timeout_global`), as an SDK
    /// would set one. A diagnostic: ureq 3 then resolves the host on a new thread per request.
    pub(crate) fn with_global_timeout(base: &str, timeout: std::time::Duration) -> Self {
        Self {
            timeout: Some(timeout),
            ..Self::new(base)
        }
    }

    /// One call.
    pub(crate) fn call(&self, workload: Workload) -> Result<(), String> {
        let url = format!("{}{}", self.base, workload.path());
        let mut response = if workload == Workload::CreateAvatar {
            let body = serde_json::to_vec(&PlainCreatePrompt::bench()).map_err(err)?;
            let request = self
                .agent
                .post(&url)
                .header("x-api-key", API_KEY)
                .header("accept", "application/json")
                .header("content-type", "application/json");
            match self.timeout {
                Some(t) => request
                    .config()
                    .timeout_global(Some(t))
                    .build()
                    .send(&body[..]),
                None => request.send(&body[..]),
            }
            .map_err(err)?
        } else {
            let request = self
                .agent
                .get(&url)
                .header("x-api-key", API_KEY)
                .header("accept", "application/json");
            match self.timeout {
                Some(t) => request.config().timeout_global(Some(t)).build().call(),
                None => request.call(),
            }
            .map_err(err)?
        };
        check(response.status().as_u16())?;
        let bytes = response.body_mut().read_to_vec().map_err(err)?;
        decode_for(workload, &bytes)
    }
}

/// Hand-written blocking `reqwest` with the same plain structs.
pub(crate) struct ReqwestBlocking {
    client: reqwest::blocking::Client,
    base: String,
}

impl ReqwestBlocking {
    /// A client for `base`.
    ///
    /// # Errors
    /// When reqwest cannot build its client.
    pub(crate) fn new(base: &str) -> Result<Self, String> {
        Ok(Self {
            client: reqwest::blocking::Client::builder().build().map_err(err)?,
            base: base.to_owned(),
        })
    }

    /// One call.
    pub(crate) fn call(&self, workload: Workload) -> Result<(), String> {
        let url = format!("{}{}", self.base, workload.path());
        let request = if workload == Workload::CreateAvatar {
            self.client.post(&url).json(&PlainCreatePrompt::bench())
        } else {
            self.client.get(&url)
        };
        let response = request
            .header("x-api-key", API_KEY)
            .header("accept", "application/json")
            .send()
            .map_err(err)?;
        check(response.status().as_u16())?;
        match workload {
            Workload::CreateAvatar => {
                black_box(response.json::<Envelope<PlainCreated>>().map_err(err)?);
            }
            Workload::ListLooks => {
                black_box(response.json::<PlainLooksPage>().map_err(err)?);
            }
            Workload::GetVideo => {
                black_box(response.json::<Envelope<PlainVideo>>().map_err(err)?);
            }
        }
        Ok(())
    }
}

/// Raw hyper-util (legacy pooled client, HTTP/1.1): body collected, then `serde_json`.
#[derive(Clone)]
pub(crate) struct RawHyper {
    client: Client<HttpConnector, Full<Bytes>>,
    base: String,
}

impl RawHyper {
    /// A client for `base`; must be created inside a tokio runtime.
    pub(crate) fn new(base: &str) -> Self {
        Self {
            client: Client::builder(TokioExecutor::new()).build_http(),
            base: base.to_owned(),
        }
    }

    /// One call.
    pub(crate) async fn call(&self, workload: Workload) -> Result<(), String> {
        let url = format!("{}{}", self.base, workload.path());
        let builder = http::Request::builder()
            .uri(url)
            .header("x-api-key", API_KEY)
            .header("accept", "application/json");
        let request = if workload == Workload::CreateAvatar {
            let body = serde_json::to_vec(&PlainCreatePrompt::bench()).map_err(err)?;
            builder
                .method(http::Method::POST)
                .header("content-type", "application/json")
                .body(Full::new(Bytes::from(body)))
        } else {
            builder
                .method(http::Method::GET)
                .body(Full::new(Bytes::new()))
        }
        .map_err(err)?;
        let response = self.client.request(request).await.map_err(err)?;
        check(response.status().as_u16())?;
        let bytes = response
            .into_body()
            .collect()
            .await
            .map_err(err)?
            .to_bytes();
        decode_for(workload, &bytes)
    }
}

impl RawHyper {
    /// One call under a whole-exchange deadline (`tokio::time::timeout`), as an SDK sets one. A
    /// diagnostic: what a per-request timer costs on this machine.
    pub(crate) async fn call_with_timeout(
        &self,
        workload: Workload,
        timeout: std::time::Duration,
    ) -> Result<(), String> {
        tokio::time::timeout(timeout, self.call(workload))
            .await
            .map_err(err)?
    }
}

/// Hand-written async `reqwest` with the same plain structs.
#[derive(Clone)]
pub(crate) struct ReqwestAsync {
    client: reqwest::Client,
    base: String,
}

impl ReqwestAsync {
    /// A client for `base`.
    ///
    /// # Errors
    /// When reqwest cannot build its client.
    pub(crate) fn new(base: &str) -> Result<Self, String> {
        Ok(Self {
            client: reqwest::Client::builder().build().map_err(err)?,
            base: base.to_owned(),
        })
    }

    /// One call.
    pub(crate) async fn call(&self, workload: Workload) -> Result<(), String> {
        let url = format!("{}{}", self.base, workload.path());
        let request = if workload == Workload::CreateAvatar {
            self.client.post(&url).json(&PlainCreatePrompt::bench())
        } else {
            self.client.get(&url)
        };
        let response = request
            .header("x-api-key", API_KEY)
            .header("accept", "application/json")
            .send()
            .await
            .map_err(err)?;
        check(response.status().as_u16())?;
        match workload {
            Workload::CreateAvatar => {
                black_box(
                    response
                        .json::<Envelope<PlainCreated>>()
                        .await
                        .map_err(err)?,
                );
            }
            Workload::ListLooks => {
                black_box(response.json::<PlainLooksPage>().await.map_err(err)?);
            }
            Workload::GetVideo => {
                black_box(response.json::<Envelope<PlainVideo>>().await.map_err(err)?);
            }
        }
        Ok(())
    }
}
