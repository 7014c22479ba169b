//! Voices: a seeded public library, voices found by design (`POST /v3/voices`), clones that
//! train on the emulated clock (`POST /v3/voices/clone`, polled with `GET /v3/voices/{id}`),
//! delete, and speech synthesis whose audio is served on the emulator's own origin
//! (`/_files/speech/{id}.mp3`).
//!
//! A clone whose `voice_name` (or audio URL, or the name of its audio asset) contains
//! [`FAIL_MARKER`] ends `failed`. Designed voices are derived from the prompt and seed alone, so
//! the same prompt and seed always answer the same voices.

use std::collections::HashMap;

use base64::Engine as _;
use serde_json::{Value, json};

use crate::reply::{ApiError, Reply};
use crate::rules;
use crate::state::{BASE_EPOCH, FAIL_MARKER, State};

/// Emulated seconds a voice clone spends in `processing`.
pub(crate) const CLONE_SECS: i64 = 30;
/// Most voices one design answers.
const DESIGN_RESULTS: usize = 3;
/// Fewest and most characters speech synthesizes.
const SPEECH_CHARS: (usize, usize) = (1, 5000);
/// Speech speed range.
const SPEECH_SPEED: (f64, f64) = (0.5, 2.0);

/// One voice of the public library.
struct Seeded {
    id: &'static str,
    name: &'static str,
    language: &'static str,
    gender: &'static str,
    engines: &'static [&'static str],
    support_pause: bool,
    support_locale: bool,
}

/// The public library. The first two are the default voices of the emulator's public looks.
const LIBRARY: [Seeded; 8] = [
    Seeded {
        id: "emu_voice_female_01",
        name: "Ava",
        language: "English",
        gender: "female",
        engines: &["starfish", "elevenlabs"],
        support_pause: true,
        support_locale: true,
    },
    Seeded {
        id: "emu_voice_male_01",
        name: "Ben",
        language: "English",
        gender: "male",
        engines: &["starfish", "elevenlabs"],
        support_pause: true,
        support_locale: true,
    },
    Seeded {
        id: "emu_voice_female_02",
        name: "Carmen",
        language: "Spanish",
        gender: "female",
        engines: &["starfish"],
        support_pause: true,
        support_locale: false,
    },
    Seeded {
        id: "emu_voice_male_02",
        name: "Diego",
        language: "Spanish",
        gender: "male",
        engines: &["fish"],
        support_pause: false,
        support_locale: false,
    },
    Seeded {
        id: "emu_voice_female_03",
        name: "Elise",
        language: "French",
        gender: "female",
        engines: &["elevenlabs"],
        support_pause: true,
        support_locale: false,
    },
    Seeded {
        id: "emu_voice_male_03",
        name: "Felipe",
        language: "Portuguese",
        gender: "male",
        engines: &["starfish", "fish"],
        support_pause: true,
        support_locale: true,
    },
    Seeded {
        id: "emu_voice_female_04",
        name: "Greta",
        language: "German",
        gender: "female",
        engines: &["starfish"],
        support_pause: false,
        support_locale: false,
    },
    Seeded {
        id: "emu_voice_male_04",
        name: "Hiro",
        language: "Japanese",
        gender: "male",
        engines: &["elevenlabs"],
        support_pause: true,
        support_locale: false,
    },
];

/// Names of designed voices, picked by the design's hash.
const DESIGN_NAMES: [&str; 8] = [
    "Aurora", "Bram", "Celeste", "Dorian", "Esme", "Flint", "Gaia", "Holt",
];

/// A clone's training.
#[derive(Debug, Clone)]
struct Training {
    until: i64,
    fail: bool,
}

/// One voice.
#[derive(Debug, Clone)]
struct Voice {
    id: String,
    seq: u64,
    name: String,
    language: String,
    gender: Option<String>,
    public: bool,
    engines: Vec<&'static str>,
    support_pause: bool,
    support_locale: bool,
    created_at: i64,
    clone: Option<Training>,
}

/// A finished synthesis: the bytes served at its URL are derived from these.
#[derive(Debug, Clone)]
struct Synthesis {
    bytes: usize,
}

/// Every voice of the account and the synthesized audio files.
#[derive(Debug, Clone)]
pub(crate) struct Voices {
    by_id: HashMap<String, Voice>,
    speech: HashMap<String, Synthesis>,
    next_seq: u64,
}

impl Voices {
    /// The public library, the same for every seed.
    pub(crate) fn seeded() -> Self {
        let mut this = Self {
            by_id: HashMap::new(),
            speech: HashMap::new(),
            next_seq: 0,
        };
        let created_at = BASE_EPOCH - 86_400 * 60;
        for seeded in LIBRARY {
            let seq = this.seq();
            this.by_id.insert(
                seeded.id.to_owned(),
                Voice {
                    id: seeded.id.to_owned(),
                    seq,
                    name: seeded.name.to_owned(),
                    language: seeded.language.to_owned(),
                    gender: Some(seeded.gender.to_owned()),
                    public: true,
                    engines: seeded.engines.to_vec(),
                    support_pause: seeded.support_pause,
                    support_locale: seeded.support_locale,
                    created_at,
                    clone: None,
                },
            );
        }
        this
    }

    fn seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }
}

/// The state of a voice now: `None` for a voice that is not a clone.
fn clone_status(v: &Voice, now: i64) -> Option<&'static str> {
    let t = v.clone.as_ref()?;
    Some(if now < t.until {
        "processing"
    } else if t.fail {
        "failed"
    } else {
        "complete"
    })
}

/// Whether a voice can be used and listed: public, or a completed clone.
fn is_ready(v: &Voice, now: i64) -> bool {
    matches!(clone_status(v, now), None | Some("complete"))
}

fn preview_url(base: &str, id: &str) -> String {
    format!("{base}/_files/speech/preview_{id}.mp3")
}

fn list_json(v: &Voice, base: &str) -> Value {
    json!({
        "voice_id": v.id,
        "name": v.name,
        "language": v.language,
        "gender": v.gender.clone().unwrap_or_else(|| "unknown".to_owned()),
        "support_pause": v.support_pause,
        "support_locale": v.support_locale,
        "type": if v.public { "public" } else { "private" },
        "preview_audio_url": preview_url(base, &v.id),
    })
}

fn details_json(v: &Voice, base: &str, now: i64) -> Value {
    let status = clone_status(v, now);
    let exists = matches!(status, None | Some("complete"));
    let shown = |value: Value| if exists { value } else { Value::Null };
    json!({
        "voice_id": v.id,
        "status": status,
        "failure_message": if status == Some("failed") {
            Value::from("The emulator failed this voice clone on purpose (name marker)")
        } else {
            Value::Null
        },
        "name": shown(Value::from(v.name.clone())),
        "language": shown(Value::from(v.language.clone())),
        "gender": shown(v.gender.clone().map_or(Value::Null, Value::from)),
        "created_at": v.created_at,
        "preview_audio_url": shown(Value::from(preview_url(base, &v.id))),
        "support_pause": v.support_pause,
        "support_interactive_avatar": v.public,
    })
}

fn voice_not_found(id: &str) -> ApiError {
    ApiError::new(404, "voice_not_found", format!("voice `{id}` not found"))
}

fn ok(data: Value) -> Reply {
    let mut body = serde_json::Map::new();
    body.insert("data".to_owned(), data);
    Reply::json(200, Value::Object(body))
}

fn has_fail_marker(s: &str) -> bool {
    s.to_ascii_lowercase().contains(FAIL_MARKER)
}

/// FNV-1a over the parts, for the deterministic choices of design and speech.
fn hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// Handles the six voice endpoints; `None` for any other route.
pub(crate) fn handle(
    st: &mut State,
    method: &str,
    template: &str,
    params: &[String],
    q: &HashMap<String, String>,
    body: &Value,
) -> Option<Result<Reply, ApiError>> {
    let p0 = params.first().map_or("", String::as_str);
    Some(match (method, template) {
        ("GET", "/v3/voices") => list(st, q),
        ("GET", "/v3/voices/{voice_id}") => {
            let now = st.now();
            st.voices
                .by_id
                .get(p0)
                .map(|v| ok(details_json(v, &st.base_url, now)))
                .ok_or_else(|| voice_not_found(p0))
        }
        ("DELETE", "/v3/voices/{voice_id}") => delete(st, p0),
        ("POST", "/v3/voices") => design(st, body),
        ("POST", "/v3/voices/clone") => clone(st, body),
        ("POST", "/v3/voices/speech") => speech(st, body),
        _ => return None,
    })
}

fn list(st: &State, q: &HashMap<String, String>) -> Result<Reply, ApiError> {
    let now = st.now();
    let private = q.get("type").map(String::as_str) == Some("private");
    let engine = q.get("engine").filter(|e| !e.is_empty());
    let language = q.get("language").filter(|l| !l.is_empty());
    let gender = q.get("gender").filter(|g| !g.is_empty());
    let items = st
        .voices
        .by_id
        .values()
        .filter(|v| v.public != private && is_ready(v, now))
        .filter(|v| engine.is_none_or(|e| v.engines.iter().any(|x| x.eq_ignore_ascii_case(e))))
        .filter(|v| language.is_none_or(|l| v.language.eq_ignore_ascii_case(l)))
        .filter(|v| {
            gender.is_none_or(|g| {
                v.gender
                    .as_deref()
                    .is_some_and(|x| x.eq_ignore_ascii_case(g))
            })
        })
        // Oldest first: the library keeps its order from page to page.
        .map(|v| (u64::MAX - v.seq, list_json(v, &st.base_url)))
        .collect();
    Ok(Reply::json(200, crate::api::page("voices", items, q)?))
}

fn delete(st: &mut State, id: &str) -> Result<Reply, ApiError> {
    let v = st.voices.by_id.get(id).ok_or_else(|| voice_not_found(id))?;
    if v.public {
        return Err(ApiError::new(
            403,
            "forbidden",
            format!("voice `{id}` is a public voice; only your own voice clones can be deleted"),
        ));
    }
    st.voices.by_id.remove(id);
    Ok(ok(json!({ "voice_id": id })))
}

fn design(st: &mut State, body: &Value) -> Result<Reply, ApiError> {
    let prompt = body["prompt"].as_str().unwrap_or_default().trim();
    let seed = body.get("seed").and_then(Value::as_i64).unwrap_or(0);
    if seed < 0 {
        return Err(ApiError::invalid("seed", "`seed` must be 0 or more"));
    }
    let gender = body.get("gender").and_then(Value::as_str);
    if let Some(g) = gender
        && !matches!(g, "male" | "female")
    {
        return Err(ApiError::invalid(
            "gender",
            "`gender` must be `male` or `female`",
        ));
    }
    let locale = body.get("locale").and_then(Value::as_str);
    let language = match locale.and_then(|l| l.split(['-', '_']).next()) {
        Some("es") => "Spanish",
        Some("pt") => "Portuguese",
        Some("fr") => "French",
        Some("de") => "German",
        Some("ja") => "Japanese",
        _ => "English",
    };
    let seed_text = seed.to_string();
    let key = prompt.to_lowercase();
    let created_at = st.now();
    let mut voices = Vec::new();
    for rank in 0..DESIGN_RESULTS {
        let rank_text = rank.to_string();
        let h = hash(&[
            &key,
            &seed_text,
            gender.unwrap_or(""),
            locale.unwrap_or(""),
            &rank_text,
        ]);
        let id = format!("design_{h:016x}");
        let gender = gender.map_or(if h & 1 == 0 { "female" } else { "male" }, |g| g);
        let name = DESIGN_NAMES[usize::try_from(h % 8).unwrap_or(0)];
        if !st.voices.by_id.contains_key(&id) {
            let seq = st.voices.seq();
            st.voices.by_id.insert(
                id.clone(),
                Voice {
                    id: id.clone(),
                    seq,
                    name: if prompt.is_empty() {
                        name.to_owned()
                    } else {
                        format!("{name} ({prompt})").chars().take(80).collect()
                    },
                    language: language.to_owned(),
                    gender: Some(gender.to_owned()),
                    public: true,
                    engines: vec!["starfish"],
                    support_pause: true,
                    support_locale: locale.is_some(),
                    created_at,
                    clone: None,
                },
            );
        }
        if let Some(v) = st.voices.by_id.get(&id) {
            voices.push(list_json(v, &st.base_url));
        }
    }
    Ok(ok(json!({ "voices": voices, "seed": seed })))
}

/// Checks the clone's audio input like any asset input; returns text that may carry the fail
/// marker (its URL, or its asset's name).
fn check_audio(st: &State, audio: &Value) -> Result<String, ApiError> {
    let kind = audio
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let audio_media = |m: &str| m.starts_with("audio/") || m.starts_with("video/");
    match kind {
        "url" => {
            let url = audio["url"].as_str().unwrap_or_default();
            if !rules::is_https_url(url) {
                return Err(ApiError::invalid(
                    "audio.url",
                    "asset URLs must be absolute public https:// URLs",
                ));
            }
            Ok(url.to_owned())
        }
        "asset_id" => {
            let id = audio["asset_id"].as_str().unwrap_or_default();
            let a = st.assets.get(id).ok_or_else(|| {
                ApiError::invalid("audio.asset_id", format!("asset `{id}` does not exist"))
            })?;
            if !a.is_complete() {
                return Err(ApiError::new(
                    400,
                    "asset_not_available",
                    format!("asset `{id}` is not complete yet: finish the upload first"),
                )
                .param("audio.asset_id"));
            }
            if !audio_media(&a.mime) {
                return Err(ApiError::invalid(
                    "audio.asset_id",
                    format!("asset `{id}` is {} but a voice clone needs audio", a.mime),
                ));
            }
            Ok(a.name.clone())
        }
        "base64" => {
            let data = audio["data"].as_str().unwrap_or_default();
            let media = audio["media_type"].as_str().unwrap_or_default();
            if data.trim_start().to_ascii_lowercase().starts_with("data:") {
                return Err(ApiError::invalid(
                    "audio.data",
                    "send raw base64 without a data: URI prefix; put the MIME type in media_type",
                ));
            }
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(data)
                .map_err(|_| {
                    ApiError::invalid(
                        "audio.data",
                        "data is not valid standard base64 (with padding)",
                    )
                })?;
            if bytes.is_empty() {
                return Err(ApiError::invalid("audio.data", "base64 data is empty"));
            }
            let declared = rules::canonical_mime(media);
            if let Some(real) = rules::sniff(&bytes)
                && !rules::same_media(real, &declared)
            {
                return Err(ApiError::invalid(
                    "audio.media_type",
                    format!("data is {real} but media_type says {media}"),
                ));
            }
            if !audio_media(&declared) {
                return Err(ApiError::invalid(
                    "audio.media_type",
                    "a voice clone needs audio",
                ));
            }
            Ok(String::new())
        }
        other => Err(ApiError::invalid(
            "audio.type",
            format!("`audio.type` must be url, asset_id or base64, not `{other}`"),
        )),
    }
}

fn clone(st: &mut State, body: &Value) -> Result<Reply, ApiError> {
    let name = body["voice_name"].as_str().unwrap_or_default().to_owned();
    let marked = check_audio(st, &body["audio"])?;
    let language = match body.get("language").and_then(Value::as_str) {
        Some("es") => "Spanish",
        Some("pt") => "Portuguese",
        Some("fr") => "French",
        Some("de") => "German",
        Some("ja") => "Japanese",
        _ => "English",
    };
    let now = st.now();
    let id = st.new_id();
    let seq = st.voices.seq();
    st.voices.by_id.insert(
        id.clone(),
        Voice {
            id: id.clone(),
            seq,
            name: name.clone(),
            language: language.to_owned(),
            gender: None,
            public: false,
            engines: vec!["starfish"],
            support_pause: true,
            support_locale: false,
            created_at: now,
            clone: Some(Training {
                until: now + CLONE_SECS,
                fail: has_fail_marker(&name) || has_fail_marker(&marked),
            }),
        },
    );
    Ok(ok(json!({ "voice_clone_id": id })))
}

#[allow(
    clippy::cast_precision_loss,
    reason = "texts have at most 5000 characters"
)]
fn speech(st: &mut State, body: &Value) -> Result<Reply, ApiError> {
    let text = body["text"].as_str().unwrap_or_default();
    let chars = text.chars().count();
    if chars < SPEECH_CHARS.0 {
        return Err(ApiError::invalid("text", "`text` must not be empty"));
    }
    if chars > SPEECH_CHARS.1 {
        return Err(ApiError::invalid(
            "text",
            format!(
                "`text` has {chars} characters; the limit is {}",
                SPEECH_CHARS.1
            ),
        ));
    }
    let speed = body.get("speed").and_then(Value::as_f64).unwrap_or(1.0);
    if !(SPEECH_SPEED.0..=SPEECH_SPEED.1).contains(&speed) {
        return Err(ApiError::invalid(
            "speed",
            format!("`speed` is {speed}; use 0.5 to 2.0"),
        ));
    }
    let ssml = match body.get("input_type").and_then(Value::as_str) {
        None | Some("text") => false,
        Some("ssml") => true,
        Some(other) => {
            return Err(ApiError::invalid(
                "input_type",
                format!("`input_type` must be `text` or `ssml`, not `{other}`"),
            ));
        }
    };
    let voice_id = body["voice_id"].as_str().unwrap_or_default();
    let now = st.now();
    let v = st
        .voices
        .by_id
        .get(voice_id)
        .ok_or_else(|| voice_not_found(voice_id).param("voice_id"))?;
    if !is_ready(v, now) {
        return Err(ApiError::invalid(
            "voice_id",
            format!("voice `{voice_id}` is not ready: wait for the clone to complete"),
        ));
    }
    if !v.engines.contains(&"starfish") {
        return Err(ApiError::invalid(
            "voice_id",
            format!(
                "voice `{voice_id}` does not support the starfish engine; list voices with engine=starfish"
            ),
        ));
    }
    let spoken = if ssml {
        strip_tags(text)
    } else {
        text.to_owned()
    };
    let mut word_timestamps = Vec::new();
    let mut at = 0.0_f64;
    for word in spoken.split_whitespace() {
        let len = (word.chars().count() as f64 * 0.06 + 0.1) / speed;
        word_timestamps.push(json!({
            "word": word,
            "start": round3(at),
            "end": round3(at + len),
        }));
        at += len + 0.05 / speed;
    }
    let duration = round3(at.max(0.2));
    let nth = st.voices.seq().to_string();
    let request_id = format!(
        "speech_{:016x}",
        hash(&[voice_id, text, &speed.to_string(), &nth])
    );
    st.voices.speech.insert(
        request_id.clone(),
        Synthesis {
            bytes: 1024 + chars * 16,
        },
    );
    Ok(ok(json!({
        "audio_url": format!("{}/_files/speech/{request_id}.mp3", st.base_url),
        "duration": duration,
        "request_id": request_id,
        "word_timestamps": word_timestamps,
    })))
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn strip_tags(ssml: &str) -> String {
    let mut out = String::with_capacity(ssml.len());
    let mut in_tag = false;
    for c in ssml.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// `GET /_files/speech/{name}.mp3`: the audio of a synthesis or a voice preview (an ID3 header
/// and silence), or S3's 404.
pub(crate) fn file(st: &State, path: &str) -> Reply {
    let name = path
        .trim_start_matches("/_files/speech/")
        .trim_end_matches(".mp3");
    let len = if let Some(id) = name.strip_prefix("preview_") {
        st.voices.by_id.get(id).map(|_| 4096)
    } else {
        st.voices.speech.get(name).map(|s| s.bytes)
    };
    let Some(len) = len else {
        return Reply::raw(
            404,
            "application/xml",
            "<Error><Code>NoSuchKey</Code></Error>",
        );
    };
    let mut bytes = vec![0u8; len.max(16)];
    bytes[..10].copy_from_slice(b"ID3\x04\x00\x00\x00\x00\x00\x00");
    let tag = name.as_bytes();
    let end = (10 + tag.len()).min(bytes.len());
    bytes[10..end].copy_from_slice(&tag[..end - 10]);
    Reply::raw(200, "audio/mpeg", bytes)
}
