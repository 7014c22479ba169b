//! The field cases from `shared/cases` as named regression tests.

use std::collections::VecDeque;
use std::time::Duration;

use heygen_core::ops::{
    CreateAvatar, CreateConsent, CreateVideo, GetAvatarGroup, GetVideo, ListLooks, RawJson,
    UploadAsset,
};
use heygen_core::retry::{Decision, decide};
use heygen_core::workflow::Scripted;
use heygen_core::{
    Body, Call, Error, ErrorClass, Operation, PollPolicy, RequestFacts, ResponseLimits, Source,
    TransportErrorKind, Wait, Waited, Workflow,
};
use heygen_model::{
    AssetInput, AvatarType, CreateAvatarVideo, CreateConsentRequest, CreateDigitalTwin,
    CreatePhotoAvatar, IdempotencyKey, ListLooksQuery, Ownership, Video, VideoEngine,
};
use serde_json::json;

use crate::support::{KEY, body_json, config, group, json_resp, look, play, resp, video};

/// A scripted server answer.
enum Answer {
    Json(u16, String),
    Html(u16, &'static str),
    Transport(TransportErrorKind),
}

impl Answer {
    fn scripted(self) -> Scripted {
        match self {
            Self::Json(status, body) => Scripted::json(status, &body),
            Self::Html(status, body) => {
                Scripted::json(status, body).header("content-type", "text/html")
            }
            Self::Transport(kind) => Scripted::failed(kind),
        }
    }
}

/// The result, every effect and the requests sent.
type Driven<T> = (Result<T, Error>, Vec<String>, Vec<http::Request<Body>>);

/// Runs a workflow the way a client does, answering each request with the next answer; returns
/// the result, every effect and the requests sent.
fn drive<W: Workflow>(workflow: W, answers: &mut VecDeque<Answer>) -> Driven<W::Output> {
    let run = play(workflow, &config(), answers.drain(..).map(Answer::scripted));
    let sent = run.sent.into_iter().map(|out| out.request).collect();
    (run.result, run.steps, sent)
}

/// One logical call of `op`.
fn call<O: Operation>(op: O) -> Call<O> {
    Call::new(op, &config(), [9; 16]).unwrap()
}

#[test]
fn br_01_html_error_page_keeps_status_and_content_type() {
    let op = CreateConsent::new(group(), CreateConsentRequest::new());
    let html =
        b"<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>";
    let err = op
        .parse(
            resp(404, &[("content-type", "text/html")], html),
            &ResponseLimits::default(),
        )
        .unwrap_err();
    // Input A: a non-JSON 404 is an unexpected response of the not-found class, with no code.
    let Error::UnexpectedResponse(u) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(u.status, 404);
    assert_eq!(u.content_type.as_deref(), Some("text/html"));
    assert!(u.snippet.contains("404 Not Found") && u.snippet.len() <= 512);
    assert_eq!(err.api_code(), None);
    assert_eq!(err.class(), ErrorClass::NotFound);
    let facts = RequestFacts::new(http::Method::POST, true);
    assert_eq!(
        decide(
            1,
            &facts,
            &err,
            Duration::ZERO,
            0.5,
            &heygen_core::RetryPolicy::default()
        ),
        Decision::Stop
    );

    // Input B: HTML with a 200 is never Ok.
    let body = b"<!DOCTYPE html><html><body>Sign in to continue</body></html>";
    let err = GetVideo::new(video())
        .parse(
            resp(200, &[("content-type", "text/html; charset=utf-8")], body),
            &ResponseLimits::default(),
        )
        .unwrap_err();
    let Error::UnexpectedResponse(u) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(u.status, 200);
    assert_eq!(u.content_type.as_deref(), Some("text/html; charset=utf-8"));
    assert!(u.snippet.contains("Sign in"));
    // A long page is cut to 512 bytes.
    let long = format!("<html>{}</html>", "x".repeat(10_000));
    let err = GetVideo::new(video())
        .parse(resp(502, &[], long.as_bytes()), &ResponseLimits::default())
        .unwrap_err();
    let Error::UnexpectedResponse(u) = &err else {
        panic!()
    };
    assert!(u.snippet.len() <= 512);
}

#[test]
fn br_04_digital_twin_discriminator_and_nested_response() {
    let op = CreateAvatar::new(CreateDigitalTwin::new(
        "Twin A",
        AssetInput::url("https://example.com/footage.mp4"),
    ));
    let request = op.build(&config()).unwrap();
    assert_eq!(
        body_json(&request),
        json!({"type":"digital_twin","name":"Twin A","file":{"type":"url","url":"https://example.com/footage.mp4"}})
    );
    let body = r#"{"data":{"avatar_item":{"id":"look_0001","group_id":"grp_0001","avatar_type":"digital_twin"},"avatar_group":{"id":"grp_0001","name":"Twin A","created_at":1764400000,"looks_count":1,"consent_status":"pending"},"extra":{"ignored":true}}}"#;
    let out = op
        .parse(json_resp(200, body), &ResponseLimits::default())
        .unwrap();
    let item = out.avatar_item.unwrap();
    assert_eq!(item.id.as_str(), "look_0001");
    assert_eq!(item.avatar_type, AvatarType::DigitalTwin);
    assert_eq!(out.avatar_group.unwrap().id.as_str(), "grp_0001");
    for wire in ["video", "video_avatar", "digital_twin"] {
        let body = format!(r#"{{"data":{{"id":"look_0001","name":"A","avatar_type":"{wire}"}}}}"#);
        let look = heygen_core::ops::GetLook::new(look())
            .parse(json_resp(200, &body), &ResponseLimits::default())
            .unwrap();
        assert_eq!(look.avatar_type, AvatarType::DigitalTwin, "{wire}");
    }
}

#[test]
fn br_05_base64_asset_input() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let input = AssetInput::base64_from_bytes("image/png", png).unwrap();
    let op = CreateAvatar::new(CreatePhotoAvatar::new("Photo A", input));
    let body = body_json(&op.build(&config()).unwrap());
    assert_eq!(body["type"], "photo");
    assert_eq!(body["file"]["type"], "base64");
    assert_eq!(body["file"]["media_type"], "image/png");
    let data = body["file"]["data"].as_str().unwrap();
    assert!(data.starts_with("iVBORw0KGgo"));
    assert!(!data.contains(['\n', '\r', ' ']) && !data.starts_with("data:"));
    assert!(body["file"].get("content_type").is_none());
    // A data URI is split, never sent as is.
    let split = AssetInput::from_data_uri("data:image/png;base64,iVBORw0KGgo=").unwrap();
    let op = CreateAvatar::new(CreatePhotoAvatar::new("Photo A", split));
    let body = body_json(&op.build(&config()).unwrap());
    assert_eq!(body["file"]["media_type"], "image/png");
    assert_eq!(body["file"]["data"], "iVBORw0KGgo=");
    // PNG bytes declared as JPEG never reach a request.
    assert!(AssetInput::base64_from_bytes("image/jpeg", png).is_err());
    assert!(heygen_core::upload::check_media_type("image/jpeg", png).is_err());
}

#[test]
fn br_07_error_on_200_stops_polling_after_one_request() {
    let mut answers = VecDeque::from([Answer::Json(
        200,
        r#"{"data":null,"error":{"code":"invalid_parameter","message":"video_id is invalid or expired"}}"#.into(),
    )]);
    let (outcome, steps, _) = drive(Wait::video(&video()), &mut answers);
    assert_eq!(steps, ["send GET /v3/videos/vid_0001"]);
    let Err(Error::Api(api)) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(api.status, 200);
    assert_eq!(api.code.as_deref(), Some("invalid_parameter"));
    assert_eq!(
        api.message.as_deref(),
        Some("video_id is invalid or expired")
    );
}

fn wait_for_video(answers: &mut VecDeque<Answer>) -> (Result<Waited<Video>, Error>, Vec<String>) {
    let policy = PollPolicy::default().deadline(Duration::from_mins(10));
    let (outcome, steps, _) = drive(Wait::video(&video()).policy(policy), answers);
    (outcome, steps)
}

#[test]
fn br_09_poll_5xx_is_transient_404_is_terminal() {
    let mut answers = VecDeque::from([
        Answer::Html(503, "<html>busy</html>"),
        Answer::Json(200, r#"{"data":{"id":"vid_0001","status":"processing"}}"#.into()),
        Answer::Json(
            200,
            r#"{"data":{"id":"vid_0001","status":"completed","video_url":"https://files.example.com/v.mp4"}}"#.into(),
        ),
    ]);
    let (outcome, steps) = wait_for_video(&mut answers);
    // The 503 is retried with backoff inside the check; "processing" waits the first interval.
    assert_eq!(
        steps,
        [
            "send GET /v3/videos/vid_0001",
            "sleep 750ms",
            "send GET /v3/videos/vid_0001",
            "sleep 2000ms",
            "send GET /v3/videos/vid_0001",
        ]
    );
    let Ok(Waited::Completed(v)) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(
        v.video_url.unwrap().as_str(),
        "https://files.example.com/v.mp4"
    );

    let mut answers = VecDeque::from([Answer::Json(
        404,
        r#"{"error":{"code":"not_found","message":"Video not found"}}"#.into(),
    )]);
    let (outcome, steps) = wait_for_video(&mut answers);
    let Err(err) = outcome else { panic!() };
    assert_eq!(err.class(), ErrorClass::NotFound);
    assert_eq!(steps, ["send GET /v3/videos/vid_0001"]);
    assert!(answers.is_empty());
}

#[test]
fn br_11_empty_options_body_and_unset_fields() {
    let request = CreateConsent::new(group(), CreateConsentRequest::new())
        .build(&config())
        .unwrap();
    assert_eq!(request.uri().path(), "/v3/avatars/grp_0001/consent");
    assert_eq!(request.headers()["content-type"], "application/json");
    assert_eq!(
        request.body(),
        &Body::Bytes(bytes::Bytes::from_static(b"{}"))
    );
    let request = CreateVideo::new(CreateAvatarVideo::new(look()).script("Hello"))
        .build(&config())
        .unwrap();
    assert_eq!(
        body_json(&request),
        json!({"type":"avatar","avatar_id":"look_0001","script":"Hello"})
    );
    // Every JSON-bodied mutation carries the content type, even a raw one without a body.
    let raw = RawJson::new(http::Method::POST, "/v3/x")
        .build(&config())
        .unwrap();
    assert_eq!(raw.headers()["content-type"], "application/json");
    assert_eq!(raw.body(), &Body::Bytes(bytes::Bytes::from_static(b"{}")));
}

#[test]
fn br_13_look_id_where_a_look_id_is_needed() {
    // `CreateAvatarVideo::new` takes a `LookId` and `GetAvatarGroup::new` an `AvatarGroupId`;
    // passing the other kind does not compile (the model's trybuild test shows it).
    let request = CreateVideo::new(
        CreateAvatarVideo::new(look())
            .script("Hi")
            .engine(heygen_model::EngineConfig::new(VideoEngine::AvatarIv)),
    )
    .build(&config())
    .unwrap();
    let body = body_json(&request);
    assert_eq!(body["type"], "avatar");
    assert_eq!(body["avatar_id"], "look_0001");
    let request = GetAvatarGroup::new(group()).build(&config()).unwrap();
    assert_eq!(request.uri().path(), "/v3/avatars/grp_0001");
}

#[test]
fn br_14_null_optional_fields_in_list_items() {
    let body = r#"{"data":[{"id":"look_0001","name":"A","avatar_type":"photo_avatar","preview_image_url":null,"preview_video_url":null,"default_voice_id":null},{"id":"look_0002","name":"B","avatar_type":"studio_avatar"}],"has_more":false,"next_token":null}"#;
    let page = ListLooks::default()
        .parse(json_resp(200, body), &ResponseLimits::default())
        .unwrap();
    assert_eq!(page.data.len(), 2);
    assert!(page.data[0].preview_image_url.is_none());
    assert!(page.data[1].preview_image_url.is_none());
    let group_null = r#"{"data":{"id":"grp_0001","name":"G","created_at":1764400000,"looks_count":2,"consent_status":null}}"#;
    let g = GetAvatarGroup::new(group())
        .parse(json_resp(200, group_null), &ResponseLimits::default())
        .unwrap();
    assert!(g.consent_status.is_none());
    let group_pending = group_null.replace("null", "\"pending\"");
    let g = GetAvatarGroup::new(group())
        .parse(json_resp(200, &group_pending), &ResponseLimits::default())
        .unwrap();
    assert_eq!(g.consent_status, Some(heygen_model::ConsentStatus::Pending));
}

#[test]
fn br_17_looks_pagination_across_six_pages() {
    let query = ListLooksQuery::new()
        .avatar_type(AvatarType::PhotoAvatar)
        .ownership(Ownership::Public)
        .limit(50);
    let mut pages = heygen_core::Paginator::new(ListLooks::new(query));
    let mut looks = Vec::new();
    let mut n = 0;
    while let Some(op) = pages.next_operation() {
        n += 1;
        let uri = op.build(&config()).unwrap().uri().to_string();
        let q = uri.split_once('?').unwrap().1;
        assert!(
            q.starts_with("avatar_type=photo_avatar&ownership=public&limit=50"),
            "{q}"
        );
        if n == 1 {
            assert!(!q.contains("token="));
        } else {
            assert!(q.ends_with(&format!("&token=tok_{n}")), "{q}");
        }
        let items: Vec<String> = (0..50)
            .map(|i| {
                format!(
                    r#"{{"id":"look_{:04}","name":"L","avatar_type":"photo_avatar"}}"#,
                    (n - 1) * 50 + i
                )
            })
            .collect();
        let (more, token) = if n < 6 {
            ("true", format!("\"tok_{}\"", n + 1))
        } else {
            ("false", "null".to_owned())
        };
        let body = format!(
            r#"{{"data":[{}],"has_more":{more},"next_token":{token}}}"#,
            items.join(",")
        );
        let page = op
            .parse(json_resp(200, &body), &ResponseLimits::default())
            .unwrap();
        pages.on_page(&page).unwrap();
        looks.extend(page.data);
    }
    assert_eq!(n, 6);
    assert_eq!(looks.len(), 300);
    assert!(
        looks
            .iter()
            .enumerate()
            .all(|(i, l)| l.id.as_str() == format!("look_{i:04}"))
    );
    let err = ListLooks::new(ListLooksQuery::new().limit(51))
        .build(&config())
        .unwrap_err();
    assert_eq!(err.class(), ErrorClass::Validation);
}

#[test]
fn br_22_every_status_reaches_the_core_with_its_body() {
    let err = GetVideo::new(video())
        .parse(
            resp(
                429,
                &[("retry-after", "3"), ("content-type", "application/json")],
                br#"{"error":{"code":"rate_limit_exceeded","message":"Too many requests"}}"#,
            ),
            &ResponseLimits::default(),
        )
        .unwrap_err();
    let Error::Api(api) = &err else { panic!() };
    assert_eq!(api.code.as_deref(), Some("rate_limit_exceeded"));
    assert_eq!(api.message.as_deref(), Some("Too many requests"));
    assert_eq!(api.retry_after, Some(Duration::from_secs(3)));
    let err = GetVideo::new(video())
        .parse(
            json_resp(
                400,
                r#"{"error":{"code":"invalid_parameter","message":"bad","param":"video_id"}}"#,
            ),
            &ResponseLimits::default(),
        )
        .unwrap_err();
    assert_eq!(err.api_code(), Some("invalid_parameter"));
    assert_eq!(err.class(), ErrorClass::Validation);
}

#[test]
fn br_25_one_idempotency_key_per_logical_call() {
    let op = CreateVideo::new(CreateAvatarVideo::new(look()).script("Hello"))
        .idempotency_key(IdempotencyKey::new("idem-0001").unwrap());
    let mut answers = VecDeque::from([
        Answer::Transport(TransportErrorKind::Timeout),
        Answer::Json(
            409,
            r#"{"error":{"code":"request_in_progress","message":"in flight"}}"#.into(),
        ),
        Answer::Json(
            200,
            r#"{"data":{"video_id":"vid_0001","status":"waiting"}}"#.into(),
        ),
    ]);
    let (result, steps, sent) = drive(call(op), &mut answers);
    assert_eq!(result.unwrap().video_id.as_str(), "vid_0001");
    assert_eq!(
        steps,
        [
            "send POST /v3/videos",
            "sleep 750ms",
            "send POST /v3/videos",
            "sleep 1500ms",
            "send POST /v3/videos",
        ]
    );
    assert_eq!(sent.len(), 3);
    assert!(
        sent.iter()
            .all(|r| r.headers()["idempotency-key"] == "idem-0001")
    );

    // Without a caller key, one is generated once and reused.
    let op = CreateVideo::new(CreateAvatarVideo::new(look()).script("Hello"));
    let mut answers = VecDeque::from([
        Answer::Transport(TransportErrorKind::Timeout),
        Answer::Json(
            200,
            r#"{"data":{"video_id":"vid_0001","status":"waiting"}}"#.into(),
        ),
    ]);
    let (_, _, sent) = drive(call(op), &mut answers);
    assert_eq!(sent.len(), 2);
    assert_eq!(
        sent[0].headers()["idempotency-key"],
        sent[1].headers()["idempotency-key"]
    );

    // Keys are checked before anything is sent.
    assert!(IdempotencyKey::new("bad key!").is_err());
    assert!(IdempotencyKey::new("k".repeat(256)).is_err());
    let err = Call::new(
        RawJson::new(http::Method::POST, "/v3/videos").idempotency_key("bad key!"),
        &config(),
        [0; 16],
    )
    .unwrap_err();
    assert_eq!(err.class(), ErrorClass::Validation);

    // The same rule for avatars, consent and assets.
    let avatar = CreateAvatar::new(CreatePhotoAvatar::new(
        "A",
        AssetInput::url("https://example.com/a.png"),
    ));
    let consent = CreateConsent::new(group(), CreateConsentRequest::new());
    let upload = UploadAsset::new(Source::Reader, "a.png", "image/png", 3, [0; 16]);
    assert!(
        Call::new(&avatar, &config(), [1; 16])
            .unwrap()
            .idempotency_key()
            .is_some()
    );
    assert!(
        Call::new(&consent, &config(), [1; 16])
            .unwrap()
            .idempotency_key()
            .is_some()
    );
    assert!(
        Call::new(&upload, &config(), [1; 16])
            .unwrap()
            .idempotency_key()
            .is_some()
    );
}

#[test]
fn br_26_unknown_enum_values_keep_the_page() {
    let body = r#"{"data":[{"id":"look_0001","name":"A","avatar_type":"hologram_avatar","supported_api_engines":["avatar_v","avatar_iv","avatar_vi"],"preferred_orientation":"diagonal"},{"id":"look_0002","name":"B","avatar_type":"photo_avatar"}],"has_more":false,"next_token":null}"#;
    let page = ListLooks::default()
        .parse(json_resp(200, body), &ResponseLimits::default())
        .unwrap();
    assert_eq!(page.data.len(), 2);
    assert_eq!(page.data[0].avatar_type.as_str(), "hologram_avatar");
    assert_eq!(
        serde_json::to_value(&page.data[0].avatar_type).unwrap(),
        json!("hologram_avatar")
    );
    assert_eq!(page.data[1].avatar_type, AvatarType::PhotoAvatar);
}

#[test]
fn br_30_no_secret_in_debug_or_display() {
    let cfg = config();
    let call = Call::new(GetVideo::new(video()), &cfg, [0; 16]).unwrap();
    let signed = "https://storage.example.com/b/k?X-Amz-Signature=SECRETSIG&X-Amz-Credential=CRED";
    let err = GetVideo::new(video())
        .parse(
            resp(
                500,
                &[("content-type", "text/plain")],
                format!("upload to {signed} failed").as_bytes(),
            ),
            &ResponseLimits::default(),
        )
        .unwrap_err();
    let texts = [
        format!("{cfg:?}"),
        format!("{call:?}"),
        format!("{:?}", call.request()),
        format!("{err:?}"),
        err.to_string(),
    ];
    for text in &texts {
        for secret in [KEY, "SECRETSIG", "CRED"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
    assert!(texts[3].contains("<redacted>"));
    assert_eq!(
        err.to_string(),
        "unexpected response to GET /v3/videos/{video_id}: status 500, content type text/plain"
    );
    // A 5 MB base64 asset: the operation's Debug shows a length, not the payload.
    let bytes = [&b"\x89PNG\r\n\x1a\n"[..], &vec![7u8; 5_000_000]].concat();
    let op = CreateAvatar::new(CreatePhotoAvatar::new(
        "P",
        AssetInput::base64_from_bytes("image/png", &bytes).unwrap(),
    ));
    assert!(format!("{op:?}").len() < 2_000);
}

#[test]
fn br_25_create_video_answer_without_status() {
    // The case's final answer carries no `status`; it must still decode.
    let op = CreateVideo::new(CreateAvatarVideo::new(look()).script("Hello"));
    let out = op
        .parse(
            json_resp(200, r#"{"data":{"video_id":"vid_0001"}}"#),
            &ResponseLimits::default(),
        )
        .unwrap();
    assert_eq!(out.video_id.as_str(), "vid_0001");
    assert_eq!(out.status, None);
}
