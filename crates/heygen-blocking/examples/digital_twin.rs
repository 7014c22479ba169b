//! Creates a digital twin from footage, asks for consent, and waits for training.
//!
//! `cargo run -p heygen-blocking --example digital_twin [footage.mp4]`
//!
//! Against the emulator the consent is approved by the example itself (as the person in the
//! footage would, on the consent page); against the real API, open the printed URL.
#![allow(clippy::print_stdout, reason = "examples print their results")]

mod common;

use heygen_blocking::model::CreateConsentRequest;
use heygen_blocking::{AvatarFileKind, Waited};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let common::Setup { client, emulator } = common::setup()?;
    let path = common::sample("footage.mp4");
    let created =
        client.create_avatar_from_file(AvatarFileKind::DigitalTwin, "Example Twin", &path)?;
    let group = created.output.group_id()?.clone();
    println!(
        "created group {group} (footage sent as {:?})",
        created.method
    );

    match client.wait_for_avatar(&group)? {
        Waited::Completed(_) => {
            println!("training already completed for {group}");
            return Ok(());
        }
        Waited::PendingConsent(_) => println!("{group} is pending consent; asking for it"),
    }
    let consent = client
        .avatars()
        .create_consent(&group, CreateConsentRequest::new())?;
    match &consent.url {
        Some(url) => println!("the person in the footage must open: {url}"),
        None => println!("consent requested (no url returned)"),
    }
    if let Some(emulator) = &emulator {
        println!("(emulator) approving the consent as the person would");
        emulator.approve_consent(group.as_str());
    }
    client.wait_for_consent(&group)?;
    println!("consent given");

    match client.wait_for_avatar(&group)? {
        Waited::Completed(g) => println!("training completed: {} ({})", g.id, g.name),
        Waited::PendingConsent(g) => println!("{} still waits for consent", g.id),
    }
    Ok(())
}
