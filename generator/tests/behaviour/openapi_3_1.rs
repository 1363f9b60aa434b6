//! Run inside the crate generated from `fixtures/openapi-3-1.yaml`: what its
//! types read and write, on the wire.

use fixture_openapi_3_1::models::{Pet, PetHome, PetKind};

#[test]
fn reads_what_a_3_1_schema_describes() {
    let pet: Pet = serde_json::from_value(serde_json::json!({
        "id": "p-1",
        "kind": "pet",
        "name": null,
        "tags": ["calm", "old"],
        "owner": {"name": "Ada", "phone": null},
        "home": {"garden": true},
        "weight": 4.5,
        "size": 3,
        "flat": {"floor": 4},
        "nothing": null,
        "colour": "black",
        "temper": "mild"
    }))
    .expect("a pet");
    assert_eq!(pet.id, "p-1");
    assert_eq!(pet.kind, PetKind::Pet);
    assert_eq!(pet.name, None);
    assert_eq!(pet.tags.as_deref(), Some(&["calm".to_owned(), "old".to_owned()][..]));
    assert_eq!(pet.owner.as_ref().and_then(|o| o.name.as_deref()), Some("Ada"));
    assert!(matches!(pet.home, Some(PetHome::House(ref house)) if house.garden));
    assert_eq!(pet.weight, Some(4.5));
    assert_eq!(pet.flat.map(|flat| flat.floor), Some(4));
    let others = pet.additional_properties.expect("the other keys");
    assert_eq!(others.len(), 2);
    assert_eq!(others.get("colour").map(String::as_str), Some("black"));
    assert_eq!(others.get("temper").map(String::as_str), Some("mild"));
}

#[test]
fn writes_the_other_keys_beside_the_fields() {
    let pet = Pet {
        id: "p-2".to_owned(),
        kind: PetKind::Pet,
        additional_properties: Some([("colour".to_owned(), "white".to_owned())].into()),
        ..Pet::default()
    };
    let json = serde_json::to_value(&pet).expect("serializes");
    assert_eq!(
        json,
        serde_json::json!({"id": "p-2", "kind": "pet", "colour": "white"})
    );
}

#[test]
fn an_alternative_is_taken_only_with_the_keys_it_requires() {
    let home = |json: serde_json::Value| -> PetHome { serde_json::from_value(json).expect("a home") };
    // `House` comes first and reads leniently, but requires `garden`.
    assert!(matches!(home(serde_json::json!({"floor": 2})), PetHome::Flat(ref flat) if flat.floor == 2));
    assert!(matches!(home(serde_json::json!({"garden": false})), PetHome::House(_)));
    assert!(matches!(home(serde_json::json!({"roof": true})), PetHome::Unknown(_)));
}
