//! Structured values stored as the app writes them.
//!
//! The app stores a session note's body and a client's fee arrangement as
//! `serde_json::to_string` of their Rust types, so their keys are in the types' field
//! order; an export writes them with their keys sorted (`serde_json::Value`). The order
//! matters beyond looks: the search index concatenates a note's text fields in the order
//! of its stored JSON (`search_note_text`), and its snippets show them so. This puts an
//! exported value's keys back in the order the type writes them, keeping exactly the
//! keys the export holds (a note written before a field existed stays without it), so
//! an imported note is stored, indexed and shown as the original was.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// A JSON value's shape with the order of its objects' keys, as written.
#[derive(Debug)]
enum Shape {
    Object(Vec<(String, Shape)>),
    Array(Vec<Shape>),
    Leaf,
}

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Shape, D::Error> {
        d.deserialize_any(ShapeVisitor)
    }
}

struct ShapeVisitor;

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = Shape;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JSON")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        let mut keys = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Shape>()? {
            keys.push((k, v));
        }
        Ok(Shape::Object(keys))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element::<Shape>()? {
            items.push(v);
        }
        Ok(Shape::Array(items))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Shape, E> {
        Ok(Shape::Leaf)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Shape, E> {
        Ok(Shape::Leaf)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Shape, E> {
        Ok(Shape::Leaf)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Shape, E> {
        Ok(Shape::Leaf)
    }
    fn visit_str<E>(self, _: &str) -> Result<Shape, E> {
        Ok(Shape::Leaf)
    }
    fn visit_unit<E>(self) -> Result<Shape, E> {
        Ok(Shape::Leaf)
    }
    fn visit_none<E>(self) -> Result<Shape, E> {
        Ok(Shape::Leaf)
    }
}

/// `value` as compact JSON text, each object's keys in the order `template` (compact
/// JSON of the same type) has them; keys the template lacks follow, sorted.
pub(super) fn in_order_of(template: &str, value: &Value) -> Option<String> {
    let shape: Shape = serde_json::from_str(template).ok()?;
    let mut out = String::new();
    write(&mut out, &shape, value).ok()?;
    Some(out)
}

fn write(out: &mut String, shape: &Shape, value: &Value) -> Result<(), serde_json::Error> {
    match (shape, value) {
        (Shape::Object(keys), Value::Object(map)) => {
            out.push('{');
            let mut first = true;
            let ordered = keys
                .iter()
                .filter_map(|(k, s)| map.get_key_value(k).map(|(k, v)| (k, Some(s), v)));
            let rest = map
                .iter()
                .filter(|(k, _)| !keys.iter().any(|(t, _)| t == *k))
                .map(|(k, v)| (k, None, v));
            for (k, s, v) in ordered.chain(rest) {
                if !first {
                    out.push(',');
                }
                first = false;
                out.push_str(&serde_json::to_string(k)?);
                out.push(':');
                match s {
                    Some(s) => write(out, s, v)?,
                    None => out.push_str(&serde_json::to_string(v)?),
                }
            }
            out.push('}');
        }
        (Shape::Array(items), Value::Array(values)) => {
            out.push('[');
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                match items.get(i) {
                    Some(s) => write(out, s, v)?,
                    None => out.push_str(&serde_json::to_string(v)?),
                }
            }
            out.push(']');
        }
        _ => out.push_str(&serde_json::to_string(value)?),
    }
    Ok(())
}

/// A session note's body as the app stores it, or `None` when it is not a note.
pub(super) fn note_body(value: &Value) -> Option<String> {
    let body: crate::notes::NoteBody = serde_json::from_value(value.clone()).ok()?;
    in_order_of(&serde_json::to_string(&body).ok()?, value)
}

/// A client's fee arrangement as the app stores it (its note lives in its own column),
/// or `None` when it is not one.
pub(super) fn fee_arrangement(value: &Value) -> Option<String> {
    let fa: crate::clients::FeeArrangement = serde_json::from_value(value.clone()).ok()?;
    in_order_of(&serde_json::to_string(&fa).ok()?, value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_follow_the_template_and_missing_ones_stay_missing() {
        let template = r#"{"kind":"kap","b":{"z":1,"a":2},"later":null,"list":[{"y":1,"x":2}]}"#;
        let value =
            json!({"b": {"a": 2, "z": 1}, "kind": "kap", "list": [{"x": 2, "y": 1}], "extra": 3});
        assert_eq!(
            in_order_of(template, &value).unwrap(),
            r#"{"kind":"kap","b":{"z":1,"a":2},"list":[{"y":1,"x":2}],"extra":3}"#
        );
    }

    #[test]
    fn a_note_body_is_stored_as_the_app_writes_it() {
        let body = crate::notes::NoteBody::Integration(crate::notes::IntegrationNote {
            what_came_up: "the \"lake\"".into(),
            themes: "rest".into(),
            commitments: "walk".into(),
        });
        let stored = serde_json::to_string(&body).unwrap();
        let exported: Value = serde_json::from_str(&stored).unwrap();
        assert_eq!(note_body(&exported).unwrap(), stored);
        assert_eq!(note_body(&json!({"kind": "nothing"})), None);
    }
}
