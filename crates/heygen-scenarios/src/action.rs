//! [`Action`]: one client call, with every id and path already resolved.

use serde::Serialize;

/// Parses an avatar group id.
///
/// # Errors
/// A validation error when the id breaks the id rules.
pub fn group_id(id: &str) -> Result<heygen_model::AvatarGroupId, heygen_core::Error> {
    heygen_model::AvatarGroupId::new(id).map_err(heygen_core::Error::from)
}

/// Parses a look id.
///
/// # Errors
/// A validation error when the id breaks the id rules.
pub fn look_id(id: &str) -> Result<heygen_model::LookId, heygen_core::Error> {
    heygen_model::LookId::new(id).map_err(heygen_core::Error::from)
}

/// Parses an asset id.
///
/// # Errors
/// A validation error when the id breaks the id rules.
pub fn asset_id(id: &str) -> Result<heygen_model::AssetId, heygen_core::Error> {
    heygen_model::AssetId::new(id).map_err(heygen_core::Error::from)
}

/// Parses a webhook endpoint id.
///
/// # Errors
/// A validation error when the id breaks the id rules.
pub fn endpoint_id(
    id: &str,
) -> Result<heygen_model::webhook::WebhookEndpointId, heygen_core::Error> {
    heygen_model::webhook::WebhookEndpointId::new(id).map_err(heygen_core::Error::from)
}

/// Parses a video id.
///
/// # Errors
/// A validation error when the id breaks the id rules.
pub fn video_id(id: &str) -> Result<heygen_model::VideoId, heygen_core::Error> {
    heygen_model::VideoId::new(id).map_err(heygen_core::Error::from)
}

/// What kind of avatar to create.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AvatarKind {
    /// A photo avatar (`type: photo`).
    Photo,
    /// A digital twin from footage (`type: digital_twin`).
    DigitalTwin,
}

/// Where an avatar's file comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FileInput {
    /// A public URL.
    Url(String),
    /// An uploaded asset id.
    AssetId(String),
}

impl FileInput {
    /// The model value.
    ///
    /// # Errors
    /// A validation error for an invalid asset id.
    pub fn to_model(&self) -> Result<heygen_model::AssetInput, heygen_core::Error> {
        Ok(match self {
            Self::Url(url) => heygen_model::AssetInput::url(url.clone()),
            Self::AssetId(id) => heygen_model::AssetInput::asset_id(asset_id(id)?),
        })
    }
}

/// An avatar to create with `POST /v3/avatars`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AvatarSpec {
    /// A photo avatar.
    Photo {
        /// Name.
        name: String,
        /// The photo.
        file: FileInput,
    },
    /// A digital twin.
    DigitalTwin {
        /// Name.
        name: String,
        /// The footage.
        file: FileInput,
    },
    /// A prompt avatar.
    Prompt {
        /// Name.
        name: String,
        /// The prompt (at most 1000 characters).
        prompt: String,
    },
}

impl AvatarSpec {
    /// The model request both clients send.
    ///
    /// # Errors
    /// A validation error for an invalid asset id.
    pub fn to_request(&self) -> Result<heygen_model::CreateAvatarRequest, heygen_core::Error> {
        Ok(match self {
            Self::Photo { name, file } => {
                heygen_model::CreatePhotoAvatar::new(name.clone(), file.to_model()?).into()
            }
            Self::DigitalTwin { name, file } => {
                heygen_model::CreateDigitalTwin::new(name.clone(), file.to_model()?).into()
            }
            Self::Prompt { name, prompt } => {
                heygen_model::CreatePromptAvatar::new(name.clone(), prompt.clone()).into()
            }
        })
    }
}

/// Query of a list call.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ListSpec {
    /// Page size.
    pub limit: Option<u32>,
    /// `public` or `private`.
    pub ownership: Option<String>,
    /// Looks only: the group.
    pub group_id: Option<String>,
    /// Looks only: `avatar_type` filter.
    pub avatar_type: Option<String>,
}

impl ListSpec {
    /// A query with only a page size.
    pub fn limit(limit: u32) -> Self {
        Self {
            limit: Some(limit),
            ..Self::default()
        }
    }

    /// Sets the ownership filter.
    #[must_use]
    pub fn ownership(mut self, ownership: &str) -> Self {
        self.ownership = Some(ownership.to_owned());
        self
    }

    /// The avatar group query.
    pub fn to_groups_query(&self) -> heygen_model::ListAvatarGroupsQuery {
        let mut q = heygen_model::ListAvatarGroupsQuery::new();
        if let Some(limit) = self.limit {
            q = q.limit(limit);
        }
        if let Some(o) = &self.ownership {
            q = q.ownership(heygen_model::Ownership::from_wire(o));
        }
        q
    }

    /// The looks query.
    ///
    /// # Errors
    /// A validation error for an invalid group id.
    pub fn to_looks_query(&self) -> Result<heygen_model::ListLooksQuery, heygen_core::Error> {
        let mut q = heygen_model::ListLooksQuery::new();
        if let Some(limit) = self.limit {
            q = q.limit(limit);
        }
        if let Some(o) = &self.ownership {
            q = q.ownership(heygen_model::Ownership::from_wire(o));
        }
        if let Some(g) = &self.group_id {
            q = q.group_id(group_id(g)?);
        }
        if let Some(t) = &self.avatar_type {
            q = q.avatar_type(heygen_model::AvatarType::from_wire(t));
        }
        Ok(q)
    }

    /// The webhook endpoints query.
    pub fn to_webhook_endpoints_query(&self) -> heygen_model::webhook::ListWebhookEndpointsQuery {
        let mut q = heygen_model::webhook::ListWebhookEndpointsQuery::new();
        if let Some(limit) = self.limit {
            q = q.limit(limit);
        }
        q
    }

    /// The videos query.
    pub fn to_videos_query(&self) -> heygen_model::ListVideosQuery {
        let mut q = heygen_model::ListVideosQuery::new();
        if let Some(limit) = self.limit {
            q = q.limit(limit);
        }
        q
    }
}

/// How a wait polls, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PollSpec {
    /// First interval between checks, in milliseconds.
    pub initial_ms: u64,
    /// Longest interval between checks, in milliseconds.
    pub max_ms: u64,
    /// Deadline of the whole wait, in milliseconds.
    pub deadline_ms: u64,
}

impl PollSpec {
    /// Fast polling (every 50 ms, at most 200 ms) with this deadline.
    pub fn fast(deadline_ms: u64) -> Self {
        Self {
            initial_ms: 50,
            max_ms: 200,
            deadline_ms,
        }
    }

    /// The core policy.
    pub fn to_policy(&self) -> heygen_core::PollPolicy {
        heygen_core::PollPolicy::new()
            .initial_interval(std::time::Duration::from_millis(self.initial_ms))
            .max_interval(std::time::Duration::from_millis(self.max_ms))
            .deadline(std::time::Duration::from_millis(self.deadline_ms))
    }
}

/// Which upload path a file upload takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum UploadMode {
    /// `POST /v3/assets` (multipart, at most 32 MB).
    Multipart,
    /// Direct upload: create, `PUT`, complete.
    Direct,
}

/// One client call. Ids are plain strings; paths are local files the runner wrote.
///
/// The `Ok` value each action produces ([`Action::run`], with the [`crate::Outcome`] helpers):
/// - single resources and create/delete responses: [`crate::Outcome::value`] of the model value;
/// - `…All` (every page): [`crate::Outcome::items`] of what the walk handed out;
/// - waits: [`crate::Outcome::waited`] with the state `completed` or `pending_consent`;
/// - [`Action::UploadFile`]: the value of [`crate::Outcome::value`] of the asset id (a string);
/// - [`Action::CreateAvatarFromFile`]: the value of [`crate::Outcome::avatar_from_file`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Action {
    /// `GET /v3/users/me`.
    GetCurrentUser,
    /// `POST /v3/avatars`.
    CreateAvatar(AvatarSpec),
    /// `GET /v3/avatars`, one page.
    ListAvatarGroups(ListSpec),
    /// `GET /v3/avatars`, every page (the client's iterator or stream).
    ListAvatarGroupsAll(ListSpec),
    /// `GET /v3/avatars/{group_id}`.
    GetAvatarGroup {
        /// Group id.
        group_id: String,
    },
    /// `DELETE /v3/avatars/{group_id}`.
    DeleteAvatarGroup {
        /// Group id.
        group_id: String,
    },
    /// `POST /v3/avatars/{group_id}/consent`.
    CreateConsent {
        /// Group id.
        group_id: String,
        /// Optional consent text.
        consent_text: Option<String>,
    },
    /// `GET /v3/avatars/looks`, one page.
    ListLooks(ListSpec),
    /// `GET /v3/avatars/looks`, every page.
    ListLooksAll(ListSpec),
    /// `GET /v3/avatars/looks/{look_id}`.
    GetLook {
        /// Look id.
        look_id: String,
    },
    /// `PATCH /v3/avatars/looks/{look_id}`.
    UpdateLook {
        /// Look id.
        look_id: String,
        /// New name.
        name: String,
    },
    /// `DELETE /v3/avatars/looks/{look_id}`.
    DeleteLook {
        /// Look id.
        look_id: String,
    },
    /// `POST /v3/assets/direct-uploads` only (no `PUT`, no complete).
    CreateDirectUpload {
        /// File name.
        filename: String,
        /// Media type.
        content_type: String,
        /// Exact size, in bytes.
        size_bytes: u64,
    },
    /// `POST /v3/assets/{asset_id}/complete` only.
    CompleteUpload {
        /// Asset id.
        asset_id: String,
    },
    /// Uploads a local file with the given path (multipart `POST /v3/assets`, or the whole
    /// direct-upload flow). `Ok` is the asset id.
    UploadFile {
        /// Local file path.
        path: String,
        /// Which flow.
        mode: UploadMode,
    },
    /// `create_avatar_from_file(kind, name, path)`: base64 below the client's threshold,
    /// multipart up to 32 MB, direct upload above.
    CreateAvatarFromFile {
        /// Kind.
        kind: AvatarKind,
        /// Name.
        name: String,
        /// Local file path.
        path: String,
        /// The inline-base64 threshold to configure, in bytes.
        inline_threshold: u64,
    },
    /// `POST /v3/videos` (avatar video).
    CreateVideo {
        /// The look id (`avatar_id`).
        avatar_id: String,
        /// Script.
        script: String,
        /// Optional title.
        title: Option<String>,
    },
    /// `GET /v3/videos`, one page.
    ListVideos(ListSpec),
    /// `GET /v3/videos`, every page.
    ListVideosAll(ListSpec),
    /// `GET /v3/videos/{video_id}`.
    GetVideo {
        /// Video id.
        video_id: String,
    },
    /// `DELETE /v3/videos/{video_id}`.
    DeleteVideo {
        /// Video id.
        video_id: String,
    },
    /// `wait_for_avatar(group_id)`.
    WaitForAvatar {
        /// Group id.
        group_id: String,
        /// Poll policy.
        poll: PollSpec,
    },
    /// `wait_for_consent(group_id)`.
    WaitForConsent {
        /// Group id.
        group_id: String,
        /// Poll policy.
        poll: PollSpec,
    },
    /// `wait_for_look(look_id)`.
    WaitForLook {
        /// Look id.
        look_id: String,
        /// Poll policy.
        poll: PollSpec,
    },
    /// `wait_for_video(video_id)`.
    WaitForVideo {
        /// Video id.
        video_id: String,
        /// Poll policy.
        poll: PollSpec,
    },
    /// `POST /v3/webhooks/endpoints`.
    CreateWebhookEndpoint {
        /// Where deliveries go.
        url: String,
        /// Event types (`None`: every event).
        events: Option<Vec<String>>,
    },
    /// `GET /v3/webhooks/endpoints`, one page.
    ListWebhookEndpoints(ListSpec),
    /// `GET /v3/webhooks/endpoints`, every page.
    ListWebhookEndpointsAll(ListSpec),
    /// `PATCH /v3/webhooks/endpoints/{endpoint_id}`.
    UpdateWebhookEndpoint {
        /// Endpoint id.
        endpoint_id: String,
        /// A new URL.
        url: Option<String>,
        /// The new event list.
        events: Option<Vec<String>>,
    },
    /// `DELETE /v3/webhooks/endpoints/{endpoint_id}`.
    DeleteWebhookEndpoint {
        /// Endpoint id.
        endpoint_id: String,
    },
    /// `POST /v3/webhooks/endpoints/{endpoint_id}/rotate-secret`.
    RotateWebhookSecret {
        /// Endpoint id.
        endpoint_id: String,
    },
    /// `GET /v3/webhooks/event-types`.
    ListWebhookEventTypes,
    /// `GET /v3/webhooks/events`, one page.
    ListWebhookEvents {
        /// Only this event type.
        event_type: Option<String>,
        /// Only events about this entity.
        entity_id: Option<String>,
        /// Page size.
        limit: Option<u32>,
    },
    /// `send(&RawJson)`: the escape hatch; `Ok` is the `data` member.
    Send {
        /// Method (`GET`, `POST`, …).
        method: String,
        /// Path (`/v3/…`), already encoded.
        path: String,
        /// JSON body.
        body: Option<serde_json::Value>,
    },
}

impl Action {
    /// Applies `f` to every id, name and path string, so the runner can substitute `${var}`.
    pub(crate) fn map_strings(&mut self, f: &mut dyn FnMut(&mut String)) {
        fn file(input: &mut FileInput, f: &mut dyn FnMut(&mut String)) {
            match input {
                FileInput::Url(s) | FileInput::AssetId(s) => f(s),
            }
        }
        fn list(spec: &mut ListSpec, f: &mut dyn FnMut(&mut String)) {
            if let Some(g) = &mut spec.group_id {
                f(g);
            }
        }
        match self {
            Self::GetCurrentUser | Self::ListWebhookEventTypes => {}
            Self::CreateAvatar(spec) => match spec {
                AvatarSpec::Photo { name, file: input }
                | AvatarSpec::DigitalTwin { name, file: input } => {
                    f(name);
                    file(input, f);
                }
                AvatarSpec::Prompt { name, prompt } => {
                    f(name);
                    f(prompt);
                }
            },
            Self::ListAvatarGroups(spec)
            | Self::ListAvatarGroupsAll(spec)
            | Self::ListLooks(spec)
            | Self::ListLooksAll(spec)
            | Self::ListVideos(spec)
            | Self::ListVideosAll(spec)
            | Self::ListWebhookEndpoints(spec)
            | Self::ListWebhookEndpointsAll(spec) => list(spec, f),
            Self::GetAvatarGroup { group_id }
            | Self::DeleteAvatarGroup { group_id }
            | Self::WaitForAvatar { group_id, .. }
            | Self::WaitForConsent { group_id, .. }
            | Self::CreateConsent { group_id, .. } => f(group_id),
            Self::GetLook { look_id }
            | Self::DeleteLook { look_id }
            | Self::WaitForLook { look_id, .. } => f(look_id),
            Self::UpdateLook { look_id, name } => {
                f(look_id);
                f(name);
            }
            Self::CreateDirectUpload { filename, .. } => f(filename),
            Self::CompleteUpload { asset_id } => f(asset_id),
            Self::UploadFile { path, .. } | Self::Send { path, .. } => f(path),
            Self::CreateAvatarFromFile { name, path, .. } => {
                f(name);
                f(path);
            }
            Self::CreateVideo { avatar_id, .. } => f(avatar_id),
            Self::GetVideo { video_id }
            | Self::DeleteVideo { video_id }
            | Self::WaitForVideo { video_id, .. } => f(video_id),
            Self::CreateWebhookEndpoint { url, .. } => f(url),
            Self::UpdateWebhookEndpoint {
                endpoint_id, url, ..
            } => {
                f(endpoint_id);
                if let Some(url) = url {
                    f(url);
                }
            }
            Self::DeleteWebhookEndpoint { endpoint_id }
            | Self::RotateWebhookSecret { endpoint_id } => f(endpoint_id),
            Self::ListWebhookEvents { entity_id, .. } => {
                if let Some(id) = entity_id {
                    f(id);
                }
            }
        }
    }
}
