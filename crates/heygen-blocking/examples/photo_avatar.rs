//! Creates a photo avatar from a local image and waits for training.
//!
//! `cargo run -p heygen-blocking --example photo_avatar [image.png]`
#![allow(clippy::print_stdout, reason = "examples print their results")]

mod common;

use heygen_blocking::{AvatarFileKind, Waited};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let common::Setup {
        client,
        emulator: _emulator,
    } = common::setup()?;
    let path = common::sample("portrait.png");
    let size = std::fs::metadata(&path)?.len();
    println!(
        "creating a photo avatar from {} ({size} bytes)",
        path.display()
    );
    let created =
        client.create_avatar_from_file(AvatarFileKind::Photo, "Example Photo Avatar", &path)?;
    let group = created
        .avatar
        .avatar_group
        .ok_or("no avatar group in the response")?;
    let look = created
        .avatar
        .avatar_item
        .ok_or("no look in the response")?;
    println!(
        "created group {} (look {}), sent as {:?}, asset {:?}",
        group.id,
        look.id,
        created.method,
        created.asset_id.as_ref().map(heygen_model::AssetId::as_str)
    );
    match client.wait_for_avatar(&group.id)? {
        Waited::Completed(g) => println!(
            "training completed: {} is {}",
            g.id,
            g.status.as_ref().map_or("?", |s| s.as_str())
        ),
        Waited::PendingConsent(g) => println!("{} waits for consent", g.id),
        _ => println!("training ended in an unknown state"),
    }
    Ok(())
}
