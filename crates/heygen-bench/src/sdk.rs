//! The SDK variants: `heygen-blocking` and `heygen-async` making the workloads' calls through
//! their public API, exactly as a user would.

use std::hint::black_box;

use heygen_model::{CreatePromptAvatar, ListLooksQuery, VideoId};

use crate::fixtures::{API_KEY, CREATE_NAME, CREATE_PROMPT, VIDEO_ID};
use crate::raw::Workload;

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn config(base: &str) -> Result<heygen_core::Config, String> {
    heygen_core::Config::builder()
        .base_url(base)
        .api_key(API_KEY)
        .build()
        .map_err(err)
}

/// `heygen-blocking` with the default configuration (one kept-alive connection on loopback).
pub(crate) struct SdkBlocking {
    client: heygen_blocking::Client,
    video: VideoId,
}

impl SdkBlocking {
    /// A client for `base`.
    ///
    /// # Errors
    /// When the client cannot be built.
    pub(crate) fn new(base: &str) -> Result<Self, String> {
        Ok(Self {
            client: heygen_blocking::Client::new(config(base)?).map_err(err)?,
            video: VideoId::new(VIDEO_ID).map_err(err)?,
        })
    }

    /// One call.
    pub(crate) fn call(&self, workload: Workload) -> Result<(), String> {
        match workload {
            Workload::CreateAvatar => {
                let request = CreatePromptAvatar::new(CREATE_NAME, CREATE_PROMPT);
                black_box(self.client.avatars().create(request).map_err(err)?);
            }
            Workload::ListLooks => {
                let query = ListLooksQuery::new().limit(50);
                black_box(self.client.looks().list(query).map_err(err)?);
            }
            Workload::GetVideo => {
                black_box(self.client.videos().get(&self.video).map_err(err)?);
            }
        }
        Ok(())
    }
}

/// `heygen-async` with the default configuration and transport (hyper, pooled).
#[derive(Clone)]
pub(crate) struct SdkAsync {
    client: heygen_async::Client,
    video: VideoId,
}

impl SdkAsync {
    /// A client for `base`.
    ///
    /// # Errors
    /// When the client cannot be built.
    pub(crate) fn new(base: &str) -> Result<Self, String> {
        Ok(Self {
            client: heygen_async::Client::new(config(base)?).map_err(err)?,
            video: VideoId::new(VIDEO_ID).map_err(err)?,
        })
    }

    /// One call.
    pub(crate) async fn call(&self, workload: Workload) -> Result<(), String> {
        match workload {
            Workload::CreateAvatar => {
                let request = CreatePromptAvatar::new(CREATE_NAME, CREATE_PROMPT);
                black_box(self.client.avatars().create(request).await.map_err(err)?);
            }
            Workload::ListLooks => {
                let query = ListLooksQuery::new().limit(50);
                black_box(self.client.looks().list(query).await.map_err(err)?);
            }
            Workload::GetVideo => {
                black_box(self.client.videos().get(&self.video).await.map_err(err)?);
            }
        }
        Ok(())
    }
}
