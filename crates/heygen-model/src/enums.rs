//! Open enums. Unknown wire values decode to `Unknown(String)` and encode back unchanged, so a
//! new server value never breaks a whole response.

use crate::macros::open_enum;

/// What every open enum in this crate has in common; used by generic helpers such as the
/// proptest strategies.
pub trait OpenEnum: Sized + Clone + 'static {
    /// Every known variant.
    fn known() -> &'static [Self];
    /// The `Unknown` variant holding `text`. `text` must not be a known wire string or alias.
    fn unknown(text: String) -> Self;
}

open_enum! {
    /// The kind of a look (`avatar_type`).
    pub enum AvatarType {
        /// A photo avatar.
        PhotoAvatar = "photo_avatar",
        /// A digital twin trained on footage; also read from the older `video_avatar` and
        /// `video`.
        DigitalTwin = "digital_twin" | "video_avatar" | "video",
        /// A studio avatar.
        StudioAvatar = "studio_avatar",
    }
}

open_enum! {
    /// Training state of an avatar group or look.
    pub enum AvatarStatus {
        /// Training is running.
        Processing = "processing",
        /// Waiting for the person in the footage to give consent.
        PendingConsent = "pending_consent",
        /// Training failed; see the resource's `error`.
        Failed = "failed",
        /// Ready to use.
        Completed = "completed",
    }
}

impl AvatarStatus {
    /// Whether training has finished, successfully or not.
    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::Completed | Self::Failed)
    }
}

open_enum! {
    /// Consent state of an avatar group. On the wire a `null` means consent is not required;
    /// fields of this type are `Option<ConsentStatus>` with `None` for that case.
    pub enum ConsentStatus {
        /// Consent was requested and not yet given.
        Pending = "pending",
        /// Consent was given.
        Approved = "approved",
        /// Consent was refused.
        Declined = "declined" | "rejected",
    }
}

open_enum! {
    /// Status of a video.
    ///
    /// An unknown value (`Unknown`) is never success: a wait treats it as not final (as the
    /// reference advises for values outside its list) and keeps polling until a known final
    /// value or its deadline, whose error names the unknown value.
    pub enum VideoStatus {
        /// Accepted, not yet queued.
        Pending = "pending",
        /// Queued behind other jobs.
        Waiting = "waiting",
        /// Rendering.
        Processing = "processing",
        /// Finished; the video URL is available.
        Completed = "completed",
        /// Rendering failed.
        Failed = "failed",
        /// Rendering failed (the official CLI reads `error` as a failure too).
        Error = "error",
    }
}

impl VideoStatus {
    /// Whether the video has finished, successfully or not. Unknown values are not terminal.
    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::Completed | Self::Failed | Self::Error)
    }

    /// Whether rendering failed (`failed` or `error`).
    pub fn is_failure(&self) -> bool {
        matches!(self, Self::Failed | Self::Error)
    }
}

open_enum! {
    /// Whether to list public (HeyGen's) or private (your own) avatars.
    pub enum Ownership {
        /// Avatars HeyGen provides.
        Public = "public",
        /// Avatars you created.
        Private = "private",
    }
}

open_enum! {
    /// Preferred framing of a look.
    pub enum Orientation {
        /// Taller than wide.
        Portrait = "portrait",
        /// Wider than tall.
        Landscape = "landscape",
        /// Square.
        Square = "square",
    }
}

open_enum! {
    /// Output aspect ratio of a video.
    pub enum AspectRatio {
        /// 16:9 landscape.
        Landscape16x9 = "16:9",
        /// 9:16 portrait.
        Portrait9x16 = "9:16",
        /// 4:5 portrait.
        Portrait4x5 = "4:5",
        /// 5:4 landscape.
        Landscape5x4 = "5:4",
        /// 1:1 square.
        Square = "1:1",
        /// Chosen from the input.
        Auto = "auto",
    }
}

open_enum! {
    /// Output resolution of a video.
    pub enum Resolution {
        /// 3840×2160 pixels.
        Uhd4k = "4k",
        /// 1920×1080 pixels.
        Fhd1080p = "1080p",
        /// 1280×720 pixels.
        Hd720p = "720p",
    }
}

open_enum! {
    /// The avatar rendering engine.
    pub enum VideoEngine {
        /// Avatar III.
        AvatarIii = "avatar_iii",
        /// Avatar IV.
        AvatarIv = "avatar_iv",
        /// Avatar V.
        AvatarV = "avatar_v",
    }
}

open_enum! {
    /// Container format of a rendered video.
    pub enum OutputFormat {
        /// MP4.
        Mp4 = "mp4",
        /// WebM (keeps transparency).
        Webm = "webm",
    }
}

open_enum! {
    /// How much the avatar moves and emotes.
    pub enum Expressiveness {
        /// Most movement.
        High = "high",
        /// Moderate movement.
        Medium = "medium",
        /// Least movement.
        Low = "low",
    }
}

open_enum! {
    /// How an image is fitted into the frame.
    pub enum Fit {
        /// Whole image visible, letterboxed.
        Contain = "contain",
        /// Frame filled, image cropped.
        Cover = "cover",
    }
}

open_enum! {
    /// Kind of a video background.
    pub enum BackgroundType {
        /// A solid color in `value`.
        Color = "color",
        /// An image from `url` or `asset_id`.
        Image = "image",
    }
}

open_enum! {
    /// State of an uploaded asset.
    pub enum UploadStatus {
        /// The direct upload was created; the bytes are not there yet.
        PendingUpload = "pending_upload",
        /// The bytes are being processed.
        Processing = "processing",
        /// The asset is ready to use.
        Completed = "completed" | "complete",
        /// The asset is ready to use.
        Ready = "ready",
        /// The upload failed.
        Failed = "failed",
    }
}

open_enum! {
    /// How the account is billed.
    pub enum BillingType {
        /// Prepaid wallet.
        Wallet = "wallet",
        /// Subscription plan.
        Subscription = "subscription",
        /// Pay per use.
        UsageBased = "usage_based",
    }
}

open_enum! {
    /// Subscription plan.
    pub enum Plan {
        /// Free plan.
        Free = "free",
        /// Starter plan.
        Starter = "starter",
        /// Creator plan.
        Creator = "creator",
        /// Pro plan.
        Pro = "pro",
        /// Team plan.
        Team = "team",
        /// Enterprise plan.
        Enterprise = "enterprise",
        /// Business Plus plan.
        BusinessPlus = "business_plus",
    }
}

open_enum! {
    /// Currency of a wallet balance.
    pub enum Currency {
        /// US dollars.
        Usd = "usd",
        /// HeyGen credits.
        Credits = "credits",
    }
}

open_enum! {
    /// Subtitle file format.
    pub enum CaptionFormat {
        /// SubRip.
        Srt = "srt",
    }
}

open_enum! {
    /// Subtitle style.
    pub enum CaptionStyle {
        /// HeyGen's default style.
        Default = "default",
    }
}

open_enum! {
    /// Corner a watermark is anchored to.
    pub enum WatermarkPosition {
        /// Top left.
        TopLeft = "top_left",
        /// Top right.
        TopRight = "top_right",
        /// Bottom left.
        BottomLeft = "bottom_left",
        /// Bottom right.
        BottomRight = "bottom_right",
    }
}

open_enum! {
    /// Text-to-speech provider of a voice.
    pub enum VoiceEngineType {
        /// ElevenLabs.
        Elevenlabs = "elevenlabs",
        /// Fish.
        Fish = "fish",
        /// Starfish.
        Starfish = "starfish",
    }
}

open_enum! {
    /// Aggregate status of a batch, derived from its items.
    pub enum BatchStatus {
        /// Some items are not finished.
        Processing = "processing",
        /// Every item finished and at least one completed.
        Completed = "completed",
        /// Every item finished and the batch failed.
        Failed = "failed",
    }
}

open_enum! {
    /// Status of one item of a batch.
    ///
    /// An unknown value is not terminal: a batch wait keeps polling until a known final value
    /// or its deadline.
    pub enum BatchItemStatus {
        /// Accepted, not started.
        Queued = "queued",
        /// Being created.
        Processing = "processing",
        /// Finished; the item's id is set.
        Completed = "completed",
        /// Failed; see the item's `error`.
        Failed = "failed",
    }
}

impl BatchItemStatus {
    /// Whether the item has finished, successfully or not. Unknown values are not terminal.
    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::Completed | Self::Failed)
    }
}

open_enum! {
    /// Text-to-speech model of a voice provider (`voice_settings.engine_settings.model`).
    pub enum VoiceModel {
        /// ElevenLabs multilingual v2.
        ElevenMultilingualV2 = "eleven_multilingual_v2",
        /// ElevenLabs turbo v2.5.
        ElevenTurboV2_5 = "eleven_turbo_v2_5",
        /// ElevenLabs flash v2.5.
        ElevenFlashV2_5 = "eleven_flash_v2_5",
        /// ElevenLabs v3.
        ElevenV3 = "eleven_v3",
        /// Fish S1 (Fish's default).
        S1 = "s1",
        /// Fish S2 Pro.
        S2Pro = "s2-pro",
    }
}

impl VoiceModel {
    /// The provider this model belongs to; `None` for an unknown model.
    pub fn engine(&self) -> Option<VoiceEngineType> {
        match self {
            Self::ElevenMultilingualV2
            | Self::ElevenTurboV2_5
            | Self::ElevenFlashV2_5
            | Self::ElevenV3 => Some(VoiceEngineType::Elevenlabs),
            Self::S1 | Self::S2Pro => Some(VoiceEngineType::Fish),
            Self::Unknown(_) => None,
        }
    }
}

impl From<&str> for VoiceModel {
    fn from(value: &str) -> Self {
        Self::from_wire(value)
    }
}

open_enum! {
    /// Status of one entry of `GET /v3/videos/statuses`: a video status, a batch item status, or
    /// `not_found` for an id that is unknown or not yours.
    pub enum VideoLookupStatus {
        /// A batch item not started yet.
        Queued = "queued",
        /// Accepted, not yet queued.
        Pending = "pending",
        /// Queued behind other jobs.
        Waiting = "waiting",
        /// Rendering.
        Processing = "processing",
        /// Finished.
        Completed = "completed",
        /// Failed.
        Failed = "failed",
        /// Failed (read like `failed`).
        Error = "error",
        /// The id is unknown or belongs to someone else.
        NotFound = "not_found",
    }
}

impl VideoLookupStatus {
    /// Whether the entry is final: finished, failed, or not found. Unknown values are not.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            Self::Completed | Self::Failed | Self::Error | Self::NotFound
        )
    }
}
