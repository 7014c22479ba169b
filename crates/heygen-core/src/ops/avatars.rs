//! Avatar groups: create (photo, digital twin, prompt), consent, get, list, delete.

use bytes::Bytes;
use http::{Method, Request, Response};

use heygen_model::{
    AvatarGroup, AvatarGroupId, ConsentResponse, CreateAvatarRequest, CreateAvatarResponse,
    CreateConsentRequest, IdempotencyKey, ListAvatarGroupsQuery,
};

use super::macros::{create_from_json, delete_by_id, get_by_id, list_page};
use super::support::{data, key_str};
use crate::config::Config;
use crate::error::Error;
use crate::operation::{Operation, api_request, encode_path_param, json_body};

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

/// `POST /v3/avatars/{group_id}/consent`: asks for (or records) consent for a digital twin.
///
/// With no options the body is `{}`. The output holds the group and, unless a consent video was
/// given, the URL the person in the footage must visit.
#[derive(Debug, Clone)]
pub struct CreateConsent {
    group_id: AvatarGroupId,
    request: CreateConsentRequest,
    idempotency_key: Option<IdempotencyKey>,
}

impl CreateConsent {
    /// Consent for `group_id` with `request`'s options.
    pub fn new(group_id: AvatarGroupId, request: CreateConsentRequest) -> Self {
        Self {
            group_id,
            request,
            idempotency_key: None,
        }
    }

    /// Uses this idempotency key instead of a generated one.
    #[must_use]
    pub fn idempotency_key(mut self, key: IdempotencyKey) -> Self {
        self.idempotency_key = Some(key);
        self
    }
}

impl Operation for CreateConsent {
    type Output = ConsentResponse;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path_template(&self) -> &'static str {
        "/v3/avatars/{group_id}/consent"
    }

    fn idempotency_key(&self) -> Option<&str> {
        key_str(self.idempotency_key.as_ref())
    }

    fn build(&self, config: &Config) -> Result<Request<Bytes>, Error> {
        self.request.validate()?;
        let id = encode_path_param("group_id", self.group_id.as_str())?;
        api_request(
            config,
            Method::POST,
            &format!("/v3/avatars/{id}/consent"),
            self.idempotency_key(),
            json_body(&self.request)?,
        )
    }

    fn parse(&self, response: Response<&[u8]>) -> Result<Self::Output, Error> {
        data(&Method::POST, self.path_template(), &response)
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
