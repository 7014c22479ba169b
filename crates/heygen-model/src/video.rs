//! Videos: `POST /v3/videos` (`avatar` and `image` variants), `GET /v3/videos/{video_id}`,
//! `GET /v3/videos` and `DELETE /v3/videos/{video_id}`.

use serde::{Deserialize, Serialize};

use crate::asset::AssetInput;
use crate::enums::{
    AspectRatio, BackgroundType, CaptionFormat, CaptionStyle, Expressiveness, Fit, OutputFormat,
    Resolution, VideoEngine, VideoStatus, VoiceEngineType, WatermarkPosition,
};
use crate::error::ResourceError;
use crate::ids::{AssetId, FolderId, LookId, VideoId, VoiceId};
use crate::macros::{page_cursor_setters, request_union};
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
    }
}

/// Voice tuning for the script.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
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
pub struct VoiceEngineSettings {
    /// The provider.
    pub engine_type: VoiceEngineType,
    /// Provider model, such as `eleven_multilingual_v2` or `s1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
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

    /// Sets the model.
    #[must_use]
    pub fn model(mut self, model: impl Into<String>) -> Self {
        self.model = Some(model.into());
        self
    }

    /// Sets the stability.
    #[must_use]
    pub fn stability(mut self, stability: f64) -> Self {
        self.stability = Some(stability);
        self
    }

    /// Sets the ElevenLabs similarity boost.
    #[must_use]
    pub fn similarity_boost(mut self, value: f64) -> Self {
        self.similarity_boost = Some(value);
        self
    }

    /// Sets the ElevenLabs style.
    #[must_use]
    pub fn style(mut self, value: f64) -> Self {
        self.style = Some(value);
        self
    }

    /// Sets the ElevenLabs speaker boost.
    #[must_use]
    pub fn use_speaker_boost(mut self, value: bool) -> Self {
        self.use_speaker_boost = Some(value);
        self
    }

    /// Sets the Fish similarity.
    #[must_use]
    pub fn similarity(mut self, value: f64) -> Self {
        self.similarity = Some(value);
        self
    }

    /// Checks that every tuning value is a finite number (the reference gives them no range).
    ///
    /// # Errors
    /// [`Rule::NotFinite`] on the first non-finite value.
    pub fn validate(&self) -> Result<(), ValidationError> {
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

    /// Sets the locale.
    #[must_use]
    pub fn locale(mut self, locale: impl Into<String>) -> Self {
        self.locale = Some(locale.into());
        self
    }

    /// Sets the pitch.
    #[must_use]
    pub fn pitch(mut self, pitch: f64) -> Self {
        self.pitch = Some(pitch);
        self
    }

    /// Sets the speed.
    #[must_use]
    pub fn speed(mut self, speed: f64) -> Self {
        self.speed = Some(speed);
        self
    }

    /// Sets the volume.
    #[must_use]
    pub fn volume(mut self, volume: f64) -> Self {
        self.volume = Some(volume);
        self
    }

    /// Sets provider-specific tuning.
    #[must_use]
    pub fn engine_settings(mut self, settings: VoiceEngineSettings) -> Self {
        self.engine_settings = Some(settings);
        self
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

    fn validate(&self) -> Result<(), ValidationError> {
        if let Some(url) = &self.url {
            validate::validate_http_url("background.url", url)?;
        }
        Ok(())
    }
}

/// The rendering engine and its options.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
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

macro_rules! common_video_fields {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
        #[non_exhaustive]
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
            /// Sets the script.
            #[must_use]
            pub fn script(mut self, script: impl Into<String>) -> Self {
                self.script = Some(script.into());
                self
            }

            /// Sets the voice.
            #[must_use]
            pub fn voice_id(mut self, voice: VoiceId) -> Self {
                self.voice_id = Some(voice);
                self
            }

            /// Sets voice tuning.
            #[must_use]
            pub fn voice_settings(mut self, settings: VoiceSettings) -> Self {
                self.voice_settings = Some(settings);
                self
            }

            /// Lip-syncs to audio at an `http(s)` URL.
            #[must_use]
            pub fn audio_url(mut self, url: impl Into<String>) -> Self {
                self.audio_url = Some(url.into());
                self
            }

            /// Lip-syncs to an uploaded audio asset.
            #[must_use]
            pub fn audio_asset_id(mut self, asset: AssetId) -> Self {
                self.audio_asset_id = Some(asset);
                self
            }

            /// Sets the title.
            #[must_use]
            pub fn title(mut self, title: impl Into<String>) -> Self {
                self.title = Some(title.into());
                self
            }

            /// Sets the background.
            #[must_use]
            pub fn background(mut self, background: Background) -> Self {
                self.background = Some(background);
                self
            }

            /// Sets the aspect ratio.
            #[must_use]
            pub fn aspect_ratio(mut self, aspect_ratio: AspectRatio) -> Self {
                self.aspect_ratio = Some(aspect_ratio);
                self
            }

            /// Sets the resolution.
            #[must_use]
            pub fn resolution(mut self, resolution: Resolution) -> Self {
                self.resolution = Some(resolution);
                self
            }

            /// Sets the container format.
            #[must_use]
            pub fn output_format(mut self, output_format: OutputFormat) -> Self {
                self.output_format = Some(output_format);
                self
            }

            /// Sets the expressiveness.
            #[must_use]
            pub fn expressiveness(mut self, expressiveness: Expressiveness) -> Self {
                self.expressiveness = Some(expressiveness);
                self
            }

            /// Sets the fit.
            #[must_use]
            pub fn fit(mut self, fit: Fit) -> Self {
                self.fit = Some(fit);
                self
            }

            /// Sets the motion prompt.
            #[must_use]
            pub fn motion_prompt(mut self, prompt: impl Into<String>) -> Self {
                self.motion_prompt = Some(prompt.into());
                self
            }

            /// Removes the source background.
            #[must_use]
            pub fn remove_background(mut self, remove: bool) -> Self {
                self.remove_background = Some(remove);
                self
            }

            /// Sets the completion callback URL.
            #[must_use]
            pub fn callback_url(mut self, url: impl Into<String>) -> Self {
                self.callback_url = Some(url.into());
                self
            }

            /// Sets the id echoed in the callback.
            #[must_use]
            pub fn callback_id(mut self, id: impl Into<String>) -> Self {
                self.callback_id = Some(id.into());
                self
            }

            /// Adds subtitles.
            #[must_use]
            pub fn caption(mut self, caption: Caption) -> Self {
                self.caption = Some(caption);
                self
            }

            /// Adds an image overlay.
            #[must_use]
            pub fn watermark(mut self, watermark: Watermark) -> Self {
                self.watermark = Some(watermark);
                self
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

            fn validate_common(&self) -> Result<(), ValidationError> {
                match (&self.script, &self.audio_url, &self.audio_asset_id) {
                    (None, None, None) => {
                        return Err(ValidationError::new(
                            "script",
                            Rule::Missing { one_of: "`script`, `audio_url` or `audio_asset_id`" },
                        ));
                    }
                    (Some(_), Some(_), _) => {
                        return Err(ValidationError::new("script", Rule::Conflict { other: "audio_url" }));
                    }
                    (Some(_), _, Some(_)) => {
                        return Err(ValidationError::new(
                            "script",
                            Rule::Conflict { other: "audio_asset_id" },
                        ));
                    }
                    (None, Some(_), Some(_)) => {
                        return Err(ValidationError::new(
                            "audio_url",
                            Rule::Conflict { other: "audio_asset_id" },
                        ));
                    }
                    _ => {}
                }
                if let Some(url) = &self.audio_url {
                    validate::validate_http_url("audio_url", url)?;
                }
                if let Some(asset) = &self.audio_asset_id {
                    validate::validate_id("audio_asset_id", asset.as_str())?;
                }
                if let Some(voice) = &self.voice_id {
                    validate::validate_id("voice_id", voice.as_str())?;
                }
                if let Some(background) = &self.background {
                    background.validate()?;
                }
                if let Some(url) = &self.callback_url {
                    validate::validate_http_url("callback_url", url)?;
                }
                if let Some(settings) = &self.voice_settings {
                    settings.validate().map_err(|e| e.within("voice_settings"))?;
                }
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

    /// Checks the look id, that exactly one of script/audio is given, and the URLs.
    ///
    /// # Errors
    /// The first [`ValidationError`] found.
    pub fn validate(&self) -> Result<(), ValidationError> {
        validate::validate_id("avatar_id", self.avatar_id.as_str())?;
        self.validate_common()
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

    /// Checks the image, that exactly one of script/audio is given, and the URLs.
    ///
    /// # Errors
    /// The first [`ValidationError`] found.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.image.validate().map_err(|e| e.within("image"))?;
        self.validate_common()
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
    /// Only videos with this title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

impl ListVideosQuery {
    /// An empty query (server defaults).
    pub fn new() -> Self {
        Self::default()
    }

    page_cursor_setters!();

    /// Only videos in this folder.
    #[must_use]
    pub fn folder_id(mut self, folder: FolderId) -> Self {
        self.folder_id = Some(folder);
        self
    }

    /// Only videos with this title.
    #[must_use]
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// The same query for the page at `token`.
    #[must_use]
    pub fn with_token(&self, token: impl Into<String>) -> Self {
        self.clone().token(token)
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
