//! OAuth 2.0 values: the token, error and device-authorization responses of HeyGen's
//! authorization server, and the credentials they carry.
//!
//! Tokens are private-field newtypes: `Debug` prints `<redacted>`, there is no `Display` or
//! `Serialize`, and [`AccessToken::expose_secret`] is the one way to read the text. A
//! [`ClientId`] is not a secret (it is sent in the authorize URL) and prints as is.

use core::fmt;

use serde::{Deserialize, Serialize};

macro_rules! secret_newtype {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps the secret text.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// The secret text; call it only to hand the value to something that needs it
            /// verbatim (a header, a form body, a token file).
            pub fn expose_secret(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(<redacted>)"))
            }
        }
    };
}

secret_newtype!(
    /// An OAuth access token, sent as `Authorization: Bearer <token>`.
    ///
    /// `Debug` shows `AccessToken(<redacted>)`; there is no `Display` or `Serialize`.
    AccessToken
);

secret_newtype!(
    /// An OAuth refresh token, traded at the token endpoint for a new access token.
    ///
    /// `Debug` shows `RefreshToken(<redacted>)`; there is no `Display` or `Serialize`.
    RefreshToken
);

secret_newtype!(
    /// A one-time authorization code from the redirect of the authorization-code flow.
    ///
    /// `Debug` shows `AuthorizationCode(<redacted>)`.
    AuthorizationCode
);

secret_newtype!(
    /// The device code of the device flow: the secret half the client polls with (the
    /// [`DeviceAuthorization::user_code`] is the half shown to the person).
    ///
    /// `Debug` shows `DeviceCode(<redacted>)`.
    DeviceCode
);

/// The id of an OAuth client (an app registered with HeyGen). Not a secret: it is part of the
/// authorize URL. It belongs to the app; the SDK never supplies one of its own.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClientId(String);

impl ClientId {
    /// Wraps a client id.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A successful answer of the token endpoint (`POST /v1/oauth/token`), for every grant.
///
/// `expires_in` is read as a number or as a numeric string (`864000` or `"864000"`); the
/// expiry is the time the request was sent plus this many seconds.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct TokenResponse {
    /// The new access token.
    pub access_token: AccessToken,
    /// A new refresh token, when the server issued (or rotated) one.
    #[serde(default)]
    pub refresh_token: Option<RefreshToken>,
    /// Lifetime of the access token, in seconds, when given.
    #[serde(default, deserialize_with = "crate::num::opt_number")]
    pub expires_in: Option<u64>,
    /// The granted scopes, space-separated, when given.
    #[serde(default)]
    pub scope: Option<String>,
    /// The token type (`Bearer`), when given.
    #[serde(default)]
    pub token_type: Option<String>,
}

/// An error answer of the OAuth endpoints (RFC 6749 section 5.2 and RFC 8628 section 3.5):
/// `{"error": "invalid_grant", "error_description": "…"}`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct OAuthErrorBody {
    /// The error code (`invalid_grant`, `authorization_pending`, `slow_down`,
    /// `expired_token`, `access_denied`, …).
    pub error: String,
    /// A human-readable explanation, when given.
    #[serde(default)]
    pub error_description: Option<String>,
    /// A page about the error, when given.
    #[serde(default)]
    pub error_uri: Option<String>,
}

/// The answer of the device authorization endpoint (`POST /v1/oauth/device_authorization`):
/// what to show the person, and what to poll the token endpoint with.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct DeviceAuthorization {
    /// The code the client polls with (secret).
    pub device_code: DeviceCode,
    /// The short code the person types on the verification page.
    pub user_code: String,
    /// The page where the person enters the code.
    pub verification_uri: String,
    /// The page with the code already filled in, when given.
    #[serde(default)]
    pub verification_uri_complete: Option<String>,
    /// Lifetime of the device code, in seconds, when given.
    #[serde(default, deserialize_with = "crate::num::opt_number")]
    pub expires_in: Option<u64>,
    /// The minimum interval between polls, in seconds, when given (5 s otherwise).
    #[serde(default, deserialize_with = "crate::num::opt_number")]
    pub interval: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_in_is_a_number_or_a_numeric_string() {
        for body in [
            r#"{"access_token":"at_1","expires_in":864000}"#,
            r#"{"access_token":"at_1","expires_in":"864000"}"#,
            r#"{"access_token":"at_1","expires_in":" 864000 "}"#,
        ] {
            let token: TokenResponse = serde_json::from_str(body).unwrap();
            assert_eq!(token.expires_in, Some(864_000), "{body}");
        }
        let token: TokenResponse =
            serde_json::from_str(r#"{"access_token":"at_1","expires_in":null}"#).unwrap();
        assert_eq!(token.expires_in, None);
        assert!(
            serde_json::from_str::<TokenResponse>(r#"{"access_token":"a","expires_in":"soon"}"#)
                .is_err()
        );
        assert!(serde_json::from_str::<TokenResponse>(r#"{"expires_in":1}"#).is_err());
    }

    #[test]
    fn tokens_never_print() {
        let token: TokenResponse = serde_json::from_str(
            r#"{"access_token":"at_canary_1","refresh_token":"rt_canary_2","expires_in":5}"#,
        )
        .unwrap();
        let debug = format!("{token:?}");
        assert!(!debug.contains("canary"), "{debug}");
        assert!(debug.contains("AccessToken(<redacted>)"));
        assert_eq!(token.access_token.expose_secret(), "at_canary_1");
        let device: DeviceAuthorization = serde_json::from_str(
            r#"{"device_code":"dc_canary","user_code":"ABCD-EFGH","verification_uri":"https://x/device","interval":"5"}"#,
        )
        .unwrap();
        assert!(!format!("{device:?}").contains("dc_canary"));
        assert_eq!(device.interval, Some(5));
        assert_eq!(ClientId::new("app_1").to_string(), "app_1");
    }
}
