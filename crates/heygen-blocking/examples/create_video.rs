//! Creates an avatar video with the first public look and waits until it is rendered.
//!
//! `cargo run -p heygen-blocking --example create_video`
#![allow(clippy::print_stdout, reason = "examples print their results")]

mod common;

use heygen_blocking::model::{CreateAvatarVideo, ListLooksQuery, Ownership};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let common::Setup {
        client,
        emulator: _emulator,
    } = common::setup()?;
    let page = client
        .looks()
        .list(ListLooksQuery::new().ownership(Ownership::Public).limit(1))?;
    let look = page.data.into_iter().next().ok_or("no public look")?;
    println!("using look {} ({})", look.id, look.name);

    let request = CreateAvatarVideo::new(look.id)
        .script("Hello from heygen-rs, the blocking client.")
        .title("heygen-blocking example");
    let created = client.videos().create(request)?;
    println!("video {} created", created.video_id);

    let video = client.wait_for_video(&created.video_id)?;
    let url = video.video_url.ok_or("the video has no url")?;
    // A presigned URL prints without its query string (the signature).
    println!("video {} rendered: {url}", video.id);
    Ok(())
}
