//! The voice flow on the emulator through the blocking client: design, every page of the
//! library, a clone from a local MP3 (inline and uploaded) and its wait, speech, delete, and a
//! clone that fails.

use std::path::PathBuf;
use std::time::Duration;

use heygen_blocking::Client;
use heygen_blocking::UploadMethod;
use heygen_core::{Config, Error, PollPolicy};
use heygen_emulator::{Emulator, EmulatorHandle, EmulatorOptions};
use heygen_model::{
    DesignVoiceRequest, ListVoicesQuery, SpeechRequest, VoiceCloneStatus, VoiceEngineType,
    VoiceGender, VoiceType,
};

/// An emulator whose clock runs 200 times faster than real time: a clone (30 emulated seconds)
/// trains in about 150 ms.
fn start() -> (EmulatorHandle, Client) {
    let emu = Emulator::start(EmulatorOptions::default().speed(200.0)).unwrap();
    let config = Config::builder()
        .base_url(emu.base_url())
        .api_key(emu.api_key())
        .build()
        .unwrap();
    (emu, Client::new(config).unwrap())
}

fn policy() -> PollPolicy {
    PollPolicy::new()
        .initial_interval(Duration::from_millis(20))
        .max_interval(Duration::from_millis(50))
        .deadline(Duration::from_secs(20))
}

/// A small MP3 (an ID3 header and silence) in a fresh directory.
fn mp3(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "heygen-blocking-voices-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("me.mp3");
    let mut bytes = b"ID3\x04\x00\x00\x00\x00\x00\x00".to_vec();
    bytes.resize(3000, 0);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn design_list_clone_from_a_file_wait_speak_and_delete() {
    let (emu, client) = start();
    let voices = client.voices();

    let designed = voices
        .design(DesignVoiceRequest::new("calm narrator").gender(VoiceGender::Male))
        .unwrap();
    assert_eq!(designed.voices.len(), 3);
    assert!(
        designed
            .voices
            .iter()
            .all(|v| v.gender == Some(VoiceGender::Male))
    );

    // Every page, two at a time, gives what one large page gives.
    let query = ListVoicesQuery::new().engine(VoiceEngineType::Starfish);
    let walked: Vec<_> = voices
        .list_all(query.clone().limit(2))
        .map(|v| v.unwrap().voice_id)
        .collect();
    let one_page: Vec<_> = voices
        .list(query.limit(100))
        .unwrap()
        .data
        .into_iter()
        .map(|v| v.voice_id)
        .collect();
    assert_eq!(walked, one_page);
    assert!(walked.contains(&designed.voices[0].voice_id));
    let pages = emu
        .requests()
        .iter()
        .filter(|r| r.path == "/v3/voices" && r.method == "GET")
        .count();
    assert_eq!(pages, walked.len().div_ceil(2) + 1);

    // Clone from a local MP3: small, so it goes inline as base64.
    let path = mp3("flow");
    let cloned = voices.clone_voice_from_file("My voice", &path).unwrap();
    assert_eq!(cloned.method, UploadMethod::Inline);
    assert_eq!(cloned.asset_id, None);
    let id = cloned.output.voice_clone_id;
    // A shared voice has no clone status: usable at the first read, no polling.
    let shared = &designed.voices[0].voice_id;
    let reads = |emu: &EmulatorHandle| {
        emu.requests()
            .iter()
            .filter(|r| r.path == format!("/v3/voices/{shared}"))
            .count()
    };
    let before = reads(&emu);
    let voice = client.wait_for_voice_with(shared, &policy()).unwrap();
    assert_eq!((voice.status, reads(&emu) - before), (None, 1));
    let voice = client.wait_for_voice_with(&id, &policy()).unwrap();
    assert_eq!(voice.status, Some(VoiceCloneStatus::Complete));
    assert_eq!(voice.name.as_deref(), Some("My voice"));
    let private = voices
        .list(ListVoicesQuery::new().voice_type(VoiceType::Private))
        .unwrap();
    assert_eq!(private.data.len(), 1);
    assert_eq!(private.data[0].voice_id, id);

    let speech = voices
        .speech(SpeechRequest::new(id.clone(), "Hello from my own voice").speed(1.5))
        .unwrap();
    assert!(speech.audio_url.as_str().starts_with(&emu.base_url()));
    assert!(speech.duration.unwrap().as_f64() > 0.0);
    assert_eq!(speech.word_timestamps.len(), 5);

    assert_eq!(voices.delete(&id).unwrap().voice_id, id);
    let again = voices.delete(&id).unwrap_err();
    assert_eq!(again.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(again.api_code(), Some("voice_not_found"));
}

#[test]
fn a_larger_recording_is_uploaded_first_and_sent_by_asset_id() {
    let (emu, client) = start();
    let client = client.with_inline_threshold(100);
    let cloned = client
        .voices()
        .clone_voice_from_file("Uploaded voice", mp3("upload"))
        .unwrap();
    assert_eq!(cloned.method, UploadMethod::Multipart);
    assert!(cloned.asset_id.is_some());
    let paths: Vec<String> = emu
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(paths, ["POST /v3/assets", "POST /v3/voices/clone"]);
    let voice = client
        .wait_for_voice_with(&cloned.output.voice_clone_id, &policy())
        .unwrap();
    assert_eq!(voice.status, Some(VoiceCloneStatus::Complete));
}

#[test]
fn a_failed_clone_ends_the_wait_with_job_failed() {
    let (_emu, client) = start();
    let cloned = client
        .voices()
        .clone_voice_from_file("Broken [fail]", mp3("fail"))
        .unwrap();
    let error = client
        .wait_for_voice_with(&cloned.output.voice_clone_id, &policy())
        .unwrap_err();
    let Error::JobFailed(failed) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(failed.resource, "voice");
    assert_eq!(failed.id, cloned.output.voice_clone_id.as_str());
    assert!(failed.message.as_deref().is_some_and(|m| !m.is_empty()));
}
