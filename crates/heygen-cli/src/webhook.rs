//! `heygen webhook …`: endpoints, event types and sent events through the chosen client, and
//! the two commands that need no API key: `listen` (see [`crate::listen`]) and `verify`.
//!
//! The signing secret of `listen` and `verify` comes only from `HEYGEN_WEBHOOK_SECRET`, never
//! from an argument (arguments end up in shell history and process lists), and is never printed.

use std::io::Read as _;
use std::time::SystemTime;

use heygen_core::ops::{
    CreateWebhookEndpoint, DeleteWebhookEndpoint, ListWebhookEndpoints, ListWebhookEventTypes,
    ListWebhookEvents, RotateWebhookSecret, UpdateWebhookEndpoint,
};
use heygen_core::webhook::{
    EVENT_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, VerifiedEvent, Verifier, WebhookError,
};
use heygen_model::webhook::{
    CreateWebhookEndpointRequest, ListWebhookEndpointsQuery, ListWebhookEventsQuery,
    UpdateWebhookEndpointRequest, WebhookEndpointId, WebhookSecret,
};
use http::{HeaderMap, HeaderName, HeaderValue};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::cli::{EndpointsCommand, EventTypesCommand, EventsCommand, VerifyArgs, WebhookCommand};
use crate::commands::{Context, call, list};
use crate::failure::{EXIT_API, EXIT_USAGE, Failure};
use crate::output::{ListOutput, Output};

/// The variable `listen` and `verify` read the signing secret from.
pub(crate) const SECRET_ENV: &str = "HEYGEN_WEBHOOK_SECRET";

/// The largest delivery body accepted, in bytes (1 MiB).
pub(crate) const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Told on stderr whenever a secret is printed.
const SHOWN_ONCE: &str = "the signing secret (`secret`) is shown only in this response: store it \
     now; `heygen webhook listen` and `heygen webhook verify` read it from HEYGEN_WEBHOOK_SECRET";

/// Runs an API command of `heygen webhook` (`listen` and `verify` are run by
/// [`crate::listen::run`] and [`verify`], without a client).
///
/// # Errors
/// The failure to report.
pub(crate) fn run(ctx: &Context<'_>, command: WebhookCommand) -> Result<(), Failure> {
    match command {
        WebhookCommand::Endpoints(cmd) => endpoints(ctx, cmd),
        WebhookCommand::EventTypes(EventTypesCommand::List) => {
            let page = call(ctx, ListWebhookEventTypes::new())?;
            let next_token = page.next_token().map(str::to_owned);
            ctx.out.list(&ListOutput {
                has_more: page.has_more(),
                next_token,
                data: page.data,
            })
        }
        WebhookCommand::Events(EventsCommand::List {
            event_type,
            entity_id,
            page,
        }) => {
            let mut query = ListWebhookEventsQuery::new();
            if let Some(t) = event_type {
                query = query.event_type(t);
            }
            if let Some(id) = entity_id {
                query = query.entity_id(id);
            }
            query = page.apply(
                query,
                ListWebhookEventsQuery::limit,
                ListWebhookEventsQuery::token,
            );
            query.validate()?;
            list(ctx, &page, ListWebhookEvents::new(query))
        }
        WebhookCommand::Listen(_) | WebhookCommand::Verify(_) => {
            Err(Failure::usage("not an api command"))
        }
    }
}

fn endpoint_id(text: &str) -> Result<WebhookEndpointId, Failure> {
    WebhookEndpointId::new(text)
        .map_err(|e| Failure::validation(Some("endpoint_id"), e.to_string()))
}

fn endpoints(ctx: &Context<'_>, command: EndpointsCommand) -> Result<(), Failure> {
    match command {
        EndpointsCommand::Create {
            url,
            events,
            entity_id,
        } => {
            let mut request = CreateWebhookEndpointRequest::new(url);
            if let Some(events) = events {
                request = request.events(events);
            }
            if let Some(id) = entity_id {
                request = request.entity_id(id);
            }
            request.validate()?;
            let created = call(ctx, CreateWebhookEndpoint::new(request))?;
            print_secret_once(ctx.out, &created, created.secret.is_some())
        }
        EndpointsCommand::List { page } => {
            let query = page.apply(
                ListWebhookEndpointsQuery::new(),
                ListWebhookEndpointsQuery::limit,
                ListWebhookEndpointsQuery::token,
            );
            query.validate()?;
            list(ctx, &page, ListWebhookEndpoints::new(query))
        }
        EndpointsCommand::Update {
            endpoint_id: id,
            url,
            events,
        } => {
            let id = endpoint_id(&id)?;
            let mut request = UpdateWebhookEndpointRequest::new();
            if let Some(url) = url {
                request = request.url(url);
            }
            if let Some(events) = events {
                request = request.events(events);
            }
            request.validate()?;
            ctx.out
                .data(&call(ctx, UpdateWebhookEndpoint::new(id, request))?)
        }
        EndpointsCommand::Delete { endpoint_id: id } => ctx
            .out
            .data(&call(ctx, DeleteWebhookEndpoint::new(endpoint_id(&id)?))?),
        EndpointsCommand::RotateSecret { endpoint_id: id } => {
            let rotated = call(ctx, RotateWebhookSecret::new(endpoint_id(&id)?))?;
            print_secret_once(ctx.out, &rotated, true)
        }
    }
}

/// Prints a response that carries a signing secret, and says on stderr that this is the only
/// time it is shown.
fn print_secret_once<T: Serialize>(
    out: &Output,
    value: &T,
    has_secret: bool,
) -> Result<(), Failure> {
    out.data(value)?;
    if has_secret {
        out.log(SHOWN_ONCE);
    }
    Ok(())
}

/// The verifier for `HEYGEN_WEBHOOK_SECRET`: one secret, or several separated by commas (the
/// blanks around each are ignored).
///
/// # Errors
/// `cli_missing_webhook_secret` (exit 2) when the variable is unset or holds no secret.
pub(crate) fn verifier_from_env() -> Result<Verifier, Failure> {
    let value = std::env::var_os(SECRET_ENV)
        .map(|v| v.to_string_lossy().into_owned())
        .unwrap_or_default();
    verifier_from(&value)
}

fn verifier_from(value: &str) -> Result<Verifier, Failure> {
    let secrets = secrets_in(value)
        .into_iter()
        .filter_map(|s| WebhookSecret::new(s).ok());
    Verifier::with_secrets(secrets).ok_or_else(|| {
        Failure::new(
            EXIT_USAGE,
            "cli_missing_webhook_secret",
            "no webhook signing secret: set HEYGEN_WEBHOOK_SECRET to the endpoint's whsec_… \
             secret (several separated by commas)",
        )
    })
}

/// The secrets in a `HEYGEN_WEBHOOK_SECRET` value: comma-separated, trimmed, blanks dropped.
pub(crate) fn secrets_in(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A verified event as printed: `event_id` (from `Heygen-Event-Id`, else the body) and
/// `created_at` when known, `event_type`, and `event_data` as sent (members in their order,
/// numbers and strings as written; only the whitespace between tokens is dropped, so the event
/// stays on one line).
#[derive(Debug, Serialize)]
pub(crate) struct EventLine {
    /// The de-duplication key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) event_id: Option<String>,
    /// The event type as sent.
    pub(crate) event_type: String,
    /// The event's data as sent.
    pub(crate) event_data: Box<RawValue>,
    /// When the event was created, as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) created_at: Option<Value>,
}

impl EventLine {
    /// The printed form of `verified`, whose body is `raw`.
    pub(crate) fn new(verified: &VerifiedEvent, raw: &[u8]) -> Self {
        #[derive(Deserialize)]
        struct Body<'a> {
            #[serde(borrow, default)]
            event_data: Option<&'a RawValue>,
        }
        let event_data = serde_json::from_slice::<Body<'_>>(raw)
            .ok()
            .and_then(|body| body.event_data)
            .and_then(|data| RawValue::from_string(compact(data.get())).ok())
            .unwrap_or_else(null);
        Self {
            event_id: verified.event_id.clone(),
            event_type: verified.delivery.event.event_type().to_owned(),
            event_data,
            created_at: verified.delivery.created_at.clone(),
        }
    }

    /// The event data, parsed.
    pub(crate) fn data(&self) -> Value {
        serde_json::from_str(self.event_data.get()).unwrap_or(Value::Null)
    }
}

fn null() -> Box<RawValue> {
    RawValue::from_string("null".to_owned()).unwrap_or_else(|_| unreachable!("null is JSON"))
}

/// Valid JSON text without the whitespace between its tokens (whitespace inside strings kept).
fn compact(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            out.push(c);
        }
    }
    out
}

/// The failure printed for a refused delivery: the verifier's code, exit 1, and `status` when
/// the refusal was an HTTP answer.
pub(crate) fn refusal(error: &WebhookError, status: Option<u16>) -> Failure {
    let mut failure = Failure::new(EXIT_API, error.code(), error.to_string());
    failure.status = status;
    failure
}

/// `heygen webhook verify`: checks the delivery body on stdin against the headers given as
/// flags and `HEYGEN_WEBHOOK_SECRET`.
///
/// # Errors
/// `cli_missing_webhook_secret` (exit 2) without a secret, `cli_file_error` when stdin cannot be
/// read, `payload_too_large` above 1 MiB, and the verifier's code (exit 1) when the delivery does
/// not verify.
pub(crate) fn verify(out: &Output, args: &VerifyArgs) -> Result<(), Failure> {
    let verifier = verifier_from_env()?;
    let mut body = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_BODY_BYTES as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|e| {
            Failure::new(
                EXIT_USAGE,
                "cli_file_error",
                format!("could not read the delivery body from stdin: {e}"),
            )
        })?;
    if body.len() > MAX_BODY_BYTES {
        return Err(Failure::new(
            EXIT_API,
            "payload_too_large",
            format!("the delivery body is larger than {MAX_BODY_BYTES} bytes"),
        ));
    }
    let mut headers = HeaderMap::new();
    // A value that cannot be a header is malformed, as the verifier would say of it.
    insert(&mut headers, SIGNATURE_HEADER, &args.signature)
        .map_err(|()| refusal(&WebhookError::MalformedSignature, None))?;
    if let Some(t) = &args.timestamp {
        insert(&mut headers, TIMESTAMP_HEADER, t)
            .map_err(|()| refusal(&WebhookError::MalformedTimestamp, None))?;
    }
    if let Some(id) = &args.event_id {
        insert(&mut headers, EVENT_ID_HEADER, id)
            .map_err(|()| Failure::validation(Some("event_id"), "is not a valid header value"))?;
    }
    let event = verifier
        .verify(&headers, &body, SystemTime::now())
        .map_err(|e| refusal(&e, None))?;
    out.data(&EventLine::new(&event, &body))
}

fn insert(headers: &mut HeaderMap, name: &'static str, value: &str) -> Result<(), ()> {
    let value = HeaderValue::from_str(value.trim()).map_err(|_| ())?;
    headers.insert(HeaderName::from_static(name), value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_comma_separated_and_trimmed() {
        assert_eq!(
            secrets_in(" whsec_a , ,whsec_b,"),
            vec!["whsec_a".to_owned(), "whsec_b".to_owned()]
        );
        assert!(secrets_in(" , ").is_empty());
        let missing = verifier_from(" , ").unwrap_err();
        assert_eq!(
            (missing.exit, missing.code.as_str()),
            (EXIT_USAGE, "cli_missing_webhook_secret")
        );
        assert!(verifier_from("whsec_a,whsec_b").is_ok());
    }

    #[test]
    fn compact_drops_only_the_whitespace_between_tokens() {
        assert_eq!(
            compact("{ \"b\" : [1.0, 2],\n \"a\": \"x \\\" y\" }"),
            r#"{"b":[1.0,2],"a":"x \" y"}"#
        );
    }

    #[test]
    fn refusals_carry_the_verifier_code_and_never_the_secret() {
        let failure = refusal(&WebhookError::SignatureMismatch, Some(401));
        let line = failure.to_json_line();
        assert!(line.contains(r#""code":"signature_mismatch""#), "{line}");
        assert!(line.contains(r#""status":401"#), "{line}");
        assert!(!line.contains("whsec_"), "{line}");
    }
}
