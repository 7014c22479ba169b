use heygen_model::{CreatePhotoAvatar, AssetInput, LookId};

fn main() {
    let look = LookId::new("look_0001").unwrap();
    let _request = CreatePhotoAvatar::new("A", AssetInput::url("https://example.com/a.png"))
        .avatar_group_id(look);
}
