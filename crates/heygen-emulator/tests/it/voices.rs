//! Voices: the seeded library with its filters and pages, design, clones that train (and fail on
//! the marker), delete, and speech with its limits and its audio on the emulator's origin.

use base64::Engine as _;
use serde_json::{Value, json};

use crate::Emu;

fn ids(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["voice_id"].as_str().unwrap().to_owned())
        .collect()
}

fn mp3_base64() -> String {
    let mut bytes = b"ID3\x04\x00\x00\x00\x00\x00\x00".to_vec();
    bytes.extend_from_slice(&[0u8; 200]);
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn clone(emu: &Emu, name: &str) -> String {
    let v = emu.post(
        "/v3/voices/clone",
        &json!({"voice_name": name, "audio": {"type": "base64", "media_type": "audio/mpeg", "data": mp3_base64()}}),
    );
    v["data"]["voice_clone_id"].as_str().unwrap().to_owned()
}

#[test]
fn the_public_library_is_seeded_the_same_for_every_seed() {
    let a = Emu::start();
    let b = Emu::with(heygen_emulator::EmulatorOptions::default().seed(99));
    let page = a.get("/v3/voices?limit=100");
    assert_eq!(ids(&page), ids(&b.get("/v3/voices?limit=100")));
    assert_eq!(page["data"].as_array().unwrap().len(), 8);
    assert_eq!(page["has_more"], false);
    // The default voices of the public looks are in it.
    assert!(ids(&page).contains(&"emu_voice_female_01".to_owned()));
    for v in page["data"].as_array().unwrap() {
        assert_eq!(v["type"], "public");
    }
    // No private voices yet.
    assert!(ids(&a.get("/v3/voices?type=private")).is_empty());
}

#[test]
fn filters_and_pages() {
    let emu = Emu::start();
    let starfish = ids(&emu.get("/v3/voices?engine=starfish&limit=100"));
    assert_eq!(
        starfish,
        [
            "emu_voice_female_01",
            "emu_voice_male_01",
            "emu_voice_female_02",
            "emu_voice_male_03",
            "emu_voice_female_04"
        ]
    );
    let spanish_male = ids(&emu.get("/v3/voices?language=spanish&gender=male"));
    assert_eq!(spanish_male, ["emu_voice_male_02"]);
    // Pages of three, each token continuing where the last page ended.
    let mut seen = Vec::new();
    let mut path = "/v3/voices?limit=3".to_owned();
    loop {
        let page = emu.get(&path);
        seen.extend(ids(&page));
        match page["next_token"].as_str() {
            Some(t) => {
                assert_eq!(page["has_more"], true);
                path = format!("/v3/voices?limit=3&token={t}");
            }
            None => break,
        }
    }
    assert_eq!(seen, ids(&emu.get("/v3/voices?limit=100")));
    // Query limits from the reference.
    emu.call("GET", "/v3/voices?limit=101", None).assert_error(
        400,
        "invalid_parameter",
        Some("limit"),
    );
    emu.call("GET", "/v3/voices?limit=0", None).assert_error(
        400,
        "invalid_parameter",
        Some("limit"),
    );
    emu.call("GET", "/v3/voices?type=studio", None)
        .assert_error(400, "invalid_parameter", Some("type"));
}

#[test]
fn design_is_deterministic_per_prompt_and_seed_and_creates_usable_voices() {
    let emu = Emu::start();
    let body = json!({"prompt": "warm, confident narrator", "gender": "female", "locale": "pt-BR"});
    let first = emu.post("/v3/voices", &body);
    let again = emu.post("/v3/voices", &body);
    assert_eq!(first, again);
    assert_eq!(first["data"]["seed"], 0);
    let voices = first["data"]["voices"].as_array().unwrap();
    assert_eq!(voices.len(), 3);
    for v in voices {
        assert_eq!(v["gender"], "female");
        assert_eq!(v["language"], "Portuguese");
    }
    let next = emu.post(
        "/v3/voices",
        &json!({"prompt": "warm, confident narrator", "gender": "female", "locale": "pt-BR", "seed": 1}),
    );
    assert_eq!(next["data"]["seed"], 1);
    assert_ne!(next["data"]["voices"], first["data"]["voices"]);
    // A designed voice exists: it can be read and it speaks.
    let id = voices[0]["voice_id"].as_str().unwrap();
    let details = emu.get(&format!("/v3/voices/{id}"));
    assert_eq!(details["data"]["voice_id"], id);
    assert!(details["data"]["status"].is_null());
    emu.post("/v3/voices/speech", &json!({"voice_id": id, "text": "Olá"}));
    // The schema's requirements and the rules it does not carry.
    emu.call("POST", "/v3/voices", Some(&json!({"seed": 1})))
        .assert_error(400, "invalid_parameter", None);
    emu.call(
        "POST",
        "/v3/voices",
        Some(&json!({"prompt": "calm", "seed": -1})),
    )
    .assert_error(400, "invalid_parameter", Some("seed"));
    emu.call(
        "POST",
        "/v3/voices",
        Some(&json!({"prompt": "calm", "gender": "robot"})),
    )
    .assert_error(400, "invalid_parameter", Some("gender"));
    // An empty prompt is left to the server (the reference sets no rule for it).
    assert_eq!(
        emu.post("/v3/voices", &json!({"prompt": ""}))["data"]["voices"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn a_clone_trains_on_the_emulated_clock_then_lists_and_deletes() {
    let emu = Emu::start();
    let id = clone(&emu, "My voice");
    let processing = emu.get(&format!("/v3/voices/{id}"));
    assert_eq!(processing["data"]["status"], "processing");
    assert!(processing["data"]["name"].is_null());
    assert!(ids(&emu.get("/v3/voices?type=private")).is_empty());
    emu.advance(31);
    let done = emu.get(&format!("/v3/voices/{id}"));
    assert_eq!(done["data"]["status"], "complete");
    assert_eq!(done["data"]["name"], "My voice");
    assert!(done["data"]["failure_message"].is_null());
    let private = emu.get("/v3/voices?type=private");
    assert_eq!(ids(&private), std::slice::from_ref(&id));
    assert_eq!(private["data"][0]["type"], "private");
    // A completed clone speaks.
    emu.post(
        "/v3/voices/speech",
        &json!({"voice_id": id, "text": "Hello"}),
    );
    // Delete, then the voice is gone: a second delete is 404 `voice_not_found`.
    let deleted = emu.ok("DELETE", &format!("/v3/voices/{id}"), None);
    assert_eq!(deleted["data"]["voice_id"], id);
    emu.call("DELETE", &format!("/v3/voices/{id}"), None)
        .assert_error(404, "voice_not_found", None);
    emu.call("GET", &format!("/v3/voices/{id}"), None)
        .assert_error(404, "voice_not_found", None);
    assert!(ids(&emu.get("/v3/voices?type=private")).is_empty());
    // Public voices cannot be deleted.
    emu.call("DELETE", "/v3/voices/emu_voice_male_01", None)
        .assert_error(403, "forbidden", None);
}

#[test]
fn a_clone_marked_to_fail_ends_failed() {
    let emu = Emu::start();
    let id = clone(&emu, "Broken [fail]");
    emu.advance(31);
    let failed = emu.get(&format!("/v3/voices/{id}"));
    assert_eq!(failed["data"]["status"], "failed");
    assert!(
        failed["data"]["failure_message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    assert!(ids(&emu.get("/v3/voices?type=private")).is_empty());
    emu.call(
        "POST",
        "/v3/voices/speech",
        Some(&json!({"voice_id": id, "text": "Hi"})),
    )
    .assert_error(400, "invalid_parameter", Some("voice_id"));
    // The marker in the audio URL fails the clone too.
    let by_url = emu.post(
        "/v3/voices/clone",
        &json!({"voice_name": "Fine", "audio": {"type": "url", "url": "https://example.com/[fail].mp3"}}),
    );
    let id = by_url["data"]["voice_clone_id"].as_str().unwrap();
    emu.advance(31);
    assert_eq!(
        emu.get(&format!("/v3/voices/{id}"))["data"]["status"],
        "failed"
    );
}

#[test]
fn clone_audio_is_checked_like_any_asset_input() {
    let emu = Emu::start();
    let clone_with = |audio: Value| {
        emu.call(
            "POST",
            "/v3/voices/clone",
            Some(&json!({"voice_name": "V", "audio": audio})),
        )
    };
    clone_with(json!({"type": "url", "url": "http://example.com/a.mp3"})).assert_error(
        400,
        "invalid_parameter",
        Some("audio.url"),
    );
    clone_with(json!({"type": "asset_id", "asset_id": "nope"})).assert_error(
        400,
        "invalid_parameter",
        Some("audio.asset_id"),
    );
    clone_with(json!({"type": "base64", "media_type": "audio/mpeg", "data": format!("data:audio/mpeg;base64,{}", mp3_base64())}))
        .assert_error(400, "invalid_parameter", Some("audio.data"));
    let png = base64::engine::general_purpose::STANDARD.encode(crate::png_bytes());
    clone_with(json!({"type": "base64", "media_type": "audio/mpeg", "data": png})).assert_error(
        400,
        "invalid_parameter",
        Some("audio.media_type"),
    );
    // The schema: `voice_name` and `audio` are required.
    emu.call(
        "POST",
        "/v3/voices/clone",
        Some(&json!({"audio": {"type": "url", "url": "https://example.com/a.mp3"}})),
    )
    .assert_error(400, "invalid_parameter", None);
    // An unknown voice is 404 `voice_not_found`.
    emu.call("GET", "/v3/voices/nope", None)
        .assert_error(404, "voice_not_found", None);
}

#[test]
fn speech_limits_and_its_audio_on_the_emulator_origin() {
    let emu = Emu::start();
    let spoken = emu.post(
        "/v3/voices/speech",
        &json!({"voice_id": "emu_voice_female_01", "text": "Hello there world", "speed": 2.0}),
    );
    let data = &spoken["data"];
    assert!(data["duration"].as_f64().unwrap() > 0.0);
    let words: Vec<&str> = data["word_timestamps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["word"].as_str().unwrap())
        .collect();
    assert_eq!(words, ["Hello", "there", "world"]);
    let url = data["audio_url"].as_str().unwrap();
    assert!(url.starts_with(&emu.h.base_url()), "{url}");
    let audio = emu.raw("GET", url, &[], None);
    assert_eq!(audio.status, 200);
    assert_eq!(audio.header("content-type").as_deref(), Some("audio/mpeg"));
    assert!(audio.body.starts_with(b"ID3"));
    // SSML: the words come from the text between the tags.
    let ssml = emu.post(
        "/v3/voices/speech",
        &json!({"voice_id": "emu_voice_female_01", "text": "<speak>Hi <break time=\"1s\"/> you</speak>", "input_type": "ssml"}),
    );
    assert_eq!(ssml["data"]["word_timestamps"].as_array().unwrap().len(), 2);
    // The limits the reference states.
    let speak = |body: Value| emu.call("POST", "/v3/voices/speech", Some(&body));
    speak(json!({"voice_id": "emu_voice_female_01", "text": "x".repeat(5001)})).assert_error(
        400,
        "invalid_parameter",
        Some("text"),
    );
    speak(json!({"voice_id": "emu_voice_female_01", "text": "x".repeat(5000)}));
    speak(json!({"voice_id": "emu_voice_female_01", "text": ""})).assert_error(
        400,
        "invalid_parameter",
        Some("text"),
    );
    speak(json!({"voice_id": "emu_voice_female_01", "text": "hi", "speed": 0.4})).assert_error(
        400,
        "invalid_parameter",
        Some("speed"),
    );
    speak(json!({"voice_id": "emu_voice_female_01", "text": "hi", "speed": 2.1})).assert_error(
        400,
        "invalid_parameter",
        Some("speed"),
    );
    speak(json!({"voice_id": "emu_voice_female_01", "text": "hi", "input_type": "markdown"}))
        .assert_error(400, "invalid_parameter", Some("input_type"));
    // Only starfish voices speak.
    speak(json!({"voice_id": "emu_voice_male_02", "text": "hola"})).assert_error(
        400,
        "invalid_parameter",
        Some("voice_id"),
    );
    speak(json!({"voice_id": "nope", "text": "hi"})).assert_error(
        404,
        "voice_not_found",
        Some("voice_id"),
    );
    speak(json!({"text": "hi"})).assert_error(400, "invalid_parameter", None);
    // An unknown audio file is S3's 404.
    let missing = emu.raw(
        "GET",
        &format!("{}/_files/speech/speech_nope.mp3", emu.h.base_url()),
        &[],
        None,
    );
    assert_eq!(missing.status, 404);
}
