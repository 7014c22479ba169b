//! Creates an avatar video with the first look and waits for it to render.
//!
//! `cargo run -p heygen-async --example async_create_video`

#![allow(
    clippy::print_stdout,
    clippy::redundant_closure_for_method_calls,
    reason = "an example prints its results, with readable closures"
)]

mod common;

use heygen_async::model::{CreateAvatarVideo, ListLooksQuery};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let demo = common::demo().await?;
    let client = &demo.client;
    let page = client.looks().list(ListLooksQuery::new().limit(1)).await?;
    let look = page.data.first().ok_or("the account has no looks")?;
    println!("using look {} ({})", look.id, look.name);
    let created = client
        .videos()
        .create(
            CreateAvatarVideo::new(look.id.clone())
                .script("Hello from heygen-rs, the async client.")
                .title("heygen-async example"),
        )
        .await?;
    println!(
        "video {} created, status {}",
        created.video_id,
        created
            .status
            .as_ref()
            .map_or("not reported", |s| s.as_str())
    );
    let video = client.wait_for_video(&created.video_id).await?;
    println!(
        "video {} {}: duration {:?} s, download link {}",
        video.id,
        video.status.as_ref().map_or("?", |s| s.as_str()),
        video.duration.map(|d| d.as_f64()),
        video
            .video_url
            .as_ref()
            .map_or("missing".to_owned(), |u| u.redacted())
    );
    Ok(())
}
