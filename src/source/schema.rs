//! JSON Schemas (draft 2020-12) of what a guide's authors write by hand —
//! section front matter, `symptoms.yml`, `guide.toml` — generated with
//! schemars from the very types serde parses them into (`frontmatter`,
//! `symptoms`, `config` derive `JsonSchema` beside `Deserialize`), so an
//! editor's checks and fixbook's parser cannot drift apart: the field
//! names, `additionalProperties: false` (the parsers' `deny_unknown_fields`),
//! the required keys and the descriptions (the fields' doc comments) come from
//! the types; the value rules (symptom-id syntax, dates, settings paths, URLs)
//! are the parsers' own patterns, kept beside each parser.
//!
//! This file holds what the three share: the generator, the schema of a YAML
//! text value (`Text`), and the output form. It imports nothing of the crate.

use std::borrow::Cow;

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::Value;

/// A text with at least one character that is not white space (a title, a
/// label): the parsers trim and refuse an empty one.
pub const NOT_BLANK: &str = r"\S";

/// The schema of a text field in YAML (front matter, `symptoms.yml`).
/// serde-saphyr reads a plain scalar into a `String` exactly as written, so
/// `title: 1984` or `aliases: [404, true]` are text to fixbook; a YAML-aware
/// editor sees a number or a boolean there, so the schema must accept those
/// too. (A `pattern` beside it applies to strings only.)
pub struct Text;

impl JsonSchema for Text {
    fn schema_name() -> Cow<'static, str> {
        "Text".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": ["string", "number", "boolean"] })
    }
}

/// The schema of an id in YAML (`id:` in symptoms.yml, `symptoms:` in front
/// matter): like `Text`, an unquoted `404` or `true` is read as the id
/// `404` or `true`; a fraction such as `1.5` never makes a valid id.
pub struct Id;

impl JsonSchema for Id {
    fn schema_name() -> Cow<'static, str> {
        "Id".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": ["string", "integer", "boolean"] })
    }
}

/// The root schema of `T` in draft 2020-12, titled for editors.
pub fn root_schema<T: JsonSchema>(title: &str, description: &str) -> Value {
    let mut schema = SchemaSettings::draft2020_12().into_generator().into_root_schema_for::<T>();
    schema.insert("title".into(), Value::from(title));
    schema.insert("description".into(), Value::from(description));
    let mut schema = schema.to_value();
    drop_null_defaults(&mut schema);
    schema
}

/// An optional key's `"default": null` tells an editor nothing, and some
/// insert it on completion (`title: null`); a missing key says the same.
fn drop_null_defaults(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.get("default") == Some(&Value::Null) {
                map.remove("default");
            }
            map.values_mut().for_each(drop_null_defaults);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null_defaults),
        _ => {}
    }
}

/// The text `fixbook schema` prints and `fixbook init` writes: indented
/// JSON, keys sorted (serde_json's map is ordered), one final newline.
pub fn to_text(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).expect("a JSON value always serializes");
    text.push('\n');
    text
}

/// The ways YAML may spell the text `id` so that serde-saphyr reads it back
/// as `id`: always the string; also the number or boolean a YAML-aware
/// editor sees when the id is written unquoted (`404`, `true`).
pub fn yaml_spellings(id: &str) -> Vec<Value> {
    let mut spellings = vec![Value::from(id)];
    let canonical_integer = id.parse::<i64>().ok().filter(|n| n.to_string() == id);
    if let Some(n) = canonical_integer {
        spellings.push(Value::from(n));
    }
    if id == "true" || id == "false" {
        spellings.push(Value::from(id == "true"));
    }
    spellings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(JsonSchema)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Example {
        /// Shown on hover.
        #[schemars(with = "Text")]
        name: String,
        #[serde(default)]
        note: Option<String>,
    }

    #[test]
    fn root_schemas_are_draft_2020_12_with_title_and_closed_objects() {
        let schema = root_schema::<Example>("Example", "What it is for.");
        assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
        assert_eq!(schema["title"], "Example");
        assert_eq!(schema["additionalProperties"], false);
        assert_eq!(schema["properties"]["name"]["description"], "Shown on hover.");
        assert_eq!(schema["properties"]["name"]["type"], serde_json::json!(["string", "number", "boolean"]));
        assert_eq!(schema["properties"]["note"].get("default"), None, "{schema}");
        assert_eq!(schema["required"], serde_json::json!(["name"]));
        assert!(to_text(&schema).ends_with("}\n"));
    }

    #[test]
    fn yaml_spellings_add_the_unquoted_forms() {
        assert_eq!(yaml_spellings("wifi"), [Value::from("wifi")]);
        assert_eq!(yaml_spellings("404"), [Value::from("404"), Value::from(404)]);
        assert_eq!(yaml_spellings("007"), [Value::from("007")]);
        assert_eq!(yaml_spellings("true"), [Value::from("true"), Value::from(true)]);
    }
}
