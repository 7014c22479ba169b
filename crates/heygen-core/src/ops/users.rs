//! The current user.

use http::{Method, Request, Response};

use heygen_model::User;

use super::support::data;
use crate::body::Body;
use crate::config::Config;
use crate::error::Error;
use crate::operation::{Operation, Payload, api_request};
use crate::response::ResponseLimits;

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

    fn build(&self, config: &Config) -> Result<Request<Body>, Error> {
        api_request(config, Method::GET, "/v3/users/me", Payload::Empty)
    }

    fn parse(
        &self,
        response: Response<&[u8]>,
        limits: &ResponseLimits,
    ) -> Result<Self::Output, Error> {
        data(&Method::GET, self.path_template(), &response, limits)
    }
}
