//! Looks: list, get, update, delete.

use bytes::Bytes;
use http::{Method, Request, Response};

use heygen_model::{IdempotencyKey, ListLooksQuery, Look, LookId, UpdateLookRequest};

use super::macros::{delete_by_id, get_by_id, list_page};
use super::support::{data, key_str};
use crate::config::Config;
use crate::error::Error;
use crate::operation::{Operation, api_request, encode_path_param, json_body};

list_page! {
    /// `GET /v3/avatars/looks`: one page of looks (`limit` 1 to 50; a larger limit is rejected
    /// before sending). Filters: `group_id`, `avatar_type`, `ownership`.
    pub struct ListLooks => Look {
        query: ListLooksQuery = "/v3/avatars/looks",
    }
}

get_by_id! {
    /// `GET /v3/avatars/looks/{look_id}`: one look, with its training status.
    pub struct GetLook => Look {
        /// The look `look_id`.
        new;
        /// The look id.
        look_id: LookId = "/v3/avatars/looks/{look_id}",
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

delete_by_id! {
    /// `DELETE /v3/avatars/looks/{look_id}`: deletes a look (and its group when it was the last).
    pub struct DeleteLook {
        /// Deletes `look_id`.
        new;
        look_id: LookId = "/v3/avatars/looks/{look_id}",
    }
}
