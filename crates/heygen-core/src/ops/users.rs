//! The current user.

use bytes::Bytes;
use http::{Method, Request, Response};

use heygen_model::User;

use super::support::data;
use crate::config::Config;
use crate::error::Error;
use crate::operation::{Body, Operation, api_request};

/// `GET /v3/users/me`: the account the credentials belong to.
#[derive(Debug, Clone, Copy, Default)]
pub struct GetCurrentUser;

impl GetCurrentUser {
    /// The operation.
    pub fn new() -> Self {
        Self
    }
}

impl Operation for GetCurrentUser {
    type Output = User;

    fn method(&self) -> Method {
        Method::GET
    }

    fn path_template(&self) -> &'static str {
        "/v3/users/me"
    }

    fn build(&self, config: &Config) -> Result<Request<Bytes>, Error> {
        api_request(config, Method::GET, "/v3/users/me", None, Body::Empty)
    }

    fn parse(&self, response: Response<&[u8]>) -> Result<Self::Output, Error> {
        data(&Method::GET, self.path_template(), &response)
    }
}
