//! One operation per endpoint.
//!
//! Each operation is a plain value built from the model's request types; see [`crate::Operation`]
//! for the protocol and [`crate::Call`] for how transports send them. Mutations take an optional
//! caller-chosen [`heygen_model::IdempotencyKey`]; without one, [`crate::Call`] generates a key.

mod assets;
mod avatars;
mod looks;
mod macros;
mod raw;
mod support;
mod users;
mod videos;
mod voices;
mod webhooks;

pub use crate::upload::DirectUploadPut;
pub use assets::{
    CompleteUpload, CompleteUploadBatch, CreateDirectUpload, CreateUploadBatch, DeleteAsset,
    GetAsset, GetAssetBatch, GetAssetStatuses, ListAssets, UploadAsset,
};
pub use avatars::{
    CreateAvatar, CreateConsent, DeleteAvatarGroup, GetAvatarGroup, ListAvatarGroups,
};
pub use looks::{DeleteLook, GetLook, ListLooks, UpdateLook};
pub use raw::RawJson;
pub use users::GetCurrentUser;
pub use videos::{
    CreateVideo, CreateVideoBatch, DeleteVideo, GetVideo, GetVideoBatch, GetVideoStatuses,
    ListVideos,
};
pub use voices::{CloneVoice, CreateSpeech, DeleteVoice, DesignVoice, GetVoice, ListVoices};
pub use webhooks::{
    CreateWebhookEndpoint, DeleteWebhookEndpoint, ListWebhookEndpoints, ListWebhookEventTypes,
    ListWebhookEvents, RotateWebhookSecret, UpdateWebhookEndpoint,
};
