//! Creates a photo avatar from a local image and waits for its training.
//!
//! `cargo run -p heygen-async --example async_photo_avatar [image.png]`

#![allow(
    clippy::print_stdout,
    clippy::redundant_closure_for_method_calls,
    reason = "an example prints its results, with readable closures"
)]

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
    let group = created
        .avatar
        .avatar_group
        .as_ref()
        .map(|g| g.id.clone())
        .or_else(|| {
            created
                .avatar
                .avatar_item
                .as_ref()
                .and_then(|l| l.group_id.clone())
        })
        .ok_or("the response names no avatar group")?;
    let look = created
        .avatar
        .avatar_item
        .as_ref()
        .map(|l| l.id.to_string());
    println!(
        "created photo avatar: group {} look {} (file sent as {:?}, asset {:?})",
        group,
        look.as_deref().unwrap_or("?"),
        created.method,
        created.asset_id.as_ref().map(|a| a.as_str())
    );
    match client.wait_for_avatar(&group).await? {
        Waited::Completed(g) => println!(
            "training completed: {} ({:?} look(s), status {:?})",
            g.name,
            g.looks_count,
            g.status.as_ref().map(|s| s.as_str())
        ),
        Waited::PendingConsent(_) => println!("training waits for consent"),
        _ => println!("training ended in another state"),
    }
    Ok(())
}
