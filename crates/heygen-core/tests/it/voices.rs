//! Voices: golden requests, fixture parses, the clone wait and clone from a local file.

use std::time::Duration;

use heygen_core::ops::{CloneVoice, CreateSpeech, DeleteVoice, DesignVoice, GetVoice, ListVoices};
use heygen_core::upload::{UploadMethod, WithFile};
use heygen_core::workflow::Scripted;
use heygen_core::{Body, Call, Error, Operation, PollPolicy, ResponseLimits, Wait, Waited};
use heygen_model::{
    AssetInput, CloneVoiceRequest, DesignVoiceRequest, IdempotencyKey, ListVoicesQuery,
    SpeechRequest, VoiceCloneStatus, VoiceEngineType, VoiceGender, VoiceId, VoiceType,
};
use serde_json::{Value, json};

use crate::fixtures::{
    envelope_4xx, error_on_200, gzip_error_body, html_5xx, malformed_2xx, oversized_body,
};
use crate::support::{ENTROPY, GENERATED_KEY, built, expect_request as expect};
use crate::support::{body_json, config, json_resp, play};

const MP3: &[u8] = b"ID3\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00";

fn voice() -> VoiceId {
    VoiceId::new("vc_0001").unwrap()
}

// ---- golden requests ------------------------------------------------------------------------

#[test]
fn list_voices_with_every_filter() {
    expect(
        &built(ListVoices::new(ListVoicesQuery::new())),
        "GET",
        "https://api.heygen.com/v3/voices",
        None,
        None,
    );
    let query = ListVoicesQuery::new()
        .voice_type(VoiceType::Public)
        .engine(VoiceEngineType::Starfish)
        .language("Brazilian Portuguese")
        .gender(VoiceGender::Female)
        .limit(100)
        .token("tok 2/3");
    expect(
        &built(ListVoices::new(query)),
        "GET",
        "https://api.heygen.com/v3/voices?type=public&engine=starfish&language=Brazilian%20Portuguese&gender=female&limit=100&token=tok%202%2F3",
        None,
        None,
    );
}

#[test]
fn list_voices_limit_over_one_hundred_is_rejected_before_sending() {
    let error = Call::new(
        ListVoices::new(ListVoicesQuery::new().limit(101)),
        &config(),
        ENTROPY,
    )
    .unwrap_err();
    let Error::InvalidRequest(invalid) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(invalid.field.as_deref(), Some("limit"));
}

#[test]
fn get_and_delete_voice() {
    expect(
        &built(GetVoice::new(voice())),
        "GET",
        "https://api.heygen.com/v3/voices/vc_0001",
        None,
        None,
    );
    expect(
        &built(DeleteVoice::new(voice())),
        "DELETE",
        "https://api.heygen.com/v3/voices/vc_0001",
        Some(GENERATED_KEY),
        None,
    );
    let key = IdempotencyKey::new("del-1").unwrap();
    expect(
        &built(DeleteVoice::new(VoiceId::new("a/b?c").unwrap()).idempotency_key(key)),
        "DELETE",
        "https://api.heygen.com/v3/voices/a%2Fb%3Fc",
        Some("del-1"),
        None,
    );
}

#[test]
fn design_voice() {
    expect(
        &built(DesignVoice::new(
            DesignVoiceRequest::new("calm narrator")
                .gender(VoiceGender::Male)
                .locale("en-US")
                .seed(1),
        )),
        "POST",
        "https://api.heygen.com/v3/voices",
        Some(GENERATED_KEY),
        Some(json!({"prompt": "calm narrator", "gender": "male", "locale": "en-US", "seed": 1})),
    );
    // The reference sets no rule for the prompt beyond being a string: the server decides.
    expect(
        &built(DesignVoice::new(DesignVoiceRequest::new(""))),
        "POST",
        "https://api.heygen.com/v3/voices",
        Some(GENERATED_KEY),
        Some(json!({"prompt": ""})),
    );
}

#[test]
fn clone_voice() {
    expect(
        &built(CloneVoice::new(
            CloneVoiceRequest::new("Me", AssetInput::url("https://example.com/me.mp3"))
                .remove_background_noise(false),
        )),
        "POST",
        "https://api.heygen.com/v3/voices/clone",
        Some(GENERATED_KEY),
        Some(json!({
            "voice_name": "Me",
            "audio": {"type": "url", "url": "https://example.com/me.mp3"},
            "remove_background_noise": false,
        })),
    );
}

#[test]
fn speech() {
    expect(
        &built(CreateSpeech::new(
            SpeechRequest::ssml(voice(), "<speak>Hi</speak>").speed(0.5),
        )),
        "POST",
        "https://api.heygen.com/v3/voices/speech",
        Some(GENERATED_KEY),
        Some(json!({
            "text": "<speak>Hi</speak>",
            "voice_id": "vc_0001",
            "input_type": "ssml",
            "speed": 0.5,
        })),
    );
    for bad in [
        SpeechRequest::new(voice(), "x".repeat(5001)),
        SpeechRequest::new(voice(), ""),
        SpeechRequest::new(voice(), "hi").speed(2.5),
    ] {
        let error = Call::new(CreateSpeech::new(bad), &config(), ENTROPY).unwrap_err();
        let Error::InvalidRequest(invalid) = &error else {
            panic!("{error:?}")
        };
        assert!(
            matches!(invalid.field.as_deref(), Some("text" | "speed")),
            "{invalid:?}"
        );
        assert_eq!(invalid.path, Some("/v3/voices/speech"));
    }
}

// ---- fixture parses -------------------------------------------------------------------------

fn parse<O: Operation>(op: &O, status: u16, body: &str) -> Result<O::Output, Error> {
    op.parse(json_resp(status, body), &ResponseLimits::default())
}

#[test]
fn every_voice_operation_parses_errors_like_the_others() {
    let design = DesignVoice::new(DesignVoiceRequest::new("calm"));
    let clone = CloneVoice::new(CloneVoiceRequest::new(
        "Me",
        AssetInput::url("https://example.com/me.mp3"),
    ));
    let speech = CreateSpeech::new(SpeechRequest::new(voice(), "hi"));
    macro_rules! each {
        ($check:ident) => {
            $check(&ListVoices::new(ListVoicesQuery::new()));
            $check(&GetVoice::new(voice()));
            $check(&DeleteVoice::new(voice()));
            $check(&design);
            $check(&clone);
            $check(&speech);
        };
    }
    each!(envelope_4xx);
    each!(html_5xx);
    each!(error_on_200);
    each!(malformed_2xx);
    each!(gzip_error_body);
    each!(oversized_body);
}

#[test]
fn list_page_parses() {
    let page = parse(
        &ListVoices::new(ListVoicesQuery::new()),
        200,
        r#"{"data":[{"voice_id":"v_pub_1","name":"Ava","language":"English","gender":"female","support_pause":true,"support_locale":false,"type":"public","preview_audio_url":"https://cdn.example.com/a.mp3"}],"has_more":true,"next_token":"t2"}"#,
    )
    .unwrap();
    assert_eq!(page.data[0].voice_id.as_str(), "v_pub_1");
    assert_eq!(page.next_token(), Some("t2"));
}

#[test]
fn get_design_clone_speech_delete_parse() {
    let details = parse(
        &GetVoice::new(voice()),
        200,
        r#"{"data":{"voice_id":"vc_0001","status":"processing","support_pause":false}}"#,
    )
    .unwrap();
    assert_eq!(details.status, Some(VoiceCloneStatus::Processing));

    let designed = parse(
        &DesignVoice::new(DesignVoiceRequest::new("calm")),
        200,
        r#"{"data":{"seed":0,"voices":[{"voice_id":"v_pub_2","name":"Ben","language":"English","gender":"male","support_pause":true,"support_locale":true,"type":"public"}]}}"#,
    )
    .unwrap();
    assert_eq!(designed.voices.len(), 1);
    assert_eq!(designed.seed, Some(0));

    let clone = parse(
        &CloneVoice::new(CloneVoiceRequest::new(
            "Me",
            AssetInput::url("https://example.com/me.mp3"),
        )),
        200,
        r#"{"data":{"voice_clone_id":"vc_0001"}}"#,
    )
    .unwrap();
    assert_eq!(clone.voice_clone_id, voice());

    let speech = parse(
        &CreateSpeech::new(SpeechRequest::new(voice(), "hi")),
        200,
        r#"{"data":{"audio_url":"https://cdn.example.com/s.mp3?X-Amz-Signature=SIG","duration":1.25,"request_id":"r1","word_timestamps":[{"word":"hi","start":0,"end":0.3}]}}"#,
    )
    .unwrap();
    assert!((speech.duration.unwrap().as_f64() - 1.25).abs() < f64::EPSILON);
    assert!(!format!("{speech:?}").contains("SIG"));

    let deleted = parse(
        &DeleteVoice::new(voice()),
        200,
        r#"{"data":{"voice_id":"vc_0001"}}"#,
    )
    .unwrap();
    assert_eq!(deleted.voice_id, voice());
    // An empty 2xx counts as deleted.
    let empty = DeleteVoice::new(voice())
        .parse(
            http::Response::builder()
                .status(204)
                .body(&b""[..])
                .unwrap(),
            &ResponseLimits::default(),
        )
        .unwrap();
    assert_eq!(empty.voice_id, voice());
    // A second delete is a 404 `voice_not_found`, kept as the API error it is.
    let gone = parse(
        &DeleteVoice::new(voice()),
        404,
        r#"{"error":{"code":"voice_not_found","message":"Voice not found"}}"#,
    )
    .unwrap_err();
    assert_eq!(gone.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(gone.api_code(), Some("voice_not_found"));
}

// ---- the clone wait -------------------------------------------------------------------------

fn policy() -> PollPolicy {
    PollPolicy::new()
        .initial_interval(Duration::from_secs(2))
        .max_interval(Duration::from_secs(5))
        .deadline(Duration::from_secs(10))
}

fn status_json(status: &str) -> String {
    format!(r#"{{"data":{{"voice_id":"vc_0001","status":"{status}","support_pause":false}}}}"#)
}

#[test]
fn wait_for_voice_until_complete() {
    let run = play(
        Wait::voice(&voice()).policy(policy()),
        &config(),
        [
            Scripted::json(200, &status_json("processing")),
            Scripted::json(503, "{}"),
            Scripted::json(
                200,
                r#"{"data":{"voice_id":"vc_0001","status":"complete","name":"Me","support_pause":true,"preview_audio_url":"https://cdn.example.com/p.mp3"}}"#,
            ),
        ],
    );
    assert_eq!(
        run.steps,
        [
            "send GET /v3/voices/vc_0001",
            "sleep 2000ms",
            "send GET /v3/voices/vc_0001",
            "sleep 750ms",
            "send GET /v3/voices/vc_0001",
        ]
    );
    let Ok(Waited::Completed(voice)) = run.result else {
        panic!("{:?}", run.result)
    };
    assert_eq!(voice.status, Some(VoiceCloneStatus::Complete));
    assert_eq!(voice.name.as_deref(), Some("Me"));
}

#[test]
fn wait_for_voice_failure_is_job_failed_with_the_message() {
    let run = play(
        Wait::voice(&voice()).policy(policy()),
        &config(),
        [Scripted::json(
            200,
            r#"{"data":{"voice_id":"vc_0001","status":"failed","failure_message":"audio too short","support_pause":false}}"#,
        )],
    );
    assert_eq!(run.steps, ["send GET /v3/voices/vc_0001"]);
    let Err(Error::JobFailed(failed)) = run.result else {
        panic!("{:?}", run.result)
    };
    assert_eq!(failed.resource, "voice");
    assert_eq!(failed.id, "vc_0001");
    assert_eq!(failed.message.as_deref(), Some("audio too short"));
}

#[test]
fn wait_for_voice_never_reads_an_unknown_or_missing_status_as_success() {
    let run = play(
        Wait::voice(&voice()).policy(policy()),
        &config(),
        [
            Scripted::json(200, &status_json("completed")),
            // A clone (by its type) with no status yet is not usable.
            Scripted::json(
                200,
                r#"{"data":{"voice_id":"vc_0001","type":"private","support_pause":false}}"#,
            ),
            Scripted::json(200, &status_json("succeeded")),
            Scripted::json(200, &status_json("cancelled")),
        ],
    );
    assert_eq!(
        run.steps,
        [
            "send GET /v3/voices/vc_0001",
            "sleep 2000ms",
            "send GET /v3/voices/vc_0001",
            "sleep 3000ms",
            "send GET /v3/voices/vc_0001",
            "sleep 4500ms",
            "send GET /v3/voices/vc_0001",
            "sleep 500ms",
        ]
    );
    let Err(Error::WaitTimedOut(timed_out)) = run.result else {
        panic!("{:?}", run.result)
    };
    assert_eq!(timed_out.resource, "voice");
    assert_eq!(timed_out.last_status.as_deref(), Some("cancelled"));
    assert_eq!(timed_out.checks, 4);
}

#[test]
fn wait_for_a_voice_without_a_clone_status_ends_at_the_first_read() {
    // Only clones carry a status: a shared voice is usable as it is.
    for body in [
        r#"{"data":{"voice_id":"vc_0001","name":"Anna","support_pause":true}}"#,
        r#"{"data":{"voice_id":"vc_0001","status":null,"type":"public","support_pause":true}}"#,
    ] {
        let run = play(
            Wait::voice(&voice()).policy(policy()),
            &config(),
            [Scripted::json(200, body)],
        );
        assert_eq!(run.steps, ["send GET /v3/voices/vc_0001"], "{body}");
        let Ok(Waited::Completed(voice)) = run.result else {
            panic!("{body}: {:?}", run.result)
        };
        assert_eq!(voice.status, None);
    }
}

#[test]
fn wait_for_voice_ends_at_once_on_404() {
    let run = play(
        Wait::voice(&voice()).policy(policy()),
        &config(),
        [Scripted::json(
            404,
            r#"{"error":{"code":"voice_not_found","message":"Voice not found"}}"#,
        )],
    );
    assert_eq!(run.steps, ["send GET /v3/voices/vc_0001"]);
    assert_eq!(
        run.result.unwrap_err().status().map(|s| s.as_u16()),
        Some(404)
    );
}

// ---- clone from a local file ----------------------------------------------------------------

#[test]
fn clone_from_a_small_file_goes_inline() {
    let run = play(
        WithFile::voice_clone("Me", "/audio/me.mp3"),
        &config(),
        [
            Scripted::file(2000, MP3),
            Scripted::json(200, r#"{"data":{"voice_clone_id":"vc_0001"}}"#),
        ],
    );
    assert_eq!(
        run.steps,
        ["inspect /audio/me.mp3", "send POST /v3/voices/clone"]
    );
    let out = run.result.unwrap();
    assert_eq!(out.method, UploadMethod::Inline);
    assert_eq!(out.asset_id, None);
    assert_eq!(out.output.voice_clone_id, voice());
    let Body::Inline(plan) = run.sent[0].request.body() else {
        panic!("{:?}", run.sent[0].request.body())
    };
    assert_eq!(plan.len, 2000);
    let template: Value = serde_json::from_slice(&plan.template).unwrap();
    assert_eq!(template["voice_name"], "Me");
    assert_eq!(template["audio"]["type"], "base64");
    assert_eq!(template["audio"]["media_type"], "audio/mpeg");
}

#[test]
fn clone_from_a_large_file_uploads_it_and_sends_its_asset_id() {
    let config = config().with_inline_threshold(1000);
    let run = play(
        WithFile::voice_clone_with("/audio/me.mp3", |audio| {
            CloneVoiceRequest::new("Me", audio).language("en")
        }),
        &config,
        [
            Scripted::file(5000, MP3),
            Scripted::json(
                200,
                r#"{"data":{"asset_id":"asset_0009","url":"https://files.example.com/a","mime_type":"audio/mpeg","size_bytes":5000}}"#,
            ),
            Scripted::json(200, r#"{"data":{"voice_clone_id":"vc_0001"}}"#),
        ],
    );
    assert_eq!(
        run.steps,
        [
            "inspect /audio/me.mp3",
            "send POST /v3/assets",
            "send POST /v3/voices/clone",
        ]
    );
    let out = run.result.unwrap();
    assert_eq!(out.method, UploadMethod::Multipart);
    assert_eq!(out.asset_id.unwrap().as_str(), "asset_0009");
    assert_eq!(
        body_json(&run.sent[1].request),
        json!({
            "voice_name": "Me",
            "audio": {"type": "asset_id", "asset_id": "asset_0009"},
            "language": "en",
        })
    );
}
