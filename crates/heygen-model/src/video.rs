//! Videos: `POST /v3/videos` (the `avatar`, `image`, `cinematic_avatar` and `studio`
//! variants), `GET /v3/videos/{video_id}`, `GET /v3/videos`, `DELETE /v3/videos/{video_id}`,
//! batches (`POST /v3/videos/batches`; the read model is in [`crate::batch`]) and
//! `GET /v3/videos/statuses`.
//!
//! Each request's `validate()` checks the cross-field rules HeyGen documents (which fields go
//! together, which exclude each other) and names the offending field as a JSON path, such as
//! `scenes[1].input.voice_id`.
//!
//! The request types refuse a field they do not have when read from JSON (a request file), so a
//! misspelt or misplaced field is an error naming it rather than dropped; the response types
//! accept any extra field.

use serde::{Deserialize, Serialize};

use crate::asset::AssetInput;
use crate::batch;
use crate::enums::{
    AspectRatio, BackgroundType, BatchStatus, CaptionFormat, CaptionStyle, Expressiveness, Fit,
    OutputFormat, Resolution, VideoEngine, VideoLookupStatus, VideoStatus, VoiceEngineType,
    VoiceModel, WatermarkPosition,
};
use crate::error::ResourceError;
use crate::ids::{AssetId, BatchId, FolderId, LookId, VideoId, VoiceId};
use crate::macros::{option_setters, page_cursor_setters, request_union};
use crate::secret::PresignedUrl;
use crate::time::{Seconds, Timestamp};
use crate::validate::{self, Rule, ValidationError};

request_union! {
    /// `POST /v3/videos` request, a union on `type`.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
    #[serde(tag = "type", rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum CreateVideoRequest {
        /// A talking look (`"type":"avatar"`).
        Avatar(CreateAvatarVideo),
        /// A talking photo from an image (`"type":"image"`).
        Image(CreateImageVideo),
        /// A video generated from a prompt and one to three looks (`"type":"cinematic_avatar"`).
        CinematicAvatar(CreateCinematicVideo),
        /// A video composed of scenes (`"type":"studio"`).
        Studio(CreateStudioVideo),
    }
}

/// Voice tuning for the script.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
#[serde(deny_unknown_fields)]
pub struct VoiceSettings {
    /// Locale such as `en-US`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Pitch shift in semitones, -50 to 50 (server default 0).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::num::finite"
    )]
    pub pitch: Option<f64>,
    /// Speaking rate multiplier, 0.5 to 1.5 (server default 1).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::num::finite"
    )]
    pub speed: Option<f64>,
    /// Volume, 0 (silent) to 1 (full; the server default).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::num::finite"
    )]
    pub volume: Option<f64>,
    /// Provider-specific tuning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine_settings: Option<VoiceEngineSettings>,
}

/// Provider-specific voice tuning, keyed by `engine_type`. Set only the fields that provider
/// takes: ElevenLabs uses `model`, `stability`, `similarity_boost`, `style`,
/// `use_speaker_boost`; Fish uses `model`, `stability`, `similarity`; Starfish takes none.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
#[serde(deny_unknown_fields)]
pub struct VoiceEngineSettings {
    /// The provider.
    pub engine_type: VoiceEngineType,
    /// Provider model, such as `eleven_multilingual_v2` or `s1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<VoiceModel>,
    /// Voice stability.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::num::finite"
    )]
    pub stability: Option<f64>,
    /// ElevenLabs: similarity boost.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::num::finite"
    )]
    pub similarity_boost: Option<f64>,
    /// ElevenLabs: style exaggeration.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::num::finite"
    )]
    pub style: Option<f64>,
    /// ElevenLabs: speaker boost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_speaker_boost: Option<bool>,
    /// Fish: similarity.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::num::finite"
    )]
    pub similarity: Option<f64>,
}

impl VoiceEngineSettings {
    /// Settings for the given provider with nothing else set.
    pub fn new(engine_type: VoiceEngineType) -> Self {
        Self {
            engine_type,
            model: None,
            stability: None,
            similarity_boost: None,
            style: None,
            use_speaker_boost: None,
            similarity: None,
        }
    }

    option_setters! {
        /// Sets the model.
        model(model: impl Into<VoiceModel>) => into;
        /// Sets the stability.
        stability(stability: f64);
        /// Sets the ElevenLabs similarity boost.
        similarity_boost(value: f64);
        /// Sets the ElevenLabs style.
        style(value: f64);
        /// Sets the ElevenLabs speaker boost.
        use_speaker_boost(value: bool);
        /// Sets the Fish similarity.
        similarity(value: f64);
    }

    /// Checks that every tuning value is a finite number (the reference gives them no range),
    /// and, for a known provider, that only that provider's fields and models are set:
    /// ElevenLabs takes `model` (an `eleven_*` model), `stability`, `similarity_boost`, `style`
    /// and `use_speaker_boost`; Fish takes `model` (`s1`, `s2-pro`), `stability` and
    /// `similarity`; Starfish takes none. An unknown provider is not checked.
    ///
    /// # Errors
    /// [`Rule::NotAllowed`] naming a field the provider does not take, or [`Rule::NotFinite`]
    /// on the first non-finite value.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let (when, allowed): (&'static str, &[&str]) = match self.engine_type {
            VoiceEngineType::Elevenlabs => (
                "`engine_type` is `elevenlabs`",
                &[
                    "model",
                    "stability",
                    "similarity_boost",
                    "style",
                    "use_speaker_boost",
                ],
            ),
            VoiceEngineType::Fish => (
                "`engine_type` is `fish`",
                &["model", "stability", "similarity"],
            ),
            VoiceEngineType::Starfish => ("`engine_type` is `starfish`", &[]),
            VoiceEngineType::Unknown(_) => ("", &["*"]),
        };
        if allowed != ["*"] {
            let set = [
                ("model", self.model.is_some()),
                ("stability", self.stability.is_some()),
                ("similarity_boost", self.similarity_boost.is_some()),
                ("style", self.style.is_some()),
                ("use_speaker_boost", self.use_speaker_boost.is_some()),
                ("similarity", self.similarity.is_some()),
            ];
            for (field, is_set) in set {
                if is_set && !allowed.contains(&field) {
                    return Err(ValidationError::new(field, Rule::NotAllowed { when }));
                }
            }
            if let Some(engine) = self.model.as_ref().and_then(VoiceModel::engine)
                && engine != self.engine_type
            {
                return Err(ValidationError::new("model", Rule::NotAllowed { when }));
            }
        }
        let values = [
            ("stability", self.stability),
            ("similarity_boost", self.similarity_boost),
            ("style", self.style),
            ("similarity", self.similarity),
        ];
        for (field, value) in values {
            if let Some(value) = value {
                validate::validate_finite(field, value)?;
            }
        }
        Ok(())
    }
}

/// Subtitles to burn in or deliver.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
#[serde(deny_unknown_fields)]
pub struct Caption {
    /// File format (server default `srt`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_format: Option<CaptionFormat>,
    /// Style.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<CaptionStyle>,
}

impl Caption {
    /// Captions with server defaults.
    pub fn new() -> Self {
        Self::default()
    }
}

/// An image overlaid on the video.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
#[serde(deny_unknown_fields)]
pub struct Watermark {
    /// The image.
    pub image: AssetInput,
    /// Opacity from 0 (transparent) to 1 (opaque; the server default).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::num::finite"
    )]
    pub opacity: Option<f64>,
    /// Scale factor, 1 for the image's own size (the server default).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::num::finite"
    )]
    pub scale: Option<f64>,
    /// Where to put it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placement: Option<WatermarkPlacement>,
}

impl Watermark {
    /// A watermark from `image` with default placement.
    pub fn new(image: AssetInput) -> Self {
        Self {
            image,
            opacity: None,
            scale: None,
            placement: None,
        }
    }

    /// Checks the image, the opacity (0 to 1), and that the scale and offsets are finite
    /// numbers (the reference gives them no range).
    ///
    /// # Errors
    /// The first [`ValidationError`] found, its field relative to the watermark (`opacity`,
    /// `placement.offset_x`, …).
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.image.validate().map_err(|e| e.within("image"))?;
        if let Some(opacity) = self.opacity {
            validate::validate_range("opacity", opacity, validate::WATERMARK_OPACITY_RANGE)?;
        }
        if let Some(scale) = self.scale {
            validate::validate_finite("scale", scale)?;
        }
        if let Some(placement) = &self.placement {
            if let Some(x) = placement.offset_x {
                validate::validate_finite("placement.offset_x", x)?;
            }
            if let Some(y) = placement.offset_y {
                validate::validate_finite("placement.offset_y", y)?;
            }
        }
        Ok(())
    }
}

/// Placement of a watermark.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
#[serde(deny_unknown_fields)]
pub struct WatermarkPlacement {
    /// Anchor corner (server default bottom right).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<WatermarkPosition>,
    /// Horizontal offset from the anchor.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::num::finite"
    )]
    pub offset_x: Option<f64>,
    /// Vertical offset from the anchor.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::num::finite"
    )]
    pub offset_y: Option<f64>,
}

impl VoiceSettings {
    /// Empty settings (server defaults).
    pub fn new() -> Self {
        Self::default()
    }

    option_setters! {
        /// Sets the locale.
        locale(locale: impl Into<String>) => into;
        /// Sets the pitch.
        pitch(pitch: f64);
        /// Sets the speed.
        speed(speed: f64);
        /// Sets the volume.
        volume(volume: f64);
        /// Sets provider-specific tuning.
        engine_settings(settings: VoiceEngineSettings);
    }

    /// Checks the numbers against the reference's ranges: `speed` 0.5 to 1.5, `pitch` -50 to
    /// 50, `volume` 0 to 1; the provider's tuning values must be finite.
    ///
    /// # Errors
    /// The first [`ValidationError`] found, its field relative to the settings (`speed`,
    /// `engine_settings.stability`, …).
    pub fn validate(&self) -> Result<(), ValidationError> {
        if let Some(speed) = self.speed {
            validate::validate_range("speed", speed, validate::VOICE_SPEED_RANGE)?;
        }
        if let Some(pitch) = self.pitch {
            validate::validate_range("pitch", pitch, validate::VOICE_PITCH_RANGE)?;
        }
        if let Some(volume) = self.volume {
            validate::validate_range("volume", volume, validate::VOICE_VOLUME_RANGE)?;
        }
        if let Some(engine) = &self.engine_settings {
            engine.validate().map_err(|e| e.within("engine_settings"))?;
        }
        Ok(())
    }
}

/// A video background: a color or an image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
#[serde(deny_unknown_fields)]
pub struct Background {
    /// Color or image.
    #[serde(rename = "type")]
    pub kind: BackgroundType,
    /// The color, such as `#FFFFFF`, for color backgrounds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Image URL, for image backgrounds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Uploaded image, for image backgrounds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset_id: Option<AssetId>,
}

impl Background {
    /// A solid color, such as `#00FF00`.
    pub fn color(value: impl Into<String>) -> Self {
        Self {
            kind: BackgroundType::Color,
            value: Some(value.into()),
            url: None,
            asset_id: None,
        }
    }

    /// An image downloaded from an `http(s)` URL.
    pub fn image_url(url: impl Into<String>) -> Self {
        Self {
            kind: BackgroundType::Image,
            value: None,
            url: Some(url.into()),
            asset_id: None,
        }
    }

    /// An uploaded image.
    pub fn image_asset(asset_id: AssetId) -> Self {
        Self {
            kind: BackgroundType::Image,
            value: None,
            url: None,
            asset_id: Some(asset_id),
        }
    }

    /// Checks the rules of the chosen kind: a color needs `value`; an image takes exactly one
    /// of `url` and `asset_id`.
    ///
    /// # Errors
    /// The first [`ValidationError`] found, its field relative to the background (`value`,
    /// `url`, …).
    pub fn validate(&self) -> Result<(), ValidationError> {
        match self.kind {
            BackgroundType::Color => {
                if self.value.is_none() {
                    return Err(ValidationError::new(
                        "value",
                        Rule::Required {
                            when: "`type` is `color`",
                        },
                    ));
                }
            }
            BackgroundType::Image => match (&self.url, &self.asset_id) {
                (Some(_), Some(_)) => {
                    return Err(ValidationError::new(
                        "url",
                        Rule::Conflict { other: "asset_id" },
                    ));
                }
                (None, None) => {
                    return Err(ValidationError::new(
                        "url",
                        Rule::Missing {
                            one_of: "`url` or `asset_id`",
                        },
                    ));
                }
                _ => {}
            },
            BackgroundType::Unknown(_) => {}
        }
        if let Some(url) = &self.url {
            validate::validate_http_url("url", url)?;
        }
        if let Some(asset) = &self.asset_id {
            validate::validate_id("asset_id", asset.as_str())?;
        }
        Ok(())
    }
}

/// The rendering engine and its options.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
#[serde(deny_unknown_fields)]
pub struct EngineConfig {
    /// Which engine.
    #[serde(rename = "type")]
    pub engine: VideoEngine,
    /// Avatar V only: a look to take motion from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_look_id: Option<LookId>,
}

impl EngineConfig {
    /// The given engine with default options.
    pub fn new(engine: VideoEngine) -> Self {
        Self {
            engine,
            reference_look_id: None,
        }
    }

    /// Sets the reference look (Avatar V).
    #[must_use]
    pub fn reference_look_id(mut self, look: LookId) -> Self {
        self.reference_look_id = Some(look);
        self
    }
}

/// The speech fields (`script`, `voice_id`, `audio_url`, `audio_asset_id`) of `$owner`,
/// borrowed as a [`Speech`] to check.
macro_rules! speech {
    ($owner:expr) => {
        Speech {
            script: $owner.script.as_deref(),
            voice_id: $owner.voice_id.as_ref(),
            audio_url: $owner.audio_url.as_deref(),
            audio_asset_id: $owner.audio_asset_id.as_ref(),
        }
    };
}

/// Checks voice tuning when given; errors are named under `voice_settings`.
fn validate_voice_settings(settings: Option<&VoiceSettings>) -> Result<(), ValidationError> {
    match settings {
        Some(settings) => settings.validate().map_err(|e| e.within("voice_settings")),
        None => Ok(()),
    }
}

macro_rules! common_video_fields {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
        #[non_exhaustive]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
            /// Text the avatar speaks.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub script: Option<String>,
            /// Voice for the script; the look's default voice otherwise.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub voice_id: Option<VoiceId>,
            /// Voice tuning.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub voice_settings: Option<VoiceSettings>,
            /// Recorded audio to lip-sync to, from an `http(s)` URL HeyGen downloads.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub audio_url: Option<String>,
            /// Recorded audio to lip-sync to, from an uploaded asset.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub audio_asset_id: Option<AssetId>,
            /// Title of the video.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub title: Option<String>,
            /// Background.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub background: Option<Background>,
            /// Aspect ratio.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub aspect_ratio: Option<AspectRatio>,
            /// Resolution.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub resolution: Option<Resolution>,
            /// Container format.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub output_format: Option<OutputFormat>,
            /// How much the avatar moves.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub expressiveness: Option<Expressiveness>,
            /// How the source is fitted into the frame.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub fit: Option<Fit>,
            /// Prompt describing gestures and motion.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub motion_prompt: Option<String>,
            /// Remove the source background.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub remove_background: Option<bool>,
            /// URL HeyGen calls when the video finishes.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub callback_url: Option<String>,
            /// Your own id echoed back in the callback.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub callback_id: Option<String>,
            /// Subtitles.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub caption: Option<Caption>,
            /// Image overlay.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub watermark: Option<Watermark>,
        }

        impl $name {
            option_setters! {
                /// Sets the script.
                script(script: impl Into<String>) => into;
                /// Sets the voice.
                voice_id(voice: VoiceId);
                /// Sets voice tuning.
                voice_settings(settings: VoiceSettings);
                /// Lip-syncs to audio at an `http(s)` URL.
                audio_url(url: impl Into<String>) => into;
                /// Lip-syncs to an uploaded audio asset.
                audio_asset_id(asset: AssetId);
                /// Sets the title.
                title(title: impl Into<String>) => into;
                /// Sets the background.
                background(background: Background);
                /// Sets the aspect ratio.
                aspect_ratio(aspect_ratio: AspectRatio);
                /// Sets the resolution.
                resolution(resolution: Resolution);
                /// Sets the container format.
                output_format(output_format: OutputFormat);
                /// Sets the expressiveness.
                expressiveness(expressiveness: Expressiveness);
                /// Sets the fit.
                fit(fit: Fit);
                /// Sets the motion prompt.
                motion_prompt(prompt: impl Into<String>) => into;
                /// Removes the source background.
                remove_background(remove: bool);
                /// Sets the completion callback URL.
                callback_url(url: impl Into<String>) => into;
                /// Sets the id echoed in the callback.
                callback_id(id: impl Into<String>) => into;
                /// Adds subtitles.
                caption(caption: Caption);
                /// Adds an image overlay.
                watermark(watermark: Watermark);
            }

            /// The variant's own fields as given, every common field unset.
            fn with_common_unset($($field: $ty),*) -> Self {
                Self {
                    $($field,)*
                    script: None,
                    voice_id: None,
                    voice_settings: None,
                    audio_url: None,
                    audio_asset_id: None,
                    title: None,
                    background: None,
                    aspect_ratio: None,
                    resolution: None,
                    output_format: None,
                    expressiveness: None,
                    fit: None,
                    motion_prompt: None,
                    remove_background: None,
                    callback_url: None,
                    callback_id: None,
                    caption: None,
                    watermark: None,
                }
            }

            fn validate_common(
                &self,
                voice_required: bool,
                source_required: bool,
            ) -> Result<(), ValidationError> {
                speech!(self).validate(voice_required, source_required)?;
                if let Some(background) = &self.background {
                    if self.output_format == Some(OutputFormat::Webm) {
                        return Err(ValidationError::new(
                            "background",
                            Rule::NotAllowed { when: "`output_format` is `webm`" },
                        ));
                    }
                    background.validate().map_err(|e| e.within("background"))?;
                }
                if let Some(url) = &self.callback_url {
                    validate::validate_http_url("callback_url", url)?;
                }
                validate_voice_settings(self.voice_settings.as_ref())?;
                if let Some(watermark) = &self.watermark {
                    watermark.validate().map_err(|e| e.within("watermark"))?;
                }
                Ok(())
            }
        }
    };
}

common_video_fields!(
    /// A video of a look speaking a script or lip-syncing audio. Takes only a [`LookId`].
    CreateAvatarVideo {
        /// The look to render (a look id, not a group id).
        avatar_id: LookId,
        /// Rendering engine.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        engine: Option<EngineConfig>,
    }
);

impl CreateAvatarVideo {
    /// A video of `avatar_id`; set a [`script`](Self::script) or audio next.
    pub fn new(avatar_id: LookId) -> Self {
        Self::with_common_unset(avatar_id, None)
    }

    /// Sets the rendering engine.
    #[must_use]
    pub fn engine(mut self, engine: EngineConfig) -> Self {
        self.engine = Some(engine);
        self
    }

    /// Checks the look id, that exactly one of script/audio is given (the look's default
    /// voice speaks a script without `voice_id`), the background rules (a color needs `value`,
    /// an image takes `url` or `asset_id`, `webm` output takes none), the engine rules
    /// (`reference_look_id` only with Avatar V, no `expressiveness` with Avatar V, neither
    /// `expressiveness` nor `motion_prompt` with Avatar III), and the URLs.
    ///
    /// # Errors
    /// The first [`ValidationError`] found.
    pub fn validate(&self) -> Result<(), ValidationError> {
        validate::validate_id("avatar_id", self.avatar_id.as_str())?;
        validate_engine(
            self.engine.as_ref(),
            self.expressiveness.is_some(),
            self.motion_prompt.is_some(),
        )?;
        self.validate_common(false, true)
    }
}

common_video_fields!(
    /// A video of a still image speaking a script or lip-syncing audio.
    CreateImageVideo {
        /// The image to animate.
        image: AssetInput,
    }
);

impl CreateImageVideo {
    /// A video of `image`; set a [`script`](Self::script) or audio next.
    pub fn new(image: AssetInput) -> Self {
        Self::with_common_unset(image)
    }

    /// Checks the image, that at most one of script/audio is given (the reference requires
    /// none for this kind, so the server decides when there is none), that a script comes with
    /// a `voice_id` (an image has no default voice), the background rules, and the URLs.
    ///
    /// # Errors
    /// The first [`ValidationError`] found.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.image.validate().map_err(|e| e.within("image"))?;
        self.validate_common(true, false)
    }
}

/// `GET /v3/videos` query.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct ListVideosQuery {
    /// Page size, 1 to [`MAX_VIDEO_PAGE_LIMIT`](validate::MAX_VIDEO_PAGE_LIMIT).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Cursor from the previous page's `next_token`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// Only videos in this folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<FolderId>,
    /// Only videos whose title contains this text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

impl ListVideosQuery {
    /// An empty query (server defaults).
    pub fn new() -> Self {
        Self::default()
    }

    page_cursor_setters!(with_token);

    option_setters! {
        /// Only videos in this folder.
        folder_id(folder: FolderId);
        /// Only videos whose title contains `title`.
        title(title: impl Into<String>) => into;
    }

    /// Query pairs in a fixed order, not yet percent-encoded; unset fields are left out.
    pub fn to_query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(v) = self.limit {
            pairs.push(("limit", v.to_string()));
        }
        if let Some(v) = &self.token {
            pairs.push(("token", v.clone()));
        }
        if let Some(v) = &self.folder_id {
            pairs.push(("folder_id", v.as_str().to_owned()));
        }
        if let Some(v) = &self.title {
            pairs.push(("title", v.clone()));
        }
        pairs
    }

    /// Checks the limit.
    ///
    /// # Errors
    /// [`Rule::OutOfRange`] on `limit`.
    pub fn validate(&self) -> Result<(), ValidationError> {
        validate::validate_page_limit(self.limit, validate::MAX_VIDEO_PAGE_LIMIT)?;
        if let Some(folder) = &self.folder_id {
            validate::validate_id("folder_id", folder.as_str())?;
        }
        Ok(())
    }
}

/// `POST /v3/videos` response (inside `data`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct CreateVideoResponse {
    /// Id to poll with `GET /v3/videos/{video_id}`.
    pub video_id: VideoId,
    /// Initial status, often `waiting` or `pending`; `None` when the answer carries none (some
    /// replayed idempotent answers omit it). Poll `GET /v3/videos/{video_id}` for the real state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<VideoStatus>,
    /// Container format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_format: Option<OutputFormat>,
}

/// A video (`GET /v3/videos/{video_id}`, items of `GET /v3/videos`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct Video {
    /// Video id.
    pub id: VideoId,
    /// Status; `None` when the server sends `null` or leaves it out. Unknown and missing
    /// values are not terminal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<VideoStatus>,
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// When the video was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// When rendering finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<Timestamp>,
    /// Length of the video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<Seconds>,
    /// Presigned download URL; it expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_url: Option<PresignedUrl>,
    /// Presigned download URL of the captioned video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captioned_video_url: Option<PresignedUrl>,
    /// Animated preview URL; `Debug` hides its query, which may be a signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gif_url: Option<PresignedUrl>,
    /// Thumbnail URL; `Debug` hides its query, which may be a signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail_url: Option<PresignedUrl>,
    /// Presigned download URL of the SRT subtitle file; it expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle_url: Option<PresignedUrl>,
    /// Share page URL; `Debug` hides its query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_page_url: Option<PresignedUrl>,
    /// Folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<FolderId>,
    /// Output language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_language: Option<String>,
    /// Machine-readable failure reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_code: Option<String>,
    /// Human-readable failure reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_message: Option<String>,
    /// Failure as an error object, when the server sends one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ResourceError>,
}

/// The speech fields a video or scene shares, borrowed for checking.
struct Speech<'a> {
    script: Option<&'a str>,
    voice_id: Option<&'a VoiceId>,
    audio_url: Option<&'a str>,
    audio_asset_id: Option<&'a AssetId>,
}

impl Speech<'_> {
    /// At most one of script, audio URL or audio asset, and with `source_required` exactly
    /// one; with `voice_required`, a script needs a voice.
    fn validate(&self, voice_required: bool, source_required: bool) -> Result<(), ValidationError> {
        match (self.script, self.audio_url, self.audio_asset_id) {
            (None, None, None) if source_required => {
                return Err(ValidationError::new(
                    "script",
                    Rule::Missing {
                        one_of: "`script`, `audio_url` or `audio_asset_id`",
                    },
                ));
            }
            (Some(_), Some(_), _) => {
                return Err(ValidationError::new(
                    "script",
                    Rule::Conflict { other: "audio_url" },
                ));
            }
            (Some(_), _, Some(_)) => {
                return Err(ValidationError::new(
                    "script",
                    Rule::Conflict {
                        other: "audio_asset_id",
                    },
                ));
            }
            (None, Some(_), Some(_)) => {
                return Err(ValidationError::new(
                    "audio_url",
                    Rule::Conflict {
                        other: "audio_asset_id",
                    },
                ));
            }
            _ => {}
        }
        if voice_required && self.script.is_some() && self.voice_id.is_none() {
            return Err(ValidationError::new(
                "voice_id",
                Rule::Required {
                    when: "`script` is set",
                },
            ));
        }
        if let Some(url) = self.audio_url {
            validate::validate_http_url("audio_url", url)?;
        }
        if let Some(asset) = self.audio_asset_id {
            validate::validate_id("audio_asset_id", asset.as_str())?;
        }
        if let Some(voice) = self.voice_id {
            validate::validate_id("voice_id", voice.as_str())?;
        }
        Ok(())
    }
}

/// The engine rules of an avatar video or scene.
fn validate_engine(
    engine: Option<&EngineConfig>,
    expressiveness: bool,
    motion_prompt: bool,
) -> Result<(), ValidationError> {
    let Some(engine) = engine else {
        return Ok(());
    };
    if let Some(look) = &engine.reference_look_id {
        if engine.engine != VideoEngine::AvatarV {
            return Err(ValidationError::new(
                "engine.reference_look_id",
                Rule::NotAllowed {
                    when: "`engine.type` is not `avatar_v`",
                },
            ));
        }
        validate::validate_id("engine.reference_look_id", look.as_str())?;
    }
    match engine.engine {
        VideoEngine::AvatarV if expressiveness => Err(ValidationError::new(
            "expressiveness",
            Rule::NotAllowed {
                when: "`engine.type` is `avatar_v`",
            },
        )),
        VideoEngine::AvatarIii if expressiveness => Err(ValidationError::new(
            "expressiveness",
            Rule::NotAllowed {
                when: "`engine.type` is `avatar_iii`",
            },
        )),
        VideoEngine::AvatarIii if motion_prompt => Err(ValidationError::new(
            "motion_prompt",
            Rule::NotAllowed {
                when: "`engine.type` is `avatar_iii`",
            },
        )),
        _ => Ok(()),
    }
}

/// Most looks a cinematic video takes (`avatar_id`).
pub const MAX_CINEMATIC_LOOKS: usize = 3;
/// Cinematic video length range, in whole seconds (the server default is 10).
pub const CINEMATIC_DURATION_RANGE: (u32, u32) = (4, 15);
/// Most videos a cinematic video's references may hold.
pub const MAX_CINEMATIC_VIDEOS: usize = 3;
/// Most images a cinematic video's looks and references may hold together (each look counts
/// as one image).
pub const MAX_CINEMATIC_IMAGES: usize = 9;
/// Aspect ratios a cinematic video supports.
pub const CINEMATIC_ASPECT_RATIOS: [AspectRatio; 3] = [
    AspectRatio::Landscape16x9,
    AspectRatio::Portrait9x16,
    AspectRatio::Square,
];
/// Resolutions a cinematic video supports.
pub const CINEMATIC_RESOLUTIONS: [Resolution; 2] = [Resolution::Hd720p, Resolution::Fhd1080p];

/// A video generated from a prompt, guided by one to three looks and optional reference images,
/// videos or audio (`"type":"cinematic_avatar"`). There is no script or voice: the prompt
/// drives motion and speech.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
#[serde(deny_unknown_fields)]
pub struct CreateCinematicVideo {
    /// One to [`MAX_CINEMATIC_LOOKS`] look ids (the wire name is singular but it is a list).
    pub avatar_id: Vec<LookId>,
    /// What the video shows.
    pub prompt: String,
    /// Length in whole seconds, within [`CINEMATIC_DURATION_RANGE`] (server default 10); leave
    /// unset with `auto_duration`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<u32>,
    /// Let the model choose the length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_duration: Option<bool>,
    /// Let the server enhance the prompt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enhance_prompt: Option<bool>,
    /// Reference images, videos or audio.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub references: Option<Vec<AssetInput>>,
    /// Aspect ratio: one of [`CINEMATIC_ASPECT_RATIOS`] (server default 16:9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aspect_ratio: Option<AspectRatio>,
    /// Resolution: one of [`CINEMATIC_RESOLUTIONS`] (server default 720p).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Resolution>,
    /// Title of the video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// Whether an input is an image or a video, when it can be told without fetching it: from a
/// base64 input's media type, or from a URL path's extension. Asset ids cannot be told.
fn reference_kind(input: &AssetInput) -> Option<&'static str> {
    let classify_mime = |mime: &str| {
        if mime.starts_with("image/") {
            Some("image")
        } else if mime.starts_with("video/") {
            Some("video")
        } else {
            None
        }
    };
    match input {
        AssetInput::Base64 { media_type, .. } => classify_mime(&media_type.to_ascii_lowercase()),
        AssetInput::Url { url } => {
            let path = url.split(['?', '#']).next().unwrap_or_default();
            let ext = path
                .rsplit_once('.')
                .map(|(_, e)| e.to_ascii_lowercase())
                .unwrap_or_default();
            match ext.as_str() {
                "png" | "jpg" | "jpeg" | "webp" => Some("image"),
                "mp4" | "webm" | "mov" => Some("video"),
                _ => None,
            }
        }
        _ => None,
    }
}

impl CreateCinematicVideo {
    /// A cinematic video of `looks` (one to three) following `prompt`.
    pub fn new(looks: impl IntoIterator<Item = LookId>, prompt: impl Into<String>) -> Self {
        Self {
            avatar_id: looks.into_iter().collect(),
            prompt: prompt.into(),
            duration: None,
            auto_duration: None,
            enhance_prompt: None,
            references: None,
            aspect_ratio: None,
            resolution: None,
            title: None,
        }
    }

    option_setters! {
        /// Sets the length in seconds.
        duration(seconds: u32);
        /// Lets the model choose the length.
        auto_duration(auto: bool);
        /// Lets the server enhance the prompt.
        enhance_prompt(enhance: bool);
    }

    /// Adds a reference image, video or audio.
    #[must_use]
    pub fn reference(mut self, input: AssetInput) -> Self {
        self.references.get_or_insert_with(Vec::new).push(input);
        self
    }

    option_setters! {
        /// Sets the aspect ratio.
        aspect_ratio(aspect_ratio: AspectRatio);
        /// Sets the resolution.
        resolution(resolution: Resolution);
        /// Sets the title.
        title(title: impl Into<String>) => into;
    }

    /// Checks one to three look ids, the duration (4 to 15 seconds, not with
    /// `auto_duration: true`), the aspect ratio and resolution the kind supports, each
    /// reference, and the combined limits: at most [`MAX_CINEMATIC_VIDEOS`] videos and
    /// [`MAX_CINEMATIC_IMAGES`] images across looks and references (only references whose kind
    /// shows in their media type or URL extension are counted).
    ///
    /// # Errors
    /// The first [`ValidationError`] found.
    pub fn validate(&self) -> Result<(), ValidationError> {
        const WHEN: &str = "`type` is `cinematic_avatar`";
        if self.avatar_id.is_empty() {
            return Err(ValidationError::new("avatar_id", Rule::Empty));
        }
        if self.avatar_id.len() > MAX_CINEMATIC_LOOKS {
            return Err(ValidationError::new(
                "avatar_id",
                Rule::TooMany {
                    max: MAX_CINEMATIC_LOOKS,
                    actual: self.avatar_id.len(),
                },
            ));
        }
        for (i, look) in self.avatar_id.iter().enumerate() {
            validate::validate_id("avatar_id", look.as_str())
                .map_err(|e| ValidationError::new(format!("avatar_id[{i}]"), e.rule))?;
        }
        if let Some(duration) = self.duration {
            if self.auto_duration == Some(true) {
                return Err(ValidationError::new(
                    "duration",
                    Rule::Conflict {
                        other: "auto_duration",
                    },
                ));
            }
            let (min, max) = CINEMATIC_DURATION_RANGE;
            if !(min..=max).contains(&duration) {
                return Err(ValidationError::new(
                    "duration",
                    Rule::OutOfRange {
                        min: min.into(),
                        max: max.into(),
                        actual: duration.into(),
                    },
                ));
            }
        }
        if let Some(ratio) = &self.aspect_ratio
            && !ratio.is_unknown()
            && !CINEMATIC_ASPECT_RATIOS.contains(ratio)
        {
            return Err(ValidationError::new(
                "aspect_ratio",
                Rule::NotAllowed { when: WHEN },
            ));
        }
        if let Some(resolution) = &self.resolution
            && !resolution.is_unknown()
            && !CINEMATIC_RESOLUTIONS.contains(resolution)
        {
            return Err(ValidationError::new(
                "resolution",
                Rule::NotAllowed { when: WHEN },
            ));
        }
        let references = self.references.as_deref().unwrap_or_default();
        let mut images = self.avatar_id.len();
        let mut videos = 0;
        for (i, input) in references.iter().enumerate() {
            input
                .validate()
                .map_err(|e| e.within(&format!("references[{i}]")))?;
            match reference_kind(input) {
                Some("image") => images += 1,
                Some(_) => videos += 1,
                None => {}
            }
        }
        if videos > MAX_CINEMATIC_VIDEOS {
            return Err(ValidationError::new(
                "references",
                Rule::TooMany {
                    max: MAX_CINEMATIC_VIDEOS,
                    actual: videos,
                },
            ));
        }
        if images > MAX_CINEMATIC_IMAGES {
            return Err(ValidationError::new(
                "references",
                Rule::TooMany {
                    max: MAX_CINEMATIC_IMAGES,
                    actual: images,
                },
            ));
        }
        Ok(())
    }
}

/// Most scenes a studio video takes.
pub const MAX_STUDIO_SCENES: usize = 50;
/// Longest silent image scene, in seconds (it must also be longer than 0).
pub const MAX_SILENT_SCENE_SECONDS: f64 = 300.0;

/// A video composed of whole-frame scenes played in order (`"type":"studio"`). The output is
/// always MP4; output settings apply to the whole video.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
#[serde(deny_unknown_fields)]
pub struct CreateStudioVideo {
    /// One to [`MAX_STUDIO_SCENES`] scenes.
    pub scenes: Vec<StudioScene>,
    /// Title of the video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Aspect ratio of the whole video; each scene is center-cropped to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aspect_ratio: Option<AspectRatio>,
    /// Resolution of the whole video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Resolution>,
    /// URL HeyGen calls when the video finishes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
    /// Your own id echoed back in the callback.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_id: Option<String>,
    /// Subtitles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<Caption>,
    /// Image overlay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watermark: Option<Watermark>,
}

impl CreateStudioVideo {
    /// A studio video of `scenes`, in order.
    pub fn new(scenes: impl IntoIterator<Item = StudioScene>) -> Self {
        Self {
            scenes: scenes.into_iter().collect(),
            title: None,
            aspect_ratio: None,
            resolution: None,
            callback_url: None,
            callback_id: None,
            caption: None,
            watermark: None,
        }
    }

    option_setters! {
        /// Sets the title.
        title(title: impl Into<String>) => into;
        /// Sets the aspect ratio.
        aspect_ratio(aspect_ratio: AspectRatio);
        /// Sets the resolution.
        resolution(resolution: Resolution);
        /// Sets the completion callback URL.
        callback_url(url: impl Into<String>) => into;
        /// Sets the id echoed in the callback.
        callback_id(id: impl Into<String>) => into;
        /// Adds subtitles.
        caption(caption: Caption);
        /// Adds an image overlay.
        watermark(watermark: Watermark);
    }

    /// Checks one to [`MAX_STUDIO_SCENES`] scenes and each scene's rules, the callback URL and
    /// the watermark.
    ///
    /// # Errors
    /// The first [`ValidationError`] found; a scene's field is named like
    /// `scenes[2].input.voice_id`.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.scenes.is_empty() {
            return Err(ValidationError::new("scenes", Rule::Empty));
        }
        if self.scenes.len() > MAX_STUDIO_SCENES {
            return Err(ValidationError::new(
                "scenes",
                Rule::TooMany {
                    max: MAX_STUDIO_SCENES,
                    actual: self.scenes.len(),
                },
            ));
        }
        for (i, scene) in self.scenes.iter().enumerate() {
            scene
                .validate()
                .map_err(|e| e.within(&format!("scenes[{i}]")))?;
        }
        if let Some(url) = &self.callback_url {
            validate::validate_http_url("callback_url", url)?;
        }
        if let Some(watermark) = &self.watermark {
            watermark.validate().map_err(|e| e.within("watermark"))?;
        }
        Ok(())
    }
}

/// One scene of a studio video, a union on `type`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
#[serde(deny_unknown_fields)]
pub enum StudioScene {
    /// A look or an animated image speaking (`"type":"avatar_video"`); its length follows the
    /// audio.
    AvatarVideo {
        /// Who speaks.
        input: SceneInput,
    },
    /// A still image, silent for a duration or narrated (`"type":"image"`).
    Image(ImageScene),
    /// A video clip (`"type":"video"`).
    Video(VideoScene),
}

impl StudioScene {
    /// A scene of a look speaking.
    pub fn avatar(input: AvatarSceneInput) -> Self {
        Self::AvatarVideo {
            input: SceneInput::Avatar(input),
        }
    }

    /// A scene of an animated image speaking.
    pub fn talking_image(input: ImageSceneInput) -> Self {
        Self::AvatarVideo {
            input: SceneInput::Image(input),
        }
    }

    /// Checks the chosen scene's rules.
    ///
    /// # Errors
    /// The first [`ValidationError`] found, its field relative to the scene.
    pub fn validate(&self) -> Result<(), ValidationError> {
        match self {
            Self::AvatarVideo { input } => input.validate().map_err(|e| e.within("input")),
            Self::Image(scene) => scene.validate(),
            Self::Video(scene) => scene.validate(),
        }
    }
}

/// Who speaks in an `avatar_video` scene, a union on `type`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum SceneInput {
    /// A look (`"type":"avatar"`).
    Avatar(AvatarSceneInput),
    /// An animated image (`"type":"image"`).
    Image(ImageSceneInput),
}

impl SceneInput {
    /// Checks the chosen input's rules.
    ///
    /// # Errors
    /// The first [`ValidationError`] found.
    pub fn validate(&self) -> Result<(), ValidationError> {
        match self {
            Self::Avatar(input) => input.validate(),
            Self::Image(input) => input.validate(),
        }
    }
}

/// A look speaking in a studio scene.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
#[serde(deny_unknown_fields)]
pub struct AvatarSceneInput {
    /// The look (a look id, not a group id).
    pub avatar_id: LookId,
    /// Text the look speaks (its default voice when `voice_id` is unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script: Option<String>,
    /// Voice for the script.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_id: Option<VoiceId>,
    /// Voice tuning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_settings: Option<VoiceSettings>,
    /// Recorded audio to lip-sync to, from an `http(s)` URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_url: Option<String>,
    /// Recorded audio to lip-sync to, from an uploaded asset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_asset_id: Option<AssetId>,
    /// A solid color behind the look.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background: Option<SceneBackground>,
    /// Rendering engine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<EngineConfig>,
    /// How much the avatar moves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expressiveness: Option<Expressiveness>,
    /// Prompt describing gestures and motion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub motion_prompt: Option<String>,
}

impl AvatarSceneInput {
    /// `avatar_id` speaking `script` in its default voice.
    pub fn script(avatar_id: LookId, script: impl Into<String>) -> Self {
        let mut input = Self::silent(avatar_id);
        input.script = Some(script.into());
        input
    }

    /// `avatar_id` lip-syncing audio at an `http(s)` URL.
    pub fn audio_url(avatar_id: LookId, url: impl Into<String>) -> Self {
        let mut input = Self::silent(avatar_id);
        input.audio_url = Some(url.into());
        input
    }

    fn silent(avatar_id: LookId) -> Self {
        Self {
            avatar_id,
            script: None,
            voice_id: None,
            voice_settings: None,
            audio_url: None,
            audio_asset_id: None,
            background: None,
            engine: None,
            expressiveness: None,
            motion_prompt: None,
        }
    }

    option_setters! {
        /// Sets the voice.
        voice_id(voice: VoiceId);
        /// Sets a solid background color.
        background(background: SceneBackground);
        /// Sets the rendering engine.
        engine(engine: EngineConfig);
    }

    /// Checks the look id, exactly one of script/audio, the background color and the engine
    /// rules of an avatar video.
    ///
    /// # Errors
    /// The first [`ValidationError`] found.
    pub fn validate(&self) -> Result<(), ValidationError> {
        validate::validate_id("avatar_id", self.avatar_id.as_str())?;
        speech!(self).validate(false, true)?;
        validate_voice_settings(self.voice_settings.as_ref())?;
        if let Some(background) = &self.background {
            background.validate().map_err(|e| e.within("background"))?;
        }
        validate_engine(
            self.engine.as_ref(),
            self.expressiveness.is_some(),
            self.motion_prompt.is_some(),
        )
    }
}

/// An animated image speaking in a studio scene.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
#[serde(deny_unknown_fields)]
pub struct ImageSceneInput {
    /// The image to animate.
    pub image: AssetInput,
    /// Text spoken with `voice_id` (required with a script).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script: Option<String>,
    /// Voice for the script.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_id: Option<VoiceId>,
    /// Voice tuning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_settings: Option<VoiceSettings>,
    /// Recorded audio to lip-sync to, from an `http(s)` URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_url: Option<String>,
    /// Recorded audio to lip-sync to, from an uploaded asset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_asset_id: Option<AssetId>,
    /// How much the image moves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expressiveness: Option<Expressiveness>,
    /// Prompt describing motion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub motion_prompt: Option<String>,
}

impl ImageSceneInput {
    /// `image` speaking `script` with `voice`.
    pub fn script(image: AssetInput, script: impl Into<String>, voice: VoiceId) -> Self {
        Self {
            image,
            script: Some(script.into()),
            voice_id: Some(voice),
            voice_settings: None,
            audio_url: None,
            audio_asset_id: None,
            expressiveness: None,
            motion_prompt: None,
        }
    }

    /// Checks the image and exactly one of (script with `voice_id`), audio URL or audio asset.
    ///
    /// # Errors
    /// The first [`ValidationError`] found.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.image.validate().map_err(|e| e.within("image"))?;
        speech!(self).validate(true, true)?;
        validate_voice_settings(self.voice_settings.as_ref())?;
        Ok(())
    }
}

/// A solid color behind a look in a studio scene (the only background kind scenes take).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
#[serde(deny_unknown_fields)]
pub struct SceneBackground {
    /// Always `color` today.
    #[serde(rename = "type")]
    pub kind: BackgroundType,
    /// The color as `#RRGGBB`.
    pub color: String,
}

impl SceneBackground {
    /// A solid color written `#RRGGBB`.
    pub fn color(color: impl Into<String>) -> Self {
        Self {
            kind: BackgroundType::Color,
            color: color.into(),
        }
    }

    /// Checks that the kind is `color` and the color is `#` and six hex digits.
    ///
    /// # Errors
    /// [`Rule::NotAllowed`] on `type`, or [`Rule::Format`] on `color`.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.kind != BackgroundType::Color {
            return Err(ValidationError::new(
                "type",
                Rule::NotAllowed {
                    when: "the background belongs to a studio scene (only `color` is taken)",
                },
            ));
        }
        let hex = self.color.strip_prefix('#').unwrap_or_default();
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ValidationError::new(
                "color",
                Rule::Format {
                    expected: "a `#RRGGBB` hex color",
                },
            ));
        }
        Ok(())
    }
}

/// A whole-frame still image: silent for `duration` seconds, or narrated by exactly one audio
/// source (its length then follows the audio).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
#[serde(deny_unknown_fields)]
pub struct ImageScene {
    /// The image.
    pub source: AssetInput,
    /// Silent: how long to show the image, in seconds, more than 0 and at most
    /// [`MAX_SILENT_SCENE_SECONDS`].
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::num::finite"
    )]
    pub duration: Option<f64>,
    /// Narrated: text spoken with `voice_id` (required with a script).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script: Option<String>,
    /// Voice for the script.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_id: Option<VoiceId>,
    /// Voice tuning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_settings: Option<VoiceSettings>,
    /// Narrated: audio from an `http(s)` URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_url: Option<String>,
    /// Narrated: audio from an uploaded asset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_asset_id: Option<AssetId>,
}

impl ImageScene {
    /// `source` shown silently for `seconds`.
    pub fn silent(source: AssetInput, seconds: f64) -> Self {
        Self {
            source,
            duration: Some(seconds),
            script: None,
            voice_id: None,
            voice_settings: None,
            audio_url: None,
            audio_asset_id: None,
        }
    }

    /// `source` narrated with `script` in `voice`.
    pub fn narrated(source: AssetInput, script: impl Into<String>, voice: VoiceId) -> Self {
        Self {
            source,
            duration: None,
            script: Some(script.into()),
            voice_id: Some(voice),
            voice_settings: None,
            audio_url: None,
            audio_asset_id: None,
        }
    }

    /// Checks the image, then either a duration (0 < seconds ≤ 300) with no audio, or exactly
    /// one audio source (a script needs `voice_id`) with no duration.
    ///
    /// # Errors
    /// The first [`ValidationError`] found.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.source.validate().map_err(|e| e.within("source"))?;
        let narrated =
            self.script.is_some() || self.audio_url.is_some() || self.audio_asset_id.is_some();
        match self.duration {
            Some(_) if narrated => {
                let other = if self.script.is_some() {
                    "script"
                } else if self.audio_url.is_some() {
                    "audio_url"
                } else {
                    "audio_asset_id"
                };
                Err(ValidationError::new("duration", Rule::Conflict { other }))
            }
            Some(seconds) => {
                validate::validate_finite("duration", seconds)?;
                if seconds <= 0.0 || seconds > MAX_SILENT_SCENE_SECONDS {
                    return Err(ValidationError::new(
                        "duration",
                        Rule::OutOfRangePositive {
                            max: MAX_SILENT_SCENE_SECONDS,
                            actual: seconds,
                        },
                    ));
                }
                Ok(())
            }
            None if !narrated => Err(ValidationError::new(
                "duration",
                Rule::Missing {
                    one_of: "`duration`, `script`, `audio_url` or `audio_asset_id`",
                },
            )),
            None => {
                speech!(self).validate(true, true)?;
                validate_voice_settings(self.voice_settings.as_ref())?;
                Ok(())
            }
        }
    }
}

/// A whole-frame video clip.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
#[serde(deny_unknown_fields)]
pub struct VideoScene {
    /// The clip.
    pub source: AssetInput,
    /// Audio volume and mute; the clip's own volume when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub playback: Option<Playback>,
}

impl VideoScene {
    /// A scene playing `source` at its own volume.
    pub fn new(source: AssetInput) -> Self {
        Self {
            source,
            playback: None,
        }
    }

    /// Sets the playback options.
    #[must_use]
    pub fn playback(mut self, playback: Playback) -> Self {
        self.playback = Some(playback);
        self
    }

    /// Checks the clip and the volume (0 to 1).
    ///
    /// # Errors
    /// The first [`ValidationError`] found.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.source.validate().map_err(|e| e.within("source"))?;
        if let Some(volume) = self.playback.as_ref().and_then(|p| p.volume) {
            validate::validate_range("playback.volume", volume, validate::VOICE_VOLUME_RANGE)?;
        }
        Ok(())
    }
}

/// Audio of a video clip scene.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
#[serde(deny_unknown_fields)]
pub struct Playback {
    /// Volume from 0 (silent) to 1 (the clip's own level; the server default).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::num::finite"
    )]
    pub volume: Option<f64>,
    /// Silence the clip whatever the volume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mute: Option<bool>,
}

impl Playback {
    /// The clip's own audio.
    pub fn new() -> Self {
        Self::default()
    }

    option_setters! {
        /// Sets the volume.
        volume(volume: f64);
        /// Silences the clip.
        mute(mute: bool);
    }
}

/// Most videos one batch takes.
pub const MAX_BATCH_VIDEOS: usize = 100;

/// `POST /v3/videos/batches` request: up to [`MAX_BATCH_VIDEOS`] video requests created
/// asynchronously under one batch id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
#[serde(deny_unknown_fields)]
pub struct CreateVideoBatchRequest {
    /// The videos, each shaped like a `POST /v3/videos` body; item `i` of the batch is
    /// `videos[i]`.
    pub videos: Vec<CreateVideoRequest>,
    /// Display name of the batch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// URL HeyGen calls once every item has finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
}

impl CreateVideoBatchRequest {
    /// A batch of `videos`, in order.
    pub fn new(videos: impl IntoIterator<Item = CreateVideoRequest>) -> Self {
        Self {
            videos: videos.into_iter().collect(),
            title: None,
            callback_url: None,
        }
    }

    option_setters! {
        /// Sets the title.
        title(title: impl Into<String>) => into;
        /// Sets the completion callback URL.
        callback_url(url: impl Into<String>) => into;
    }

    /// Checks the count (at most [`MAX_BATCH_VIDEOS`]), every video, and the callback URL.
    ///
    /// # Errors
    /// The first [`ValidationError`] found; a video's field is named like
    /// `videos[3].voice_id`.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.videos.len() > MAX_BATCH_VIDEOS {
            return Err(ValidationError::new(
                "videos",
                Rule::TooMany {
                    max: MAX_BATCH_VIDEOS,
                    actual: self.videos.len(),
                },
            ));
        }
        for (i, video) in self.videos.iter().enumerate() {
            video
                .validate()
                .map_err(|e| e.within(&format!("videos[{i}]")))?;
        }
        if let Some(url) = &self.callback_url {
            validate::validate_http_url("callback_url", url)?;
        }
        Ok(())
    }
}

/// `POST /v3/videos/batches` response (inside `data`). Read the items with
/// `GET /v3/videos/batches/{batch_id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct CreateVideoBatchResponse {
    /// Id of the new batch.
    pub batch_id: BatchId,
    /// Aggregate status, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<BatchStatus>,
    /// Number of videos accepted, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_items: Option<u64>,
    /// When the batch was created, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// Display name of the batch, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// Most ids one `GET /v3/videos/statuses` request may name.
pub const MAX_STATUS_LOOKUP_IDS: usize = 100;

/// `GET /v3/videos/statuses` query: videos by id and/or batches (each expanded to its videos).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct VideoStatusesQuery {
    /// Videos to look up.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub video_ids: Vec<VideoId>,
    /// Batches whose videos to look up.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub batch_ids: Vec<BatchId>,
}

impl VideoStatusesQuery {
    /// An empty query; add ids before sending.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a video.
    #[must_use]
    pub fn video(mut self, id: VideoId) -> Self {
        self.video_ids.push(id);
        self
    }

    /// Adds a batch.
    #[must_use]
    pub fn batch(mut self, id: BatchId) -> Self {
        self.batch_ids.push(id);
        self
    }

    /// Query pairs (`video_ids`, `batch_ids`, each comma-separated), not yet percent-encoded;
    /// an empty list is left out.
    pub fn to_query_pairs(&self) -> Vec<(&'static str, String)> {
        batch::comma_joined_pairs([
            ("video_ids", batch::id_strs(&self.video_ids)),
            ("batch_ids", batch::id_strs(&self.batch_ids)),
        ])
    }

    /// Checks that at least one id is given, at most [`MAX_STATUS_LOOKUP_IDS`] video ids, and
    /// that no id holds a comma (the separator).
    ///
    /// # Errors
    /// [`Rule::Missing`], [`Rule::TooMany`] or [`Rule::ForbiddenCharacter`].
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.video_ids.is_empty() && self.batch_ids.is_empty() {
            return Err(ValidationError::new(
                "video_ids",
                Rule::Missing {
                    one_of: "`video_ids` or `batch_ids`",
                },
            ));
        }
        batch::validate_id_count("video_ids", self.video_ids.len(), MAX_STATUS_LOOKUP_IDS)?;
        let naming = batch::IdErrorField::Indexed;
        batch::validate_comma_ids("video_ids", batch::id_strs(&self.video_ids), naming)?;
        batch::validate_comma_ids("batch_ids", batch::id_strs(&self.batch_ids), naming)
    }
}

/// One entry of `GET /v3/videos/statuses` (items of its `data` list).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct VideoStatusEntry {
    /// The video; `None` for a batch item whose video does not exist yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_id: Option<VideoId>,
    /// Status, or `not_found`; `None` when absent or `null`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<VideoLookupStatus>,
    /// The batch, for entries expanded from `batch_ids`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_id: Option<BatchId>,
    /// Position in that batch, for entries expanded from `batch_ids`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_index: Option<u64>,
    /// Why the video failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ResourceError>,
}
