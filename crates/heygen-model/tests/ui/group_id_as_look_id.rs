use heygen_model::{AvatarGroupId, CreateAvatarVideo};

fn main() {
    let group = AvatarGroupId::new("grp_0001").unwrap();
    let _video = CreateAvatarVideo::new(group).script("Hello");
}
