//! Avatar groups: create (photo, digital twin, prompt), consent, get, list, delete.

use heygen_model::{
    AvatarGroup, AvatarGroupId, ConsentResponse, CreateAvatarRequest, CreateAvatarResponse,
    CreateConsentRequest, ListAvatarGroupsQuery,
};

use super::macros::{create_from_json, delete_by_id, get_by_id, json_by_id, list_page};

create_from_json! {
    /// `POST /v3/avatars`: creates a photo avatar, a digital twin or a prompt avatar.
    ///
    /// The output holds the new look (`avatar_item`, whose id is the `avatar_id` for videos) and its
    /// group (`avatar_group`, used for consent and waits).
    pub struct CreateAvatar => CreateAvatarResponse {
        /// Creates an avatar from `request`.
        new(request: impl Into<CreateAvatarRequest>);
        path: "/v3/avatars",
    }
}

json_by_id! {
    /// `POST /v3/avatars/{group_id}/consent`: asks for (or records) consent for a digital twin.
    ///
    /// With no options the body is `{}`. The output holds the group and, unless a consent video was
    /// given, the URL the person in the footage must visit.
    pub struct CreateConsent => ConsentResponse {
        /// Consent for `group_id` with `request`'s options.
        new(group_id: AvatarGroupId, request: CreateConsentRequest);
        POST "/v3/avatars/{group_id}/consent",
    }
}

get_by_id! {
    /// `GET /v3/avatars/{group_id}`: one avatar group, with its training and consent status.
    pub struct GetAvatarGroup => AvatarGroup {
        /// The group `group_id`.
        new;
        /// The group id.
        group_id: AvatarGroupId = "/v3/avatars/{group_id}",
    }
}

list_page! {
    /// `GET /v3/avatars`: one page of avatar groups (`limit` 1 to 50).
    pub struct ListAvatarGroups => AvatarGroup {
        query: ListAvatarGroupsQuery = "/v3/avatars",
    }
}

delete_by_id! {
    /// `DELETE /v3/avatars/{group_id}`: deletes a group and all its looks.
    pub struct DeleteAvatarGroup {
        /// Deletes `group_id`.
        new;
        group_id: AvatarGroupId = "/v3/avatars/{group_id}",
    }
}
