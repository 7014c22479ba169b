//! Schema-contract tests: everything the model serializes validates against the v3 JSON
//! Schemas in `crates/heygen-emulator/schemas/v3-endpoints.json`, and every query the model
//! builds uses only the query parameters the file declares, within their limits and enums.
//!
//! The file uses OpenAPI `nullable: true` and `oneOf` + `discriminator` (each variant pinning its
//! tag with a one-value `enum`); both are translated into plain JSON Schema here before
//! validating.

use std::sync::OnceLock;

use heygen_model::strategies::{self as s, Mode};
use heygen_model::*;
use proptest::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value, json};

const SCHEMAS: &str = include_str!("../../../heygen-emulator/schemas/v3-endpoints.json");

fn endpoints() -> &'static Vec<Value> {
    static ENDPOINTS: OnceLock<Vec<Value>> = OnceLock::new();
    ENDPOINTS.get_or_init(|| {
        let all: Value = serde_json::from_str(SCHEMAS).unwrap();
        all["endpoints"].as_array().unwrap().clone()
    })
}

/// Translates OpenAPI `nullable` and discriminators into JSON Schema, as the emulator's loader
/// does: each variant of a discriminated `oneOf` pins its tag with a one-value `enum` in the
/// bundled file, so dropping `discriminator` leaves a plain `oneOf` that one variant matches.
/// Unlike the emulator, the old digital-twin tag `video` is not accepted: the model must never
/// send it.
fn to_json_schema(schema: &Value) -> Value {
    match schema {
        Value::Array(items) => Value::Array(items.iter().map(to_json_schema).collect()),
        Value::Object(object) => {
            let mut out: Map<String, Value> = object
                .iter()
                .map(|(k, v)| (k.clone(), to_json_schema(v)))
                .collect();
            if let Some(discriminator) = out.remove("discriminator") {
                let property = discriminator["propertyName"].as_str().unwrap();
                for variant in out["oneOf"].as_array().unwrap() {
                    let tag = &variant["properties"][property]["enum"];
                    assert!(
                        tag.as_array().is_some_and(|t| t.len() == 1),
                        "a variant does not pin `{property}`: {variant}"
                    );
                }
            }
            if out.remove("nullable") == Some(Value::Bool(true)) {
                if let Some(Value::Array(values)) = out.get_mut("enum") {
                    values.push(Value::Null);
                }
                if let Some(Value::String(t)) = out.get("type").cloned() {
                    out.insert("type".into(), json!([t, "null"]));
                } else if let Some(Value::Array(variants)) = out.get_mut("oneOf") {
                    variants.push(json!({"type": "null"}));
                }
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

fn validator(method: &str, path: &str, which: &str) -> jsonschema::Validator {
    let endpoint = endpoints()
        .iter()
        .find(|e| e["method"] == method && e["path"] == path)
        .unwrap_or_else(|| panic!("no schema for {method} {path}"));
    let schema = to_json_schema(&endpoint[which]);
    jsonschema::validator_for(&schema).unwrap()
}

struct Contract {
    validator: jsonschema::Validator,
    wrap: bool,
    name: &'static str,
}

impl Contract {
    fn request(method: &str, path: &str, name: &'static str) -> Self {
        Self {
            validator: validator(method, path, "request_schema"),
            wrap: false,
            name,
        }
    }
    fn response(method: &str, path: &str, name: &'static str) -> Self {
        Self {
            validator: validator(method, path, "response_schema"),
            wrap: true,
            name,
        }
    }
    fn page(method: &str, path: &str, name: &'static str) -> Self {
        Self {
            validator: validator(method, path, "response_schema"),
            wrap: false,
            name,
        }
    }
    fn check<T: Serialize>(&self, value: &T) -> Result<(), TestCaseError> {
        let mut json = serde_json::to_value(value).unwrap();
        if self.wrap {
            json = json!({ "data": json });
        }
        let errors: Vec<String> = self
            .validator
            .iter_errors(&json)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        prop_assert!(errors.is_empty(), "{}: {:?}\n{}", self.name, errors, json);
        Ok(())
    }
}

macro_rules! contract_tests {
    ($($test:ident: $contract:expr => $strategy:expr;)*) => {
        $(
            #[test]
            fn $test() {
                let contract = $contract;
                proptest!(ProptestConfig::with_cases(64), |(value in $strategy)| {
                    contract.check(&value)?;
                });
            }
        )*
    };
}

contract_tests! {
    schema_create_avatar_request: Contract::request("POST", "/v3/avatars", "create avatar") => s::create_avatar_request();
    schema_create_consent_request: Contract::request("POST", "/v3/avatars/{group_id}/consent", "consent") => s::create_consent_request();
    schema_update_look_request: Contract::request("PATCH", "/v3/avatars/looks/{look_id}", "update look") => s::update_look_request();
    schema_create_direct_upload_request: Contract::request("POST", "/v3/assets/direct-uploads", "direct upload") => s::create_direct_upload_request();
    schema_complete_upload_request: Contract::request("POST", "/v3/assets/{asset_id}/complete", "complete upload") => s::complete_upload_request();
    schema_create_video_request: Contract::request("POST", "/v3/videos", "create video") => s::create_video_request(Mode::KnownOnly);
    schema_create_avatar_response: Contract::response("POST", "/v3/avatars", "create avatar response") => s::create_avatar_response(Mode::KnownOnly);
    schema_consent_response: Contract::response("POST", "/v3/avatars/{group_id}/consent", "consent response") => s::consent_response(Mode::KnownOnly);
    schema_avatar_group: Contract::response("GET", "/v3/avatars/{group_id}", "group") => s::avatar_group(Mode::KnownOnly);
    schema_look: Contract::response("GET", "/v3/avatars/looks/{look_id}", "look") => s::look(Mode::KnownOnly);
    schema_updated_look: Contract::response("PATCH", "/v3/avatars/looks/{look_id}", "updated look") => s::look(Mode::KnownOnly);
    schema_groups_page: Contract::page("GET", "/v3/avatars", "groups page") => s::list_page(s::avatar_group(Mode::KnownOnly));
    schema_looks_page: Contract::page("GET", "/v3/avatars/looks", "looks page") => s::list_page(s::look(Mode::KnownOnly));
    schema_videos_page: Contract::page("GET", "/v3/videos", "videos page") => s::list_page(s::video(Mode::KnownOnly));
    schema_asset: Contract::response("POST", "/v3/assets", "asset") => s::asset();
    schema_direct_upload: Contract::response("POST", "/v3/assets/direct-uploads", "direct upload response") => s::direct_upload(Mode::KnownOnly);
    schema_completed_upload: Contract::response("POST", "/v3/assets/{asset_id}/complete", "completed upload") => s::completed_upload(Mode::KnownOnly);
    schema_create_video_response: Contract::response("POST", "/v3/videos", "create video response") => s::create_video_response(Mode::KnownOnly);
    schema_video: Contract::response("GET", "/v3/videos/{video_id}", "video") => s::video(Mode::KnownOnly);
    schema_deleted_video: Contract::response("DELETE", "/v3/videos/{video_id}", "deleted video") => s::deleted_resource();
    schema_deleted_group: Contract::response("DELETE", "/v3/avatars/{group_id}", "deleted group") => s::deleted_resource();
    schema_deleted_look: Contract::response("DELETE", "/v3/avatars/looks/{look_id}", "deleted look") => s::deleted_resource();
    schema_user: Contract::response("GET", "/v3/users/me", "user") => s::user(Mode::KnownOnly);
    schema_design_voice_request: Contract::request("POST", "/v3/voices", "design voice") => s::design_voice_request(Mode::KnownOnly);
    schema_clone_voice_request: Contract::request("POST", "/v3/voices/clone", "clone voice") => s::clone_voice_request();
    schema_speech_request: Contract::request("POST", "/v3/voices/speech", "speech") => s::speech_request(Mode::KnownOnly);
    schema_create_video_batch_request: Contract::request("POST", "/v3/videos/batches", "video batch") => s::create_video_batch_request(Mode::KnownOnly);
    schema_create_upload_batch_request: Contract::request("POST", "/v3/assets/direct-uploads/batches", "upload batch") => s::create_upload_batch_request();
    schema_complete_upload_batch_request: Contract::request("POST", "/v3/assets/complete/batches", "complete batch") => s::complete_upload_batch_request();
}

#[test]
fn schema_hand_written_requests() {
    let png = b"\x89PNG\r\n\x1a\n0000";
    let avatar = Contract::request("POST", "/v3/avatars", "avatar");
    let video = Contract::request("POST", "/v3/videos", "video");
    let consent = Contract::request("POST", "/v3/avatars/{group_id}/consent", "consent");
    let look = || LookId::new("look_0001").unwrap();
    let run = || -> Result<(), TestCaseError> {
        avatar.check(&CreateAvatarRequest::DigitalTwin(CreateDigitalTwin::new(
            "Twin A",
            AssetInput::url("https://example.com/footage.mp4"),
        )))?;
        avatar.check(&CreateAvatarRequest::Photo(CreatePhotoAvatar::new(
            "Photo A",
            AssetInput::base64_from_bytes("image/png", png).unwrap(),
        )))?;
        avatar.check(&CreateAvatarRequest::Prompt(
            CreatePromptAvatar::new("P", "A presenter")
                .reference_images(vec![AssetInput::asset_id(
                    AssetId::new("asset_0001").unwrap(),
                )])
                .avatar_group_id(AvatarGroupId::new("grp_0001").unwrap()),
        ))?;
        video.check(&CreateVideoRequest::Avatar(
            CreateAvatarVideo::new(look()).script("Hello"),
        ))?;
        video.check(&CreateVideoRequest::Avatar(
            CreateAvatarVideo::new(look())
                .script("Hello")
                .voice_id(VoiceId::new("voice_1").unwrap())
                .voice_settings(VoiceSettings::new().speed(1.25).locale("en-US"))
                .title("T")
                .background(Background::color("#00FF00"))
                .engine(EngineConfig::new(VideoEngine::AvatarV).reference_look_id(look()))
                .aspect_ratio(AspectRatio::Portrait9x16)
                .resolution(Resolution::Fhd1080p)
                .output_format(OutputFormat::Webm)
                .callback_url("https://example.com/hook")
                .callback_id("job-1"),
        ))?;
        video.check(&CreateVideoRequest::Avatar(
            CreateAvatarVideo::new(look())
                .audio_url("https://example.com/a.mp3")
                .voice_settings(
                    VoiceSettings::new().engine_settings(
                        VoiceEngineSettings::new(VoiceEngineType::Elevenlabs)
                            .model("eleven_v3")
                            .stability(0.5),
                    ),
                )
                .caption(Caption::new())
                .watermark(Watermark::new(AssetInput::url(
                    "https://example.com/logo.png",
                ))),
        ))?;
        video.check(&CreateVideoRequest::Image(
            CreateImageVideo::new(AssetInput::url("https://example.com/face.png"))
                .audio_asset_id(AssetId::new("asset_2").unwrap()),
        ))?;
        consent.check(&CreateConsentRequest::new())?;
        consent.check(
            &CreateConsentRequest::new()
                .consent_text("I agree")
                .reroute_url("https://example.com"),
        )?;
        consent.check(
            &CreateConsentRequest::new()
                .consent_video(AssetInput::url("https://example.com/c.mp4")),
        )?;
        Ok(())
    };
    run().unwrap();
}

#[test]
fn schema_rejects_what_the_model_must_never_send() {
    // Guards the translation above: a null optional and a wrong discriminator must fail.
    let avatar = validator("POST", "/v3/avatars", "request_schema");
    assert!(!avatar.is_valid(
        &json!({"type":"video","name":"A","file":{"type":"url","url":"https://e.com/a"}})
    ));
    assert!(avatar.is_valid(
        &json!({"type":"digital_twin","name":"A","file":{"type":"url","url":"https://e.com/a"}})
    ));
    let video = validator("GET", "/v3/videos/{video_id}", "response_schema");
    assert!(!video.is_valid(&json!({"data":{"id":"v","status":"waiting"}})));
    assert!(video.is_valid(&json!({"data":{"id":"v","status":"pending","title":null}})));
}

/// The webhook requests and the response shapes the SDK reads, against the bundled
/// `/v3/webhooks…` schemas.
#[test]
fn schema_webhooks() {
    use heygen_model::webhook::{
        CreateWebhookEndpointRequest, RotatedWebhookSecret, UpdateWebhookEndpointRequest,
        WebhookEndpoint, WebhookEventRecord,
    };
    let create = Contract::request("POST", "/v3/webhooks/endpoints", "create endpoint");
    let update = Contract::request(
        "PATCH",
        "/v3/webhooks/endpoints/{endpoint_id}",
        "update endpoint",
    );
    let endpoint = Contract::response("POST", "/v3/webhooks/endpoints", "endpoint");
    let rotated = Contract::response(
        "POST",
        "/v3/webhooks/endpoints/{endpoint_id}/rotate-secret",
        "rotated",
    );
    let events = Contract::page("GET", "/v3/webhooks/events", "events page");
    let run = || -> Result<(), TestCaseError> {
        create.check(&CreateWebhookEndpointRequest::new(
            "https://example.com/hook",
        ))?;
        create.check(
            &CreateWebhookEndpointRequest::new("http://127.0.0.1:9/hook")
                .events(["avatar_video.success", "instant_avatar.fail"])
                .entity_id("proj_1"),
        )?;
        update.check(&UpdateWebhookEndpointRequest::new())?;
        update.check(
            &UpdateWebhookEndpointRequest::new()
                .url("https://example.com/new")
                .events(["batch.finished"]),
        )?;
        let read: WebhookEndpoint = serde_json::from_value(json!({
            "endpoint_id": "ep_1", "url": "https://example.com/h", "status": "enabled",
            "events": null, "secret": "whsec_X", "created_at": "2026-12-06T10:00:00Z"
        }))
        .unwrap();
        endpoint.check(&read)?;
        let secret: RotatedWebhookSecret =
            serde_json::from_value(json!({"endpoint_id": "ep_1", "secret": "whsec_Y"})).unwrap();
        rotated.check(&secret)?;
        let record: WebhookEventRecord = serde_json::from_value(json!({
            "event_id": "evt_1", "event_type": "avatar_video.success",
            "event_data": {"video_id": "vid_1"}, "created_at": "2026-12-06T10:00:00Z"
        }))
        .unwrap();
        events.check(&json!({"data": [record], "has_more": false, "next_token": null}))?;
        Ok(())
    };
    run().unwrap();
}

/// Checks query pairs against the query parameters `method path` declares: each name declared
/// and sent at most once, integers within `min`/`max`, values within `enum`, the required ones
/// present.
fn check_query(
    method: &str,
    path: &str,
    pairs: &[(&'static str, String)],
) -> Result<(), TestCaseError> {
    let endpoint = endpoints()
        .iter()
        .find(|e| e["method"] == method && e["path"] == path)
        .unwrap_or_else(|| panic!("no schema for {method} {path}"));
    let params = endpoint["query_params"].as_array().unwrap();
    for (i, (name, value)) in pairs.iter().enumerate() {
        let param = params.iter().find(|p| p["name"] == *name);
        prop_assert!(
            param.is_some(),
            "{method} {path}: `{name}` is not a declared parameter"
        );
        let param = param.unwrap();
        prop_assert!(
            !pairs[..i].iter().any(|(n, _)| n == name),
            "{method} {path}: `{name}` sent twice"
        );
        if param["type"] == "int" {
            let n: Result<i64, _> = value.parse();
            prop_assert!(
                n.is_ok(),
                "{method} {path}: `{name}={value}` is not an integer"
            );
            let n = n.unwrap();
            if let Some(min) = param["min"].as_i64() {
                prop_assert!(n >= min, "{method} {path}: `{name}={n}` below {min}");
            }
            if let Some(max) = param["max"].as_i64() {
                prop_assert!(n <= max, "{method} {path}: `{name}={n}` above {max}");
            }
        }
        if let Some(allowed) = param["enum"].as_array() {
            prop_assert!(
                allowed.iter().any(|a| a == value.as_str()),
                "{method} {path}: `{name}={value}` is not one of {allowed:?}"
            );
        }
    }
    for param in params.iter().filter(|p| p["required"] == true) {
        let name = param["name"].as_str().unwrap();
        prop_assert!(
            pairs.iter().any(|(n, _)| *n == name),
            "{method} {path}: required `{name}` missing"
        );
    }
    Ok(())
}

/// The `enum` of one query parameter.
fn query_enum(method: &str, path: &str, name: &str) -> Vec<String> {
    let endpoint = endpoints()
        .iter()
        .find(|e| e["method"] == method && e["path"] == path)
        .unwrap();
    endpoint["query_params"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .and_then(|p| p["enum"].as_array())
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

/// Query pairs as the model's `to_query_pairs` returns them.
type Pairs = Vec<(&'static str, String)>;

macro_rules! query_contract_tests {
    ($($test:ident: $method:literal $path:literal => $strategy:expr;)*) => {
        $(
            #[test]
            fn $test() {
                proptest!(ProptestConfig::with_cases(64), |(query in $strategy)| {
                    prop_assert!(query.validate().is_ok(), "{:?}", query);
                    check_query($method, $path, &query.to_query_pairs())?;
                });
            }
        )*
    };
}

query_contract_tests! {
    query_list_avatar_groups: "GET" "/v3/avatars" => s::list_avatar_groups_query(Mode::KnownOnly);
    query_list_looks: "GET" "/v3/avatars/looks" => s::list_looks_query(Mode::KnownOnly);
    query_list_videos: "GET" "/v3/videos" => s::list_videos_query();
    query_video_statuses: "GET" "/v3/videos/statuses" => s::video_statuses_query();
    query_video_batch_page: "GET" "/v3/videos/batches/{batch_id}" => s::batch_page_query();
    query_list_voices: "GET" "/v3/voices" => s::list_voices_query(Mode::KnownOnly);
    query_list_assets: "GET" "/v3/assets" => s::list_assets_query();
    query_asset_statuses: "GET" "/v3/assets/statuses" => s::asset_statuses_query();
    query_asset_batch_page: "GET" "/v3/assets/batches/{batch_id}" => s::batch_page_query();
    query_list_webhook_endpoints: "GET" "/v3/webhooks/endpoints" => s::list_webhook_endpoints_query();
    query_list_webhook_events: "GET" "/v3/webhooks/events" => s::list_webhook_events_query(query_enum("GET", "/v3/webhooks/events", "event_type"));
}

#[test]
fn query_check_rejects_what_the_file_does_not_allow() {
    // Guards `check_query`: an undeclared name, a limit out of range, a value outside the enum,
    // a repeated name and a missing required parameter each fail.
    let bad: [(&str, &str, Pairs); 5] = [
        ("GET", "/v3/avatars", vec![("page", "2".into())]),
        ("GET", "/v3/avatars", vec![("limit", "51".into())]),
        ("GET", "/v3/avatars", vec![("ownership", "team".into())]),
        (
            "GET",
            "/v3/videos",
            vec![("token", "a".into()), ("token", "b".into())],
        ),
        ("GET", "/v3/assets", vec![("limit", "5".into())]),
    ];
    for (method, path, pairs) in bad {
        assert!(
            check_query(method, path, &pairs).is_err(),
            "{method} {path} {pairs:?}"
        );
    }
    let good = vec![("username", "me".to_owned()), ("limit", "100".to_owned())];
    assert!(check_query("GET", "/v3/assets", &good).is_ok());
}
