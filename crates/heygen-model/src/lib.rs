//! Request and response types for the HeyGen v3 API, with client-side validation.
//!
//! This crate does no IO: it holds serde types, id newtypes, open enums and validation
//! functions. Responses that HeyGen wraps in `{"data": …}` are modelled as the inner value;
//! list endpoints are [`ListPage`]s.
//!
//! - Ids are one newtype per resource ([`AvatarGroupId`], [`LookId`], …), so a group id cannot
//!   be passed where a look id is needed.
//! - Enums are open: unknown strings decode to `Unknown(String)` and encode back unchanged.
//! - Optional request fields are omitted when unset; `null` and absent response fields both
//!   decode to `None`.
//! - Every request has `validate()`; the rules and limits live in [`validate`].
//! - `Debug` never prints presigned URL queries ([`PresignedUrl`]) or base64 payloads
//!   ([`Base64Data`]); [`secret::redact_url_queries`] cleans arbitrary text.
//! - OAuth answers (token, error, device authorization) and the redacting token newtypes
//!   ([`oauth::AccessToken`], [`oauth::RefreshToken`], …) are in [`oauth`].
//!
//! ```
//! use heygen_model::{AssetInput, CreateAvatarRequest, CreateDigitalTwin, CreateAvatarVideo,
//!     CreateVideoRequest, LookId, ListPage, Look};
//!
//! // Build and check a request; unset options never appear in the JSON.
//! let twin = CreateAvatarRequest::DigitalTwin(CreateDigitalTwin::new(
//!     "Twin A",
//!     AssetInput::url("https://example.com/footage.mp4"),
//! ));
//! twin.validate()?;
//! assert_eq!(
//!     serde_json::to_string(&twin)?,
//!     r#"{"type":"digital_twin","name":"Twin A","file":{"type":"url","url":"https://example.com/footage.mp4"}}"#,
//! );
//!
//! // A video takes a look id, never a group id.
//! let video: CreateVideoRequest =
//!     CreateAvatarVideo::new(LookId::new("look_0001")?).script("Hello").into();
//! video.validate()?;
//!
//! // Responses tolerate nulls, missing fields and new enum values.
//! let page: ListPage<Look> = serde_json::from_str(
//!     r#"{"data":[{"id":"look_0001","name":"A","avatar_type":"hologram","tags":null}]}"#,
//! )?;
//! assert_eq!(page.data[0].avatar_type.as_str(), "hologram");
//! assert!(!page.has_more());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod asset;
pub mod avatar;
pub mod batch;
pub mod enums;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod ids;
pub mod list;
mod macros;
mod num;
pub mod oauth;
pub mod secret;
#[cfg(feature = "proptest")]
pub mod strategies;
pub mod time;
pub mod user;
pub mod validate;
pub mod video;
pub mod voice;
pub mod webhook;

pub use asset::{
    Asset, AssetDetails, AssetFolder, AssetInput, AssetProcessingStatus, AssetStatusEntry,
    AssetStatusesQuery, AssetType, CompleteUploadBatchRequest, CompleteUploadRequest,
    CompletedUpload, CompletedUploadBatch, CreateDirectUploadRequest, CreateUploadBatchRequest,
    DirectUpload, ListAssetsQuery, UploadBatch, UploadHeaders,
};
pub use avatar::{
    AvatarGroup, ConsentResponse, CreateAvatarRequest, CreateAvatarResponse, CreateConsentRequest,
    CreateDigitalTwin, CreatePhotoAvatar, CreatePromptAvatar, ListAvatarGroupsQuery,
    ListLooksQuery, Look, MissingField, UpdateLookRequest,
};
pub use batch::{AssetBatch, Batch, BatchItem, BatchPageQuery, VideoBatch};
pub use enums::{
    AspectRatio, AvatarStatus, AvatarType, BackgroundType, BatchItemStatus, BatchStatus,
    BillingType, CaptionFormat, CaptionStyle, ConsentStatus, Currency, Expressiveness, Fit,
    Orientation, OutputFormat, Ownership, Plan, Resolution, UploadStatus, VideoEngine,
    VideoLookupStatus, VideoStatus, VoiceEngineType, VoiceModel, WatermarkPosition,
};
pub use error::{ApiErrorBody, ApiErrorCode, ErrorCode, ResourceError};
pub use ids::{
    AssetId, AvatarGroupId, BatchId, FolderId, IdempotencyKey, LookId, VideoId, VoiceId,
};
pub use list::{DeletedResource, ListPage};
pub use secret::{Base64Data, PresignedUrl};
pub use time::{Seconds, Timestamp};
pub use user::User;
pub use validate::{Rule, ValidationError};
pub use video::{
    AvatarSceneInput, Background, Caption, CreateAvatarVideo, CreateCinematicVideo,
    CreateImageVideo, CreateStudioVideo, CreateVideoBatchRequest, CreateVideoBatchResponse,
    CreateVideoRequest, CreateVideoResponse, EngineConfig, ImageScene, ImageSceneInput,
    ListVideosQuery, Playback, SceneBackground, SceneInput, StudioScene, Video, VideoScene,
    VideoStatusEntry, VideoStatusesQuery, VoiceEngineSettings, VoiceSettings, Watermark,
    WatermarkPlacement,
};
pub use voice::{
    CloneVoiceRequest, DeletedVoice, DesignVoiceRequest, DesignedVoices, ListVoicesQuery, Speech,
    SpeechInputType, SpeechRequest, Voice, VoiceClone, VoiceCloneStatus, VoiceDetails, VoiceGender,
    VoiceType, WordTimestamp,
};
