//! Voices: the library (`GET /v3/voices`), one voice (`GET`/`DELETE /v3/voices/{voice_id}`),
//! voice design from a description (`POST /v3/voices`), voice cloning from audio
//! (`POST /v3/voices/clone`) and speech synthesis (`POST /v3/voices/speech`).

use serde::{Deserialize, Serialize};

use crate::asset::AssetInput;
use crate::avatar::null_as_default;
use crate::enums::VoiceEngineType;
use crate::ids::VoiceId;
use crate::macros::{open_enum, option_setters, page_cursor_setters};
use crate::secret::PresignedUrl;
use crate::time::{Seconds, Timestamp};
use crate::validate::{self, Rule, ValidationError};

/// Largest `limit` for `GET /v3/voices`.
pub const MAX_VOICE_PAGE_LIMIT: u32 = 100;
/// Server default `limit` for voices.
pub const DEFAULT_VOICE_PAGE_LIMIT: u32 = 20;
/// Fewest characters `POST /v3/voices/speech` synthesizes.
pub const MIN_SPEECH_TEXT_CHARS: usize = 1;
/// Most characters `POST /v3/voices/speech` synthesizes in one request.
pub const MAX_SPEECH_TEXT_CHARS: usize = 5000;
/// Speech `speed` range of `POST /v3/voices/speech`: 0.5 (half speed) to 2.0 (double speed).
/// (A video's voice settings have a narrower range,
/// [`VOICE_SPEED_RANGE`](validate::VOICE_SPEED_RANGE).)
pub const SPEECH_SPEED_RANGE: (f64, f64) = (0.5, 2.0);
/// Most voices one `POST /v3/voices` answers with.
pub const MAX_DESIGNED_VOICES: usize = 3;

open_enum! {
    /// Whether a voice is one of HeyGen's shared voices or one of yours (a clone).
    pub enum VoiceType {
        /// A voice of HeyGen's shared library.
        Public = "public",
        /// A voice you cloned.
        Private = "private",
    }
}

open_enum! {
    /// Gender of a voice, as a filter or a label.
    pub enum VoiceGender {
        /// Male.
        Male = "male",
        /// Female.
        Female = "female",
    }
}

open_enum! {
    /// State of a voice clone (`GET /v3/voices/{voice_id}`; absent for voices that are not
    /// clones).
    ///
    /// Only `complete` is success. An unknown value is never read as success or failure: a
    /// wait keeps polling until its deadline, whose error names the value.
    pub enum VoiceCloneStatus {
        /// The clone is being trained.
        Processing = "processing",
        /// The clone is ready to use.
        Complete = "complete",
        /// Cloning failed; see `failure_message`.
        Failed = "failed",
    }
}

impl VoiceCloneStatus {
    /// Whether cloning has finished, successfully or not. Unknown values are not terminal.
    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::Complete | Self::Failed)
    }
}

open_enum! {
    /// How `POST /v3/voices/speech` reads its `text`.
    pub enum SpeechInputType {
        /// Plain text (the server's default).
        Text = "text",
        /// SSML markup.
        Ssml = "ssml",
    }
}

/// `GET /v3/voices` query. Unset filters are left out (the server then lists public voices).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct ListVoicesQuery {
    /// Public (HeyGen's library) or private (your clones) voices.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub voice_type: Option<VoiceType>,
    /// Only voices that work with this engine (`starfish` for speech synthesis).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<VoiceEngineType>,
    /// Only voices of this language (a name such as `English`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Only voices of this gender.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<VoiceGender>,
    /// Page size, 1 to [`MAX_VOICE_PAGE_LIMIT`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Cursor from the previous page's `next_token`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

impl ListVoicesQuery {
    /// An empty query (server defaults: public voices, 20 a page).
    pub fn new() -> Self {
        Self::default()
    }

    option_setters! {
        /// Only public or only private voices (`type`).
        voice_type(voice_type: VoiceType);
        /// Only voices that work with `engine`.
        engine(engine: VoiceEngineType);
        /// Only voices of `language`.
        language(language: impl Into<String>) => into;
        /// Only voices of `gender`.
        gender(gender: VoiceGender);
    }

    page_cursor_setters!(with_token);

    /// Query pairs in a fixed order, not yet percent-encoded; unset fields are left out.
    pub fn to_query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(v) = &self.voice_type {
            pairs.push(("type", v.as_str().to_owned()));
        }
        if let Some(v) = &self.engine {
            pairs.push(("engine", v.as_str().to_owned()));
        }
        if let Some(v) = &self.language {
            pairs.push(("language", v.clone()));
        }
        if let Some(v) = &self.gender {
            pairs.push(("gender", v.as_str().to_owned()));
        }
        if let Some(v) = self.limit {
            pairs.push(("limit", v.to_string()));
        }
        if let Some(v) = &self.token {
            pairs.push(("token", v.clone()));
        }
        pairs
    }

    /// Checks the limit.
    ///
    /// # Errors
    /// [`Rule::OutOfRange`] on `limit` (outside 1 to [`MAX_VOICE_PAGE_LIMIT`]).
    pub fn validate(&self) -> Result<(), ValidationError> {
        validate::validate_page_limit(self.limit, MAX_VOICE_PAGE_LIMIT)
    }
}

/// A voice as `GET /v3/voices` and `POST /v3/voices` list it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct Voice {
    /// Voice id: the `voice_id` of speech and video requests.
    pub voice_id: VoiceId,
    /// Display name; empty when the server sends `null` or leaves it out.
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    /// Primary language (a name such as `English`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Gender label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<VoiceGender>,
    /// Whether SSML pause (`<break>`) tags work with this voice; `false` when not sent.
    #[serde(default, deserialize_with = "null_as_default")]
    pub support_pause: bool,
    /// Whether the voice has locale variants; `false` when not sent.
    #[serde(default, deserialize_with = "null_as_default")]
    pub support_locale: bool,
    /// Public or private.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub voice_type: Option<VoiceType>,
    /// A short audio sample; `Debug` hides its query, which may be a signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview_audio_url: Option<PresignedUrl>,
}

/// One voice with its clone state (`GET /v3/voices/{voice_id}`, inside `data`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct VoiceDetails {
    /// Voice id.
    pub voice_id: VoiceId,
    /// Clone state; `None` for voices that are not clones (and when the server sends `null`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<VoiceCloneStatus>,
    /// Whether the voice is a shared one or your clone, when the server says (the documented
    /// reply leaves it out; the listing carries it).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub voice_type: Option<VoiceType>,
    /// Why cloning failed, when `status` is `failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_message: Option<String>,
    /// Display name, once the voice exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Primary language, once the voice exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Gender label, once the voice exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<VoiceGender>,
    /// When the voice was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// A short audio sample of a completed voice; `Debug` hides its query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview_audio_url: Option<PresignedUrl>,
    /// Whether SSML pause (`<break>`) tags work with this voice; `false` when not sent.
    #[serde(default, deserialize_with = "null_as_default")]
    pub support_pause: bool,
    /// Whether the voice works with interactive avatar streaming; `false` when not sent.
    #[serde(default, deserialize_with = "null_as_default")]
    pub support_interactive_avatar: bool,
}

/// `POST /v3/voices` request: voices matching a description, in batches picked by `seed`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct DesignVoiceRequest {
    /// The voice wanted, in plain words (`warm, confident female narrator`).
    pub prompt: String,
    /// Only voices of this gender.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<VoiceGender>,
    /// Only voices of this BCP-47 locale (`en-US`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Which batch of matches: 0 (the server's default) is the best ones, 1 the next, …; the
    /// same prompt and seed give the same voices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u32>,
}

impl DesignVoiceRequest {
    /// Voices matching `prompt`.
    pub fn new(prompt: impl Into<String>) -> Self {
        Self {
            prompt: prompt.into(),
            gender: None,
            locale: None,
            seed: None,
        }
    }

    option_setters! {
        /// Only voices of `gender`.
        gender(gender: VoiceGender);
        /// Only voices of `locale` (BCP-47, `pt-BR`).
        locale(locale: impl Into<String>) => into;
        /// The batch of matches (0 for the best ones).
        seed(seed: u32);
    }

    /// Checks the request. Nothing can be wrong today: the seed's only rule (not negative) is
    /// kept by its type, the gender is one of the two values the reference names unless an
    /// `Unknown` was built by hand, and the reference sets no rule for the prompt or the locale
    /// beyond being strings (an empty prompt is left to the server, as for prompt avatars).
    /// Kept so every request has a `validate`.
    ///
    /// # Errors
    /// None today.
    pub fn validate(&self) -> Result<(), ValidationError> {
        Ok(())
    }
}

/// `POST /v3/voices` response (inside `data`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct DesignedVoices {
    /// Up to [`MAX_DESIGNED_VOICES`] voices, best match first.
    #[serde(default, deserialize_with = "null_as_default")]
    pub voices: Vec<Voice>,
    /// The seed used; the next batch is `seed + 1`.
    #[serde(default, deserialize_with = "crate::num::opt_number")]
    pub seed: Option<u64>,
}

/// `POST /v3/voices/clone` request: a voice cloned from a recording.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct CloneVoiceRequest {
    /// Display name of the new voice.
    pub voice_name: String,
    /// The recording: a URL, an uploaded asset or inline base64.
    pub audio: AssetInput,
    /// Language hint (`en`); detected from the audio when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Whether to clean background noise first; the server's default is `true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remove_background_noise: Option<bool>,
}

impl CloneVoiceRequest {
    /// A voice named `voice_name` cloned from `audio`.
    pub fn new(voice_name: impl Into<String>, audio: AssetInput) -> Self {
        Self {
            voice_name: voice_name.into(),
            audio,
            language: None,
            remove_background_noise: None,
        }
    }

    option_setters! {
        /// Sets the language hint.
        language(language: impl Into<String>) => into;
        /// Whether to clean background noise first.
        remove_background_noise(remove: bool);
    }

    /// Checks the audio input. The name is not checked: the reference sets no rule for it
    /// beyond being a string, so the server decides.
    ///
    /// # Errors
    /// The audio's error under `audio.` (`audio.url`, `audio.data`, …).
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.audio.validate().map_err(|e| e.within("audio"))
    }
}

/// `POST /v3/voices/clone` response (inside `data`): the id to poll with
/// `GET /v3/voices/{voice_id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct VoiceClone {
    /// The new voice's id (HeyGen calls it the voice clone id).
    pub voice_clone_id: VoiceId,
}

/// `POST /v3/voices/speech` request: `text` (plain or SSML) spoken by a voice that supports the
/// `starfish` engine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct SpeechRequest {
    /// What to say, [`MIN_SPEECH_TEXT_CHARS`] to [`MAX_SPEECH_TEXT_CHARS`] characters.
    pub text: String,
    /// The voice; it must support the `starfish` engine.
    pub voice_id: VoiceId,
    /// Plain text or SSML; the server reads plain text when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_type: Option<SpeechInputType>,
    /// Base language code (`en`); detected when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// BCP-47 locale (`en-US`); it implies the language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Speed multiplier within [`SPEECH_SPEED_RANGE`]; 1.0 when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed: Option<f64>,
}

impl SpeechRequest {
    /// Plain `text` spoken by `voice_id`.
    pub fn new(voice_id: VoiceId, text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            voice_id,
            input_type: None,
            language: None,
            locale: None,
            speed: None,
        }
    }

    /// SSML markup spoken by `voice_id` (`input_type` `ssml`).
    pub fn ssml(voice_id: VoiceId, ssml: impl Into<String>) -> Self {
        Self::new(voice_id, ssml).input_type(SpeechInputType::Ssml)
    }

    option_setters! {
        /// How the text is read.
        input_type(input_type: SpeechInputType);
        /// Sets the base language code.
        language(language: impl Into<String>) => into;
        /// Sets the BCP-47 locale.
        locale(locale: impl Into<String>) => into;
        /// Sets the speed multiplier (0.5 to 2.0).
        speed(speed: f64);
    }

    /// Checks the text length (1 to 5000 characters, counted as Unicode scalar values, markup
    /// included for SSML; a text of spaces counts, as the reference states only the length),
    /// the speed range and the voice id.
    ///
    /// # Errors
    /// [`Rule::Empty`] or [`Rule::TooLong`] on `text`, [`Rule::NotFinite`] or
    /// [`Rule::OutOfRangeNumber`] on `speed`, an id rule on `voice_id`.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let chars = self.text.chars().count();
        if chars < MIN_SPEECH_TEXT_CHARS {
            return Err(ValidationError::new("text", Rule::Empty));
        }
        if chars > MAX_SPEECH_TEXT_CHARS {
            return Err(ValidationError::new(
                "text",
                Rule::TooLong {
                    max: MAX_SPEECH_TEXT_CHARS,
                    actual: chars,
                },
            ));
        }
        if let Some(speed) = self.speed {
            validate::validate_range("speed", speed, SPEECH_SPEED_RANGE)?;
        }
        validate::validate_id("voice_id", self.voice_id.as_str())
    }
}

/// One word's place in synthesized audio.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct WordTimestamp {
    /// The word.
    #[serde(default, deserialize_with = "null_as_default")]
    pub word: String,
    /// When it starts, in seconds from the start of the audio.
    pub start: Seconds,
    /// When it ends, in seconds from the start of the audio.
    pub end: Seconds,
}

/// `POST /v3/voices/speech` response (inside `data`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct Speech {
    /// Where to download the audio; `Debug` hides its query, which may be a signature.
    pub audio_url: PresignedUrl,
    /// Length of the audio, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<Seconds>,
    /// HeyGen's id for this synthesis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Word-level timing, when the server gives it (empty otherwise).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_as_default"
    )]
    pub word_timestamps: Vec<WordTimestamp>,
}

/// `DELETE /v3/voices/{voice_id}` response (inside `data`).
///
/// Deleting a voice that is already gone answers 404 `voice_not_found`; a caller that deletes
/// and then lists can take that error as success.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct DeletedVoice {
    /// The deleted voice.
    pub voice_id: VoiceId,
}
