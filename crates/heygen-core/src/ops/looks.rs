//! Looks: list, get, update, delete.

use bytes::Bytes;
use http::{Method, Request, Response};

use heygen_model::{
    DeletedResource, IdempotencyKey, ListLooksQuery, ListPage, Look, LookId, UpdateLookRequest,
};

use super::support::{data, deleted, key_str, page};
use crate::config::Config;
use crate::error::Error;
use crate::operation::{Body, Operation, api_request, encode_path_param, encode_query, json_body};
use crate::paginate::Paginate;

/// `GET /v3/avatars/looks`: one page of looks (`limit` 1 to 50; a larger limit is rejected
/// before sending). Filters: `group_id`, `avatar_type`, `ownership`.
#[derive(Debug, Clone, Default)]
pub struct ListLooks {
    query: ListLooksQuery,
}

impl ListLooks {
    /// A page matching `query`.
    pub fn new(query: ListLooksQuery) -> Self {
        Self { query }
    }

    /// The query.
    pub fn query(&self) -> &ListLooksQuery {
        &self.query
    }
}

impl Operation for ListLooks {
    type Output = ListPage<Look>;

    fn method(&self) -> Method {
        Method::GET
    }

    fn path_template(&self) -> &'static str {
        "/v3/avatars/looks"
    }

    fn build(&self, config: &Config) -> Result<Request<Bytes>, Error> {
        self.query.validate()?;
        let query = encode_query(&self.query.to_query_pairs());
        api_request(
            config,
            Method::GET,
            &format!("/v3/avatars/looks{query}"),
            None,
            Body::Empty,
        )
    }

    fn parse(&self, response: Response<&[u8]>) -> Result<Self::Output, Error> {
        page(&Method::GET, self.path_template(), &response)
    }
}

impl Paginate for ListLooks {
    fn with_token(&self, token: Option<&str>) -> Self {
        let mut query = self.query.clone();
        query.token = token.map(str::to_owned);
        Self { query }
    }

    fn page_token(&self) -> Option<&str> {
        self.query.token.as_deref()
    }
}

/// `GET /v3/avatars/looks/{look_id}`: one look, with its training status.
#[derive(Debug, Clone)]
pub struct GetLook {
    look_id: LookId,
}

impl GetLook {
    /// The look `look_id`.
    pub fn new(look_id: LookId) -> Self {
        Self { look_id }
    }

    /// The look id.
    pub fn look_id(&self) -> &LookId {
        &self.look_id
    }
}

impl Operation for GetLook {
    type Output = Look;

    fn method(&self) -> Method {
        Method::GET
    }

    fn path_template(&self) -> &'static str {
        "/v3/avatars/looks/{look_id}"
    }

    fn build(&self, config: &Config) -> Result<Request<Bytes>, Error> {
        let id = encode_path_param("look_id", self.look_id.as_str())?;
        api_request(
            config,
            Method::GET,
            &format!("/v3/avatars/looks/{id}"),
            None,
            Body::Empty,
        )
    }

    fn parse(&self, response: Response<&[u8]>) -> Result<Self::Output, Error> {
        data(&Method::GET, self.path_template(), &response)
    }
}

/// `PATCH /v3/avatars/looks/{look_id}`: renames a look. With no changes the body is `{}`.
#[derive(Debug, Clone)]
pub struct UpdateLook {
    look_id: LookId,
    request: UpdateLookRequest,
    idempotency_key: Option<IdempotencyKey>,
}

impl UpdateLook {
    /// Applies `request` to `look_id`.
    pub fn new(look_id: LookId, request: UpdateLookRequest) -> Self {
        Self {
            look_id,
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

impl Operation for UpdateLook {
    type Output = Look;

    fn method(&self) -> Method {
        Method::PATCH
    }

    fn path_template(&self) -> &'static str {
        "/v3/avatars/looks/{look_id}"
    }

    fn idempotency_key(&self) -> Option<&str> {
        key_str(self.idempotency_key.as_ref())
    }

    fn build(&self, config: &Config) -> Result<Request<Bytes>, Error> {
        self.request.validate()?;
        let id = encode_path_param("look_id", self.look_id.as_str())?;
        api_request(
            config,
            Method::PATCH,
            &format!("/v3/avatars/looks/{id}"),
            self.idempotency_key(),
            json_body(&self.request)?,
        )
    }

    fn parse(&self, response: Response<&[u8]>) -> Result<Self::Output, Error> {
        data(&Method::PATCH, self.path_template(), &response)
    }
}

/// `DELETE /v3/avatars/looks/{look_id}`: deletes a look (and its group when it was the last).
#[derive(Debug, Clone)]
pub struct DeleteLook {
    look_id: LookId,
    idempotency_key: Option<IdempotencyKey>,
}

impl DeleteLook {
    /// Deletes `look_id`.
    pub fn new(look_id: LookId) -> Self {
        Self {
            look_id,
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

impl Operation for DeleteLook {
    type Output = DeletedResource;

    fn method(&self) -> Method {
        Method::DELETE
    }

    fn path_template(&self) -> &'static str {
        "/v3/avatars/looks/{look_id}"
    }

    fn idempotency_key(&self) -> Option<&str> {
        key_str(self.idempotency_key.as_ref())
    }

    fn build(&self, config: &Config) -> Result<Request<Bytes>, Error> {
        let id = encode_path_param("look_id", self.look_id.as_str())?;
        api_request(
            config,
            Method::DELETE,
            &format!("/v3/avatars/looks/{id}"),
            self.idempotency_key(),
            Body::Empty,
        )
    }

    fn parse(&self, response: Response<&[u8]>) -> Result<Self::Output, Error> {
        deleted(
            &Method::DELETE,
            self.path_template(),
            self.look_id.as_str(),
            &response,
        )
    }
}
