//! Voices: wire shapes, reference-shaped response fixtures, every stated limit, redaction, and
//! property tests (round trip; requests and responses against the bundled schemas).

use std::sync::OnceLock;

use heygen_model::strategies::{self as s, Mode};
use heygen_model::validate::Rule;
use heygen_model::voice::{MAX_SPEECH_TEXT_CHARS, SPEECH_SPEED_RANGE};
use heygen_model::*;
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

const SCHEMAS: &str = include_str!("../../../heygen-emulator/schemas/v3-endpoints.json");

fn voice_id(id: &str) -> VoiceId {
    VoiceId::new(id).unwrap()
}

fn data<T: DeserializeOwned>(body: &str) -> T {
    let value: Value = serde_json::from_str(body).unwrap();
    serde_json::from_value(value["data"].clone()).unwrap()
}

// ---- requests on the wire -------------------------------------------------------------------

#[test]
fn list_query_pairs_in_fixed_order_and_unset_left_out() {
    assert!(ListVoicesQuery::new().to_query_pairs().is_empty());
    let query = ListVoicesQuery::new()
        .token("t2")
        .limit(50)
        .gender(VoiceGender::Female)
        .language("English")
        .engine(VoiceEngineType::Starfish)
        .voice_type(VoiceType::Private);
    assert_eq!(
        query.to_query_pairs(),
        vec![
            ("type", "private".to_owned()),
            ("engine", "starfish".to_owned()),
            ("language", "English".to_owned()),
            ("gender", "female".to_owned()),
            ("limit", "50".to_owned()),
            ("token", "t2".to_owned()),
        ]
    );
    assert_eq!(
        query.with_token("t3").to_query_pairs().last().unwrap(),
        &("token", "t3".to_owned())
    );
}

#[test]
fn design_request_json_omits_unset_options() {
    let bare = DesignVoiceRequest::new("warm narrator");
    bare.validate().unwrap();
    assert_eq!(
        serde_json::to_string(&bare).unwrap(),
        r#"{"prompt":"warm narrator"}"#
    );
    let full = DesignVoiceRequest::new("warm narrator")
        .gender(VoiceGender::Male)
        .locale("en-US")
        .seed(2);
    assert_eq!(
        serde_json::to_value(&full).unwrap(),
        json!({"prompt": "warm narrator", "gender": "male", "locale": "en-US", "seed": 2})
    );
}

#[test]
fn clone_request_carries_the_audio_as_an_asset_input() {
    let by_url = CloneVoiceRequest::new("My voice", AssetInput::url("https://example.com/a.mp3"));
    by_url.validate().unwrap();
    assert_eq!(
        serde_json::to_string(&by_url).unwrap(),
        r#"{"voice_name":"My voice","audio":{"type":"url","url":"https://example.com/a.mp3"}}"#
    );
    let by_asset = CloneVoiceRequest::new(
        "My voice",
        AssetInput::asset_id(AssetId::new("asset_0001").unwrap()),
    )
    .language("en")
    .remove_background_noise(false);
    assert_eq!(
        serde_json::to_value(&by_asset).unwrap(),
        json!({
            "voice_name": "My voice",
            "audio": {"type": "asset_id", "asset_id": "asset_0001"},
            "language": "en",
            "remove_background_noise": false,
        })
    );
    let mp3 = b"ID3\x04\x00\x00\x00\x00\x00\x00rest";
    let inline = CloneVoiceRequest::new(
        "My voice",
        AssetInput::base64_from_bytes("audio/mpeg", mp3).unwrap(),
    );
    inline.validate().unwrap();
    let json = serde_json::to_value(&inline).unwrap();
    assert_eq!(json["audio"]["type"], "base64");
    assert_eq!(json["audio"]["media_type"], "audio/mpeg");
}

#[test]
fn speech_request_json_text_and_ssml() {
    let text = SpeechRequest::new(voice_id("v_1"), "Hello there");
    text.validate().unwrap();
    assert_eq!(
        serde_json::to_string(&text).unwrap(),
        r#"{"text":"Hello there","voice_id":"v_1"}"#
    );
    let ssml = SpeechRequest::ssml(voice_id("v_1"), "<speak>Hi</speak>")
        .speed(1.5)
        .locale("en-US")
        .language("en");
    assert_eq!(
        serde_json::to_value(&ssml).unwrap(),
        json!({
            "text": "<speak>Hi</speak>",
            "voice_id": "v_1",
            "input_type": "ssml",
            "language": "en",
            "locale": "en-US",
            "speed": 1.5,
        })
    );
}

// ---- responses ------------------------------------------------------------------------------

#[test]
fn list_page_fixture_parses_with_extra_fields_and_nulls() {
    let body = r#"{"data":[
        {"voice_id":"v_pub_1","name":"Ava","language":"English","gender":"female",
         "support_pause":true,"support_locale":false,"type":"public",
         "preview_audio_url":"https://cdn.example.com/ava.mp3?X-Amz-Signature=abc","new_field":1},
        {"voice_id":"v_pub_2","name":null,"language":"Spanish","gender":"nonbinary",
         "support_pause":false,"support_locale":true,"type":"studio","preview_audio_url":null}
    ],"has_more":true,"next_token":"tok_2"}"#;
    let page: ListPage<Voice> = serde_json::from_str(body).unwrap();
    assert_eq!(page.next_token(), Some("tok_2"));
    let [ava, other] = &page.data[..] else {
        panic!("two voices expected")
    };
    assert_eq!(ava.voice_id.as_str(), "v_pub_1");
    assert_eq!(ava.gender, Some(VoiceGender::Female));
    assert_eq!(ava.voice_type, Some(VoiceType::Public));
    assert!(ava.support_pause && !ava.support_locale);
    assert_eq!(other.name, "");
    assert_eq!(other.gender.as_ref().unwrap().as_str(), "nonbinary");
    assert_eq!(other.voice_type.as_ref().unwrap().as_str(), "studio");
    assert!(other.preview_audio_url.is_none());
    // An unknown value encodes back unchanged.
    assert_eq!(serde_json::to_value(other).unwrap()["type"], "studio");
}

#[test]
fn voice_details_fixture_parses_each_clone_state() {
    let processing: VoiceDetails = data(
        r#"{"data":{"voice_id":"vc_1","status":"processing","support_pause":false,
            "name":null,"language":null,"gender":null,"created_at":null,"preview_audio_url":null}}"#,
    );
    assert_eq!(processing.status, Some(VoiceCloneStatus::Processing));
    assert!(!processing.status.as_ref().unwrap().is_terminal());
    assert!(processing.name.is_none() && processing.created_at.is_none());
    assert!(!processing.support_interactive_avatar);

    let complete: VoiceDetails = data(
        r#"{"data":{"voice_id":"vc_1","status":"complete","support_pause":true,
            "support_interactive_avatar":true,"name":"My voice","language":"English",
            "gender":"male","created_at":1764400000,
            "preview_audio_url":"https://cdn.example.com/p.mp3?sig=s3cr3t"}}"#,
    );
    assert_eq!(complete.status, Some(VoiceCloneStatus::Complete));
    assert_eq!(
        complete.created_at,
        Some(Timestamp::from_unix_seconds(1_764_400_000))
    );
    assert!(complete.support_interactive_avatar);

    let failed: VoiceDetails = data(
        r#"{"data":{"voice_id":"vc_1","status":"failed","failure_message":"audio too short","support_pause":false}}"#,
    );
    assert_eq!(failed.status, Some(VoiceCloneStatus::Failed));
    assert_eq!(failed.failure_message.as_deref(), Some("audio too short"));

    // A status that only looks final is unknown, never complete or failed.
    let odd: VoiceDetails =
        data(r#"{"data":{"voice_id":"vc_1","status":"completed","support_pause":false}}"#);
    assert!(odd.status.as_ref().unwrap().is_unknown());
    assert!(!odd.status.as_ref().unwrap().is_terminal());

    // A public voice has no status at all.
    let public: VoiceDetails = data(r#"{"data":{"voice_id":"v_pub_1","support_pause":true}}"#);
    assert!(public.status.is_none());
}

#[test]
fn design_clone_speech_and_delete_fixtures_parse() {
    let designed: DesignedVoices = data(
        r#"{"data":{"seed":1,"voices":[{"voice_id":"v_pub_3","name":"Ben","language":"English",
            "gender":"male","support_pause":true,"support_locale":false,"type":"public"}]}}"#,
    );
    assert_eq!(designed.seed, Some(1));
    assert_eq!(designed.voices[0].voice_id.as_str(), "v_pub_3");

    let clone: VoiceClone = data(r#"{"data":{"voice_clone_id":"vc_0001"}}"#);
    let id: &VoiceId = &clone.voice_clone_id;
    assert_eq!(id.as_str(), "vc_0001");

    let speech: Speech = data(
        r#"{"data":{"audio_url":"https://cdn.example.com/s.mp3?X-Amz-Signature=zzz",
            "duration":2.5,"request_id":null,
            "word_timestamps":[{"word":"Hello","start":0,"end":0.4},{"word":"there","start":0.5,"end":1.1}]}}"#,
    );
    assert_eq!(speech.duration.unwrap().as_f64(), 2.5);
    assert_eq!(speech.word_timestamps.len(), 2);
    assert_eq!(speech.word_timestamps[1].word, "there");
    assert_eq!(speech.word_timestamps[1].end.as_f64(), 1.1);
    let bare: Speech = data(
        r#"{"data":{"audio_url":"https://cdn.example.com/s.mp3","duration":1,"word_timestamps":null}}"#,
    );
    assert!(bare.word_timestamps.is_empty());

    let deleted: DeletedVoice = data(r#"{"data":{"voice_id":"vc_0001"}}"#);
    assert_eq!(deleted.voice_id.as_str(), "vc_0001");
}

#[test]
fn debug_hides_presigned_queries() {
    let speech: Speech = data(
        r#"{"data":{"audio_url":"https://cdn.example.com/s.mp3?X-Amz-Signature=TOPSECRET","duration":1}}"#,
    );
    let voice: Voice = serde_json::from_str(
        r#"{"voice_id":"v","name":"A","language":"English","gender":"male","support_pause":true,
            "support_locale":true,"type":"public","preview_audio_url":"https://x.example.com/p?sig=TOPSECRET"}"#,
    )
    .unwrap();
    let details: VoiceDetails = data(
        r#"{"data":{"voice_id":"v","support_pause":true,"preview_audio_url":"https://x.example.com/p?sig=TOPSECRET"}}"#,
    );
    for debug in [
        format!("{speech:?}"),
        format!("{voice:?}"),
        format!("{details:?}"),
    ] {
        assert!(!debug.contains("TOPSECRET"), "{debug}");
        assert!(debug.contains("example.com"), "{debug}");
    }
}

// ---- validation -----------------------------------------------------------------------------

fn rule_of(result: Result<(), ValidationError>) -> (String, Rule) {
    let error = result.unwrap_err();
    (error.field.into_owned(), error.rule)
}

#[test]
fn list_limit_is_one_to_one_hundred() {
    ListVoicesQuery::new().limit(1).validate().unwrap();
    ListVoicesQuery::new().limit(100).validate().unwrap();
    for limit in [0, 101] {
        assert_eq!(
            rule_of(ListVoicesQuery::new().limit(limit).validate()),
            (
                "limit".to_owned(),
                Rule::OutOfRange {
                    min: 1,
                    max: 100,
                    actual: u64::from(limit)
                }
            )
        );
    }
}

#[test]
fn speech_text_is_one_to_five_thousand_characters() {
    let id = voice_id("v_1");
    let at_limit = "é".repeat(MAX_SPEECH_TEXT_CHARS);
    SpeechRequest::new(id.clone(), at_limit).validate().unwrap();
    assert_eq!(
        rule_of(SpeechRequest::new(id.clone(), "a".repeat(5001)).validate()),
        (
            "text".to_owned(),
            Rule::TooLong {
                max: 5000,
                actual: 5001
            }
        )
    );
    assert_eq!(
        rule_of(SpeechRequest::new(id.clone(), "").validate()),
        ("text".to_owned(), Rule::Empty)
    );
    // One character is enough, even a space: the reference states only the length.
    SpeechRequest::new(id, " ").validate().unwrap();
}

#[test]
fn speech_speed_is_half_to_double() {
    let id = voice_id("v_1");
    for ok in [SPEECH_SPEED_RANGE.0, 1.0, SPEECH_SPEED_RANGE.1] {
        SpeechRequest::new(id.clone(), "hi")
            .speed(ok)
            .validate()
            .unwrap();
    }
    for bad in [0.49, 2.01, 0.0] {
        assert_eq!(
            rule_of(SpeechRequest::new(id.clone(), "hi").speed(bad).validate()),
            (
                "speed".to_owned(),
                Rule::OutOfRangeNumber {
                    min: 0.5,
                    max: 2.0,
                    actual: bad
                }
            )
        );
    }
    assert_eq!(
        rule_of(SpeechRequest::new(id, "hi").speed(f64::NAN).validate()),
        ("speed".to_owned(), Rule::NotFinite)
    );
}

#[test]
fn clone_needs_a_valid_audio_input() {
    assert_eq!(
        rule_of(CloneVoiceRequest::new("A", AssetInput::url("http://e.com/a.mp3")).validate()),
        ("audio.url".to_owned(), Rule::NotHttps)
    );
    let bad_base64: AssetInput = serde_json::from_value(
        json!({"type": "base64", "media_type": "audio/mpeg", "data": "data:audio/mpeg;base64,AAAA"}),
    )
    .unwrap();
    assert_eq!(
        rule_of(CloneVoiceRequest::new("A", bad_base64).validate()),
        ("audio.data".to_owned(), Rule::DataUriPrefix)
    );
}

#[test]
fn design_and_clone_leave_names_and_prompts_to_the_server() {
    // The reference sets no rule for them beyond being strings.
    DesignVoiceRequest::new("").validate().unwrap();
    DesignVoiceRequest::new("calm")
        .locale("")
        .validate()
        .unwrap();
    CloneVoiceRequest::new("", AssetInput::url("https://e.com/a.mp3"))
        .validate()
        .unwrap();
}

#[test]
fn clone_status_terminal_states() {
    assert!(VoiceCloneStatus::Complete.is_terminal());
    assert!(VoiceCloneStatus::Failed.is_terminal());
    assert!(!VoiceCloneStatus::Processing.is_terminal());
    assert!(!VoiceCloneStatus::from_wire("done").is_terminal());
}

// ---- properties -----------------------------------------------------------------------------

fn schema(method: &str, path: &str, which: &str) -> &'static jsonschema::Validator {
    static ALL: OnceLock<Value> = OnceLock::new();
    static VALIDATORS: OnceLock<std::sync::Mutex<Vec<(String, &'static jsonschema::Validator)>>> =
        OnceLock::new();
    let all = ALL.get_or_init(|| serde_json::from_str(SCHEMAS).unwrap());
    let key = format!("{method} {path} {which}");
    let mut cache = VALIDATORS.get_or_init(Default::default).lock().unwrap();
    if let Some((_, v)) = cache.iter().find(|(k, _)| *k == key) {
        return v;
    }
    let endpoint = all["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["method"] == method && e["path"] == path)
        .unwrap();
    let validator: &'static jsonschema::Validator = Box::leak(Box::new(
        jsonschema::validator_for(&endpoint[which]).unwrap(),
    ));
    cache.push((key, validator));
    validator
}

fn check_against(
    method: &str,
    path: &str,
    which: &str,
    value: &impl Serialize,
    wrap: bool,
) -> Result<(), TestCaseError> {
    let mut json = serde_json::to_value(value).unwrap();
    if wrap {
        json = json!({ "data": json });
    }
    let errors: Vec<String> = schema(method, path, which)
        .iter_errors(&json)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    prop_assert!(errors.is_empty(), "{method} {path}: {errors:?}\n{json}");
    Ok(())
}

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + core::fmt::Debug>(
    value: &T,
) -> Result<(), TestCaseError> {
    let text = serde_json::to_string(value).unwrap();
    let back: T = serde_json::from_str(&text).unwrap();
    prop_assert_eq!(&back, value);
    Ok(())
}

proptest! {
    #[test]
    fn requests_validate_round_trip_and_match_the_schema(
        design in s::design_voice_request(Mode::KnownOnly),
        clone in s::clone_voice_request(),
        speech in s::speech_request(Mode::KnownOnly),
        query in s::list_voices_query(Mode::All),
    ) {
        design.validate().unwrap();
        clone.validate().unwrap();
        speech.validate().unwrap();
        query.validate().unwrap();
        round_trip(&design)?;
        round_trip(&clone)?;
        round_trip(&speech)?;
        round_trip(&query)?;
        check_against("POST", "/v3/voices", "request_schema", &design, false)?;
        check_against("POST", "/v3/voices/clone", "request_schema", &clone, false)?;
        check_against("POST", "/v3/voices/speech", "request_schema", &speech, false)?;
    }

    #[test]
    fn responses_round_trip_and_match_the_schema(
        voice in s::voice(Mode::KnownOnly),
        details in s::voice_details(Mode::KnownOnly),
        speech in s::speech(),
        page in s::list_page(s::voice(Mode::KnownOnly)),
        any_voice in s::voice(Mode::All),
    ) {
        round_trip(&voice)?;
        round_trip(&details)?;
        round_trip(&speech)?;
        round_trip(&any_voice)?;
        check_against("GET", "/v3/voices/{voice_id}", "response_schema", &details, true)?;
        check_against("POST", "/v3/voices/speech", "response_schema", &speech, true)?;
        check_against("GET", "/v3/voices", "response_schema", &page, false)?;
        let designed = json!({"voices": [voice], "seed": 0});
        check_against("POST", "/v3/voices", "response_schema", &designed, true)?;
    }
}
