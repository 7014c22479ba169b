//! Avatar groups: create (photo, digital twin, prompt), consent, get, list, delete.

use bytes::Bytes;
use http::{Method, Request, Response};

use heygen_model::{
    AvatarGroup, AvatarGroupId, ConsentResponse, CreateAvatarRequest, CreateAvatarResponse,
    CreateConsentRequest, DeletedResource, IdempotencyKey, ListAvatarGroupsQuery, ListPage,
};

use super::support::{data, deleted, key_str, page};
use crate::config::Config;
use crate::error::Error;
use crate::operation::{Body, Operation, api_request, encode_path_param, encode_query, json_body};
use crate::paginate::Paginate;

/// `POST /v3/avatars`: creates a photo avatar, a digital twin or a prompt avatar.
///
/// The output holds the new look (`avatar_item`, whose id is the `avatar_id` for videos) and its
/// group (`avatar_group`, used for consent and waits).
#[derive(Debug, Clone)]
pub struct CreateAvatar {
    request: CreateAvatarRequest,
    idempotency_key: Option<IdempotencyKey>,
}

impl CreateAvatar {
    /// Creates an avatar from `request`.
    pub fn new(request: impl Into<CreateAvatarRequest>) -> Self {
        Self {
            request: request.into(),
            idempotency_key: None,
        }
    }

    /// Uses this idempotency key instead of a generated one.
    #[must_use]
    pub fn idempotency_key(mut self, key: IdempotencyKey) -> Self {
        self.idempotency_key = Some(key);
        self
    }

    /// The request body.
    pub fn request(&self) -> &CreateAvatarRequest {
        &self.request
    }
}

impl Operation for CreateAvatar {
    type Output = CreateAvatarResponse;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path_template(&self) -> &'static str {
        "/v3/avatars"
    }

    fn idempotency_key(&self) -> Option<&str> {
        key_str(self.idempotency_key.as_ref())
    }

    fn build(&self, config: &Config) -> Result<Request<Bytes>, Error> {
        self.request.validate()?;
        api_request(
            config,
            Method::POST,
            "/v3/avatars",
            self.idempotency_key(),
            json_body(&self.request)?,
        )
    }

    fn parse(&self, response: Response<&[u8]>) -> Result<Self::Output, Error> {
        data(&Method::POST, self.path_template(), &response)
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

/// `GET /v3/avatars/{group_id}`: one avatar group, with its training and consent status.
#[derive(Debug, Clone)]
pub struct GetAvatarGroup {
    group_id: AvatarGroupId,
}

impl GetAvatarGroup {
    /// The group `group_id`.
    pub fn new(group_id: AvatarGroupId) -> Self {
        Self { group_id }
    }

    /// The group id.
    pub fn group_id(&self) -> &AvatarGroupId {
        &self.group_id
    }
}

impl Operation for GetAvatarGroup {
    type Output = AvatarGroup;

    fn method(&self) -> Method {
        Method::GET
    }

    fn path_template(&self) -> &'static str {
        "/v3/avatars/{group_id}"
    }

    fn build(&self, config: &Config) -> Result<Request<Bytes>, Error> {
        let id = encode_path_param("group_id", self.group_id.as_str())?;
        api_request(
            config,
            Method::GET,
            &format!("/v3/avatars/{id}"),
            None,
            Body::Empty,
        )
    }

    fn parse(&self, response: Response<&[u8]>) -> Result<Self::Output, Error> {
        data(&Method::GET, self.path_template(), &response)
    }
}

/// `GET /v3/avatars`: one page of avatar groups (`limit` 1 to 50).
#[derive(Debug, Clone, Default)]
pub struct ListAvatarGroups {
    query: ListAvatarGroupsQuery,
}

impl ListAvatarGroups {
    /// A page matching `query`.
    pub fn new(query: ListAvatarGroupsQuery) -> Self {
        Self { query }
    }

    /// The query.
    pub fn query(&self) -> &ListAvatarGroupsQuery {
        &self.query
    }
}

impl Operation for ListAvatarGroups {
    type Output = ListPage<AvatarGroup>;

    fn method(&self) -> Method {
        Method::GET
    }

    fn path_template(&self) -> &'static str {
        "/v3/avatars"
    }

    fn build(&self, config: &Config) -> Result<Request<Bytes>, Error> {
        self.query.validate()?;
        let query = encode_query(&self.query.to_query_pairs());
        api_request(
            config,
            Method::GET,
            &format!("/v3/avatars{query}"),
            None,
            Body::Empty,
        )
    }

    fn parse(&self, response: Response<&[u8]>) -> Result<Self::Output, Error> {
        page(&Method::GET, self.path_template(), &response)
    }
}

impl Paginate for ListAvatarGroups {
    fn with_token(&self, token: Option<&str>) -> Self {
        let mut query = self.query.clone();
        query.token = token.map(str::to_owned);
        Self { query }
    }

    fn page_token(&self) -> Option<&str> {
        self.query.token.as_deref()
    }
}

/// `DELETE /v3/avatars/{group_id}`: deletes a group and all its looks.
#[derive(Debug, Clone)]
pub struct DeleteAvatarGroup {
    group_id: AvatarGroupId,
    idempotency_key: Option<IdempotencyKey>,
}

impl DeleteAvatarGroup {
    /// Deletes `group_id`.
    pub fn new(group_id: AvatarGroupId) -> Self {
        Self {
            group_id,
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

impl Operation for DeleteAvatarGroup {
    type Output = DeletedResource;

    fn method(&self) -> Method {
        Method::DELETE
    }

    fn path_template(&self) -> &'static str {
        "/v3/avatars/{group_id}"
    }

    fn idempotency_key(&self) -> Option<&str> {
        key_str(self.idempotency_key.as_ref())
    }

    fn build(&self, config: &Config) -> Result<Request<Bytes>, Error> {
        let id = encode_path_param("group_id", self.group_id.as_str())?;
        api_request(
            config,
            Method::DELETE,
            &format!("/v3/avatars/{id}"),
            self.idempotency_key(),
            Body::Empty,
        )
    }

    fn parse(&self, response: Response<&[u8]>) -> Result<Self::Output, Error> {
        deleted(
            &Method::DELETE,
            self.path_template(),
            self.group_id.as_str(),
            &response,
        )
    }
}
