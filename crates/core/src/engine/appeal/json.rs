//! Appeals as JSON: one object or a list of objects, keyed by the card's labels or English
//! field names.

use super::values::from_pairs;
use super::{Appeal, AppealError, MAX_PASTE_BYTES, name_sources};

/// Parses JSON: one appeal object or a list; keys are the card's Russian labels or the English
/// field names (`surname`, `name`, `patronymic`, `birth_date`, `sex`, `snils`, `phone`, `email`).
pub fn parse_json(text: &str, source: &str) -> Result<Vec<Appeal>, AppealError> {
    if text.len() > MAX_PASTE_BYTES * 4 {
        return Err(AppealError::TooLarge {
            bytes: text.len() as u64,
        });
    }
    let value: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| AppealError::JsonSyntax {
            line: e.line(),
            column: e.column(),
            source: e,
        })?;
    let items = match value {
        serde_json::Value::Array(v) => v,
        obj @ serde_json::Value::Object(_) => vec![obj],
        _ => {
            return Err(AppealError::JsonShape(
                "ожидается объект обращения или список объектов",
            ));
        }
    };
    let mut out = Vec::new();
    for item in items {
        let serde_json::Value::Object(map) = item else {
            return Err(AppealError::JsonShape(
                "элемент списка — не объект обращения",
            ));
        };
        let pairs = map.iter().filter_map(|(k, v)| {
            let s = match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Null => return None,
                other => other.to_string(),
            };
            Some((k.as_str(), s))
        });
        let a = from_pairs(pairs);
        if a.has_person_data() {
            out.push(a);
        }
    }
    if out.is_empty() {
        return Err(AppealError::NoPersonData);
    }
    Ok(name_sources(out, source))
}
