//! The state handle shared by every connection ([`Shared`]) and the per-request facts gathered
//! for the log ([`Meta`]).
//!
//! Depends only on `state` and `fault`; everything that serves requests depends on this.

use std::sync::{Mutex, MutexGuard};

use crate::fault::ActiveRule;
use crate::state::State;

/// State shared by every connection.
pub(crate) struct Shared {
    pub(crate) state: Mutex<State>,
    pub(crate) faults: Mutex<Vec<ActiveRule>>,
    pub(crate) api_key: String,
    pub(crate) access_token: String,
    pub(crate) other_origin_port: u16,
    /// Extra checks beyond HeyGen's reference ([`EmulatorOptions::strict`]).
    ///
    /// [`EmulatorOptions::strict`]: crate::EmulatorOptions::strict
    pub(crate) strict: bool,
    /// Whether every `/v3/` reply is checked against its schema before it is sent.
    pub(crate) check_responses: bool,
    /// Replies that broke their schema (emulator bugs), as messages.
    pub(crate) violations: Mutex<Vec<String>>,
    /// Pokes the webhook ticker after something that may emit an event or queue an attempt.
    pub(crate) wake: tokio::sync::Notify,
    /// The OAuth authorization server's tokens, codes and events.
    pub(crate) oauth: Mutex<crate::oauth::OAuthServer>,
}

impl Shared {
    /// Locks the account state (a poisoned lock is taken over: the state stays usable).
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn lock_violations(&self) -> MutexGuard<'_, Vec<String>> {
        self.violations
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn lock_oauth(&self) -> MutexGuard<'_, crate::oauth::OAuthServer> {
        self.oauth
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn lock_faults(&self) -> MutexGuard<'_, Vec<ActiveRule>> {
        self.faults
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Facts about a request gathered while handling it, for the log.
#[derive(Default)]
pub(crate) struct Meta {
    pub(crate) body_bytes: u64,
    pub(crate) credentials_rejected: bool,
}
