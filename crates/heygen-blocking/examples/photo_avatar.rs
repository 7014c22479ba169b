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
    let created =
        client.create_avatar_from_file(AvatarFileKind::Photo, "Example Photo Avatar", &path)?;
    let group = created.output.group_id()?;
    let look = created.output.look_id()?;
    println!(
        "created group {group} (look {look}), sent as {:?}",
        created.method
    );

    match client.wait_for_avatar(group)? {
        Waited::Completed(g) => println!("training completed: {} ({})", g.id, g.name),
        Waited::PendingConsent(g) => println!("{} waits for consent", g.id),
    }
    Ok(())
}
