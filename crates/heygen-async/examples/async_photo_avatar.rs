//! Creates a photo avatar from a local image and waits for its training.
//!
//! `cargo run -p heygen-async --example async_photo_avatar [image.png]`

#![allow(clippy::print_stdout, reason = "an example prints its results")]

mod common;

use heygen_async::{AvatarFileKind, Waited};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let demo = common::demo().await?;
    let client = &demo.client;
    let path = common::sample("portrait.png");
    let created = client
        .create_avatar_from_file(AvatarFileKind::Photo, "Photo Demo", &path)
        .await?;
    let group = created.output.group_id()?;
    let look = created.output.look_id()?;
    println!(
        "created photo avatar: group {group} look {look} (file sent as {:?})",
        created.method
    );

    match client.wait_for_avatar(group).await? {
        Waited::Completed(g) => println!("training completed: {} ({})", g.id, g.name),
        Waited::PendingConsent(g) => println!("{} waits for consent", g.id),
    }
    Ok(())
}
