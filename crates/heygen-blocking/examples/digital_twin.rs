//! Creates a digital twin from footage, asks for consent, and waits for training.
//!
//! `cargo run -p heygen-blocking --example digital_twin [footage.mp4]`
//!
//! Against the emulator the consent is approved by the example itself (as the person in the
//! footage would, on the consent page); against the real API, open the printed URL.
#![allow(clippy::print_stdout, reason = "examples print their results")]

mod common;

use heygen_blocking::{AvatarFileKind, Waited};
use heygen_model::CreateConsentRequest;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let common::Setup { client, emulator } = common::setup()?;
    let path = common::sample("footage.mp4");
    println!(
        "creating a digital twin from {} ({} bytes)",
        path.display(),
        std::fs::metadata(&path)?.len()
    );
    let created =
        client.create_avatar_from_file(AvatarFileKind::DigitalTwin, "Example Twin", &path)?;
    let group = created
        .avatar
        .avatar_group
        .ok_or("no avatar group in the response")?;
    println!(
        "created group {} (file sent as {:?})",
        group.id, created.method
    );

    let group = match client.wait_for_avatar(&group.id)? {
        Waited::PendingConsent(g) => g,
        Waited::Completed(g) => {
            println!("training already completed for {}", g.id);
            return Ok(());
        }
        _ => return Err("unknown wait state".into()),
    };
    println!("{} is pending consent; asking for it", group.id);
    let consent = client
        .avatars()
        .create_consent(&group.id, CreateConsentRequest::new())?;
    match &consent.url {
        Some(url) => println!("the person in the footage must open: {url}"),
        None => println!("consent requested (no url returned)"),
    }
    if let Some(emulator) = &emulator {
        println!("(emulator) approving the consent as the person would");
        emulator.approve_consent(group.id.as_str());
    }
    let consented = client.wait_for_consent(&group.id)?;
    println!(
        "consent status: {}",
        consented
            .consent_status
            .as_ref()
            .map_or("none", |c| c.as_str())
    );
    match client.wait_for_avatar(&group.id)? {
        Waited::Completed(g) => println!(
            "training completed: {} is {}",
            g.id,
            g.status.as_ref().map_or("?", |s| s.as_str())
        ),
        Waited::PendingConsent(g) => println!("{} still waits for consent", g.id),
        _ => println!("training ended in an unknown state"),
    }
    Ok(())
}
