//! Avatars: `POST /v3/avatars` (photo, digital twin, prompt), consent
//! (`POST /v3/avatars/{group_id}/consent`), avatar groups (`GET /v3/avatars`,
//! `GET`/`DELETE /v3/avatars/{group_id}`) and looks (`GET /v3/avatars/looks`,
//! `GET`/`PATCH`/`DELETE /v3/avatars/looks/{look_id}`).

use core::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::asset::AssetInput;
use crate::enums::{AvatarStatus, AvatarType, ConsentStatus, Orientation, Ownership, VideoEngine};
use crate::error::ResourceError;
use crate::ids::{AvatarGroupId, LookId, VoiceId};
use crate::macros::{option_setters, page_cursor_setters, request_union};
use crate::secret::PresignedUrl;
use crate::time::Timestamp;
use crate::validate::{self, ValidationError};

/// Decodes `null` as the type's default (an empty list, for example).
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

request_union! {
    /// `POST /v3/avatars` request, a union on `type`.
    ///
    /// Always writes `"type":"digital_twin"` for digital twins; reads the older `"video"` too.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
    #[serde(tag = "type")]
    #[non_exhaustive]
    pub enum CreateAvatarRequest {
        /// A photo avatar from one image (`"type":"photo"`).
        #[serde(rename = "photo")]
        Photo(CreatePhotoAvatar),
        /// A digital twin from footage (`"type":"digital_twin"`).
        #[serde(rename = "digital_twin", alias = "video")]
        DigitalTwin(CreateDigitalTwin),
        /// An avatar generated from a text prompt (`"type":"prompt"`).
        #[serde(rename = "prompt")]
        Prompt(CreatePromptAvatar),
    }
}

macro_rules! file_avatar {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
        #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
        #[non_exhaustive]
        pub struct $name {
            /// Display name of the avatar.
            pub name: String,
            /// The source file.
            pub file: AssetInput,
            /// Adds the new look to this existing group instead of creating a group.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub avatar_group_id: Option<AvatarGroupId>,
        }

        impl $name {
            /// A request named `name` from `file`.
            pub fn new(name: impl Into<String>, file: AssetInput) -> Self {
                Self { name: name.into(), file, avatar_group_id: None }
            }

            /// Adds the look to an existing avatar group.
            #[must_use]
            pub fn avatar_group_id(mut self, group: AvatarGroupId) -> Self {
                self.avatar_group_id = Some(group);
                self
            }

            /// Checks the file and the group id. The name is not checked: the reference sets
            /// no rule for it beyond being a string, so the server decides.
            ///
            /// # Errors
            /// The first [`ValidationError`] found.
            pub fn validate(&self) -> Result<(), ValidationError> {
                self.file.validate().map_err(|e| e.within("file"))?;
                if let Some(group) = &self.avatar_group_id {
                    validate::validate_id("avatar_group_id", group.as_str())?;
                }
                Ok(())
            }
        }
    };
}

file_avatar!(
    /// A photo avatar from one image.
    CreatePhotoAvatar
);
file_avatar!(
    /// A digital twin trained on footage of a person; needs their consent.
    CreateDigitalTwin
);

/// An avatar generated from a text prompt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct CreatePromptAvatar {
    /// Display name of the avatar.
    pub name: String,
    /// Description of the avatar, 1 to [`MAX_PROMPT_CHARS`](validate::MAX_PROMPT_CHARS)
    /// characters.
    pub prompt: String,
    /// Up to [`MAX_REFERENCE_IMAGES`](validate::MAX_REFERENCE_IMAGES) images to guide the look.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_as_default"
    )]
    pub reference_images: Vec<AssetInput>,
    /// A look to start from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar_id: Option<LookId>,
    /// Adds the new look to this existing group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar_group_id: Option<AvatarGroupId>,
}

impl CreatePromptAvatar {
    /// A request named `name` from `prompt`.
    pub fn new(name: impl Into<String>, prompt: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            prompt: prompt.into(),
            reference_images: Vec::new(),
            avatar_id: None,
            avatar_group_id: None,
        }
    }

    /// Sets the reference images.
    #[must_use]
    pub fn reference_images(mut self, images: Vec<AssetInput>) -> Self {
        self.reference_images = images;
        self
    }

    option_setters! {
        /// Sets the look to start from.
        avatar_id(look: LookId);
        /// Adds the look to an existing avatar group.
        avatar_group_id(group: AvatarGroupId);
    }

    /// Checks the prompt length, the number of reference images and each image. The name is
    /// not checked (the reference sets no rule for it).
    ///
    /// # Errors
    /// The first [`ValidationError`] found.
    pub fn validate(&self) -> Result<(), ValidationError> {
        validate::validate_prompt(&self.prompt)?;
        validate::validate_reference_image_count(self.reference_images.len())?;
        for (i, image) in self.reference_images.iter().enumerate() {
            image
                .validate()
                .map_err(|e| e.within(&format!("reference_images[{i}]")))?;
        }
        if let Some(look) = &self.avatar_id {
            validate::validate_id("avatar_id", look.as_str())?;
        }
        if let Some(group) = &self.avatar_group_id {
            validate::validate_id("avatar_group_id", group.as_str())?;
        }
        Ok(())
    }
}

/// `POST /v3/avatars/{group_id}/consent` request. With nothing set it encodes as `{}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct CreateConsentRequest {
    /// Where to send the person after they give consent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reroute_url: Option<String>,
    /// Plain text shown to the person; `<` and `>` are not allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_text: Option<String>,
    /// A recorded consent statement; cannot be combined with the other two fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_video: Option<AssetInput>,
}

impl CreateConsentRequest {
    /// An empty request (`{}`).
    pub fn new() -> Self {
        Self::default()
    }

    option_setters! {
        /// Sets the redirect URL.
        reroute_url(url: impl Into<String>) => into;
        /// Sets the consent text.
        consent_text(text: impl Into<String>) => into;
        /// Sets a consent video.
        consent_video(video: AssetInput);
    }

    /// Checks the fields and that `consent_video` is not combined with the others.
    ///
    /// # Errors
    /// The first [`ValidationError`] found.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if let Some(video) = &self.consent_video {
            if self.reroute_url.is_some() {
                return Err(ValidationError::new(
                    "consent_video",
                    validate::Rule::Conflict {
                        other: "reroute_url",
                    },
                ));
            }
            if self.consent_text.is_some() {
                return Err(ValidationError::new(
                    "consent_video",
                    validate::Rule::Conflict {
                        other: "consent_text",
                    },
                ));
            }
            video.validate().map_err(|e| e.within("consent_video"))?;
        }
        if let Some(url) = &self.reroute_url {
            validate::validate_http_url("reroute_url", url)?;
        }
        if let Some(text) = &self.consent_text {
            validate::validate_consent_text(text)?;
        }
        Ok(())
    }
}

/// `PATCH /v3/avatars/looks/{look_id}` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct UpdateLookRequest {
    /// New display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl UpdateLookRequest {
    /// An empty request (`{}`).
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the new name.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Checks the request. Nothing can be wrong today: the reference sets no rule for the name
    /// beyond being a string (an empty name is left to the server); kept so every request has a
    /// `validate`.
    ///
    /// # Errors
    /// None today.
    pub fn validate(&self) -> Result<(), ValidationError> {
        Ok(())
    }
}

/// `GET /v3/avatars` query.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct ListAvatarGroupsQuery {
    /// Public or private groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ownership: Option<Ownership>,
    /// Page size, 1 to [`MAX_AVATAR_PAGE_LIMIT`](validate::MAX_AVATAR_PAGE_LIMIT).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Cursor from the previous page's `next_token`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

/// `GET /v3/avatars/looks` query.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct ListLooksQuery {
    /// Only looks of this group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<AvatarGroupId>,
    /// Only looks of this kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar_type: Option<AvatarType>,
    /// Public or private looks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ownership: Option<Ownership>,
    /// Page size, 1 to [`MAX_AVATAR_PAGE_LIMIT`](validate::MAX_AVATAR_PAGE_LIMIT).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Cursor from the previous page's `next_token`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

impl ListAvatarGroupsQuery {
    /// An empty query (server defaults).
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the ownership filter.
    #[must_use]
    pub fn ownership(mut self, ownership: Ownership) -> Self {
        self.ownership = Some(ownership);
        self
    }

    page_cursor_setters!(with_token);

    /// Query pairs in a fixed order, not yet percent-encoded; unset fields are left out.
    pub fn to_query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(v) = &self.ownership {
            pairs.push(("ownership", v.as_str().to_owned()));
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
    /// [`Rule::OutOfRange`](validate::Rule::OutOfRange) on `limit`.
    pub fn validate(&self) -> Result<(), ValidationError> {
        validate::validate_page_limit(self.limit, validate::MAX_AVATAR_PAGE_LIMIT)?;
        Ok(())
    }
}

impl ListLooksQuery {
    /// An empty query (server defaults).
    pub fn new() -> Self {
        Self::default()
    }

    option_setters! {
        /// Only looks of this group.
        group_id(group: AvatarGroupId);
        /// Only looks of this kind.
        avatar_type(avatar_type: AvatarType);
        /// Sets the ownership filter.
        ownership(ownership: Ownership);
    }

    page_cursor_setters!(with_token);

    /// Query pairs in a fixed order, not yet percent-encoded; unset fields are left out.
    pub fn to_query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(v) = &self.group_id {
            pairs.push(("group_id", v.as_str().to_owned()));
        }
        if let Some(v) = &self.avatar_type {
            pairs.push(("avatar_type", v.as_str().to_owned()));
        }
        if let Some(v) = &self.ownership {
            pairs.push(("ownership", v.as_str().to_owned()));
        }
        if let Some(v) = self.limit {
            pairs.push(("limit", v.to_string()));
        }
        if let Some(v) = &self.token {
            pairs.push(("token", v.clone()));
        }
        pairs
    }

    /// Checks the limit and the group id.
    ///
    /// # Errors
    /// The first [`ValidationError`] found.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if let Some(group) = &self.group_id {
            validate::validate_id("group_id", group.as_str())?;
        }
        validate::validate_page_limit(self.limit, validate::MAX_AVATAR_PAGE_LIMIT)?;
        Ok(())
    }
}

/// A look: one appearance of an avatar. Its `id` is the `avatar_id` for `POST /v3/videos`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct Look {
    /// Look id.
    pub id: LookId,
    /// Display name. Empty when the server sends `null` or leaves it out: a name is display
    /// text only (nothing is looked up by it), so an empty string says "unnamed" without an
    /// `Option` at every use.
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    /// Kind of avatar.
    pub avatar_type: AvatarType,
    /// The group this look belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<AvatarGroupId>,
    /// Training state (private avatars only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<AvatarStatus>,
    /// Why training failed, when `status` is `failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ResourceError>,
    /// Voice used when a video sets none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_voice_id: Option<VoiceId>,
    /// Gender label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    /// Preview image width in pixels.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::num::opt_number"
    )]
    pub image_width: Option<u32>,
    /// Preview image height in pixels.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::num::opt_number"
    )]
    pub image_height: Option<u32>,
    /// Preferred framing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_orientation: Option<Orientation>,
    /// Preview image URL; `Debug` hides its query, which may be a signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview_image_url: Option<PresignedUrl>,
    /// Preview video URL; `Debug` hides its query, which may be a signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview_video_url: Option<PresignedUrl>,
    /// Engines that can render this look.
    #[serde(default, deserialize_with = "null_as_default")]
    pub supported_api_engines: Vec<VideoEngine>,
    /// Tags.
    #[serde(default, deserialize_with = "null_as_default")]
    pub tags: Vec<String>,
}

/// An avatar group: one identity that owns looks. Its `id` is used for consent and for group
/// get/delete; it is not a look id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct AvatarGroup {
    /// Group id.
    pub id: AvatarGroupId,
    /// Display name. Empty when the server sends `null` or leaves it out: a name is display
    /// text only (nothing is looked up by it), so an empty string says "unnamed" without an
    /// `Option` at every use.
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    /// When the group was created; `None` when the server sends `null` or leaves it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// Number of looks in the group; `None` when the server sends `null` or leaves it out (not
    /// zero: an unknown count is not an empty group).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::num::opt_number"
    )]
    pub looks_count: Option<u32>,
    /// Training state (private avatars only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<AvatarStatus>,
    /// Consent state; `None` means consent is not required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_status: Option<ConsentStatus>,
    /// Why training failed, when `status` is `failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ResourceError>,
    /// Voice used when a video sets none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_voice_id: Option<VoiceId>,
    /// Gender label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    /// Preview image URL; `Debug` hides its query, which may be a signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview_image_url: Option<PresignedUrl>,
    /// Preview video URL; `Debug` hides its query, which may be a signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview_video_url: Option<PresignedUrl>,
}

/// `POST /v3/avatars` response (inside `data`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct CreateAvatarResponse {
    /// The new look; its id is the `avatar_id` for videos.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar_item: Option<Look>,
    /// The group the look belongs to; its id is used for consent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar_group: Option<AvatarGroup>,
}

impl CreateAvatarResponse {
    /// The new look's id: the `avatar_id` for `POST /v3/videos`.
    ///
    /// # Errors
    /// [`MissingField`] (`avatar_item`) when the response carried no look.
    pub fn look_id(&self) -> Result<&LookId, MissingField> {
        self.avatar_item
            .as_ref()
            .map(|look| &look.id)
            .ok_or(MissingField("avatar_item"))
    }

    /// The id of the new look's avatar group (for consent and waits): the group's own id, or
    /// else the look's `group_id`.
    ///
    /// # Errors
    /// [`MissingField`] (`avatar_group`) when the response names no group.
    pub fn group_id(&self) -> Result<&AvatarGroupId, MissingField> {
        self.avatar_group
            .as_ref()
            .map(|group| &group.id)
            .or_else(|| self.avatar_item.as_ref()?.group_id.as_ref())
            .ok_or(MissingField("avatar_group"))
    }
}

/// A response lacked a member the caller asked for (the field's name inside `data`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MissingField(pub &'static str);

impl fmt::Display for MissingField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the response has no `{}`", self.0)
    }
}

impl std::error::Error for MissingField {}

/// `POST /v3/avatars/{group_id}/consent` response (inside `data`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct ConsentResponse {
    /// The group, with its updated consent state.
    pub avatar_group: AvatarGroup,
    /// Page the person in the footage must visit; absent when a consent video was sent. `Debug`
    /// hides its query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<PresignedUrl>,
}
