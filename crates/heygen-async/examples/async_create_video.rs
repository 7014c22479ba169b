//! Creates an avatar video with the first look and waits for it to render.
//!
//! `cargo run -p heygen-async --example async_create_video`

#![allow(clippy::print_stdout, reason = "an example prints its results")]

mod common;

use heygen_async::model::{CreateAvatarVideo, ListLooksQuery};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let demo = common::demo().await?;
    let client = &demo.client;
    let page = client.looks().list(ListLooksQuery::new().limit(1)).await?;
    let look = page
        .data
        .into_iter()
        .next()
        .ok_or("the account has no looks")?;
    println!("using look {} ({})", look.id, look.name);

    let request = CreateAvatarVideo::new(look.id)
        .script("Hello from heygen-rs, the async client.")
        .title("heygen-async example");
    let created = client.videos().create(request).await?;
    println!("video {} created", created.video_id);

    let video = client.wait_for_video(&created.video_id).await?;
    let url = video.video_url.ok_or("the video has no url")?;
    // A presigned URL prints without its query string (the signature).
    println!("video {} rendered: {url}", video.id);
    Ok(())
}
