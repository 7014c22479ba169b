//! Webhook endpoints, event types and delivered events: `/v3/webhooks/…`.

use http::{Method, Request, Response};

use heygen_model::webhook::{
    CreateWebhookEndpointRequest, ListWebhookEndpointsQuery, ListWebhookEventsQuery,
    RotatedWebhookSecret, UpdateWebhookEndpointRequest, WebhookEndpoint, WebhookEndpointId,
    WebhookEventRecord, WebhookEventType,
};
use heygen_model::{DeletedResource, ListPage};

use super::macros::{create_from_json, json_by_id, list_page};
use super::support::{data, page};
use crate::body::Body;
use crate::config::Config;
use crate::error::Error;
use crate::operation::{Operation, Payload, api_request, encode_path_param};
use crate::response::ResponseLimits;

list_page! {
    /// `GET /v3/webhooks/endpoints`: one page of registered endpoints (`limit` 1 to 100). The
    /// secrets are not in it.
    pub struct ListWebhookEndpoints => WebhookEndpoint {
        query: ListWebhookEndpointsQuery = "/v3/webhooks/endpoints",
    }
}

create_from_json! {
    /// `POST /v3/webhooks/endpoints`: registers an endpoint. The response's `secret` is the
    /// signing secret, shown only here (and by rotate-secret): store it.
    pub struct CreateWebhookEndpoint => WebhookEndpoint {
        /// Registers `request`.
        new(request: CreateWebhookEndpointRequest);
        path: "/v3/webhooks/endpoints",
    }
}

json_by_id! {
    /// `PATCH /v3/webhooks/endpoints/{endpoint_id}`: changes the URL and/or replaces the event
    /// list.
    pub struct UpdateWebhookEndpoint => WebhookEndpoint {
        /// Applies `request` to `endpoint_id`.
        new(endpoint_id: WebhookEndpointId, request: UpdateWebhookEndpointRequest);
        PATCH "/v3/webhooks/endpoints/{endpoint_id}",
    }
}

/// `DELETE /v3/webhooks/endpoints/{endpoint_id}`: removes an endpoint. HeyGen answers with an
/// empty `data` object; the result carries the id that was asked for.
#[derive(Debug, Clone)]
pub struct DeleteWebhookEndpoint {
    endpoint_id: WebhookEndpointId,
}

impl DeleteWebhookEndpoint {
    /// Deletes `endpoint_id`.
    pub fn new(endpoint_id: WebhookEndpointId) -> Self {
        Self { endpoint_id }
    }
}

impl Operation for DeleteWebhookEndpoint {
    type Output = DeletedResource;

    fn method(&self) -> Method {
        Method::DELETE
    }

    fn path_template(&self) -> &'static str {
        "/v3/webhooks/endpoints/{endpoint_id}"
    }

    fn build(&self, config: &Config) -> Result<Request<Body>, Error> {
        endpoint_request(config, Method::DELETE, &self.endpoint_id, "")
    }

    fn parse(
        &self,
        response: Response<&[u8]>,
        limits: &ResponseLimits,
    ) -> Result<Self::Output, Error> {
        // A 2xx with `{"data":{}}` or no body at all is a deletion; anything else is read as
        // usual, so errors keep their status and code.
        if !(response.status().is_success() && response.body().is_empty()) {
            data::<serde_json::Value>(&Method::DELETE, self.path_template(), &response, limits)?;
        }
        serde_json::from_value(serde_json::json!({ "id": self.endpoint_id.as_str() }))
            .map_err(|e| Error::invalid_request(None, format!("could not build the result: {e}")))
    }
}

/// A bodiless `method` request to `/v3/webhooks/endpoints/{endpoint_id}{suffix}`, the id
/// percent-encoded as one segment.
fn endpoint_request(
    config: &Config,
    method: Method,
    endpoint_id: &WebhookEndpointId,
    suffix: &str,
) -> Result<Request<Body>, Error> {
    let id = encode_path_param("endpoint_id", endpoint_id.as_str())?;
    api_request(
        config,
        method,
        &format!("/v3/webhooks/endpoints/{id}{suffix}"),
        Payload::Empty,
    )
}

/// `POST /v3/webhooks/endpoints/{endpoint_id}/rotate-secret`: a new signing secret. The old one
/// stops working at once, so update every receiver right after.
#[derive(Debug, Clone)]
pub struct RotateWebhookSecret {
    endpoint_id: WebhookEndpointId,
}

impl RotateWebhookSecret {
    /// Rotates the secret of `endpoint_id`.
    pub fn new(endpoint_id: WebhookEndpointId) -> Self {
        Self { endpoint_id }
    }
}

impl Operation for RotateWebhookSecret {
    type Output = RotatedWebhookSecret;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path_template(&self) -> &'static str {
        "/v3/webhooks/endpoints/{endpoint_id}/rotate-secret"
    }

    fn build(&self, config: &Config) -> Result<Request<Body>, Error> {
        endpoint_request(config, Method::POST, &self.endpoint_id, "/rotate-secret")
    }

    fn parse(
        &self,
        response: Response<&[u8]>,
        limits: &ResponseLimits,
    ) -> Result<Self::Output, Error> {
        data(&Method::POST, self.path_template(), &response, limits)
    }
}

/// `GET /v3/webhooks/event-types`: every event type an endpoint can subscribe to, with when it
/// fires.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListWebhookEventTypes;

impl ListWebhookEventTypes {
    /// The operation.
    pub fn new() -> Self {
        Self
    }
}

impl Operation for ListWebhookEventTypes {
    type Output = ListPage<WebhookEventType>;

    fn method(&self) -> Method {
        Method::GET
    }

    fn path_template(&self) -> &'static str {
        "/v3/webhooks/event-types"
    }

    fn build(&self, config: &Config) -> Result<Request<Body>, Error> {
        api_request(
            config,
            Method::GET,
            "/v3/webhooks/event-types",
            Payload::Empty,
        )
    }

    fn parse(
        &self,
        response: Response<&[u8]>,
        limits: &ResponseLimits,
    ) -> Result<Self::Output, Error> {
        page(&Method::GET, self.path_template(), &response, limits)
    }
}

list_page! {
    /// `GET /v3/webhooks/events`: one page of delivered events, newest first (`limit` 1 to 100),
    /// filtered by `event_type` and `entity_id`.
    pub struct ListWebhookEvents => WebhookEventRecord {
        query: ListWebhookEventsQuery = "/v3/webhooks/events",
    }
}
