//! serde_json's errors in the officer's words. serde words them in English («missing field
//! `col` at line 1 column 30»); the officer reads where (line and position, when the text
//! has them) and what is wrong (text that is not JSON, a file cut short, a missing field, a
//! value of the wrong type, an unknown value).

/// What is wrong, and where when the error knows it.
pub fn json_error_ru(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let quoted = text
        .split('`')
        .nth(1)
        .map(|q| format!(" «{q}»"))
        .unwrap_or_default();
    let what = match e.classify() {
        serde_json::error::Category::Syntax => "это не JSON".to_string(),
        serde_json::error::Category::Eof => "текст обрывается".to_string(),
        serde_json::error::Category::Io => "не прочитан".to_string(),
        serde_json::error::Category::Data => {
            if text.starts_with("missing field") {
                format!("не хватает поля{quoted}")
            } else if text.starts_with("unknown variant") {
                format!("неизвестное значение{quoted}")
            } else if text.starts_with("unknown field") {
                format!("неизвестное поле{quoted}")
            } else if text.starts_with("invalid type") || text.starts_with("invalid value") {
                "значение не того типа".to_string()
            } else {
                "неверная запись".to_string()
            }
        }
    };
    if e.line() > 0 {
        format!("строка {}, позиция {}: {what}", e.line(), e.column())
    } else {
        what
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err<T: serde::de::DeserializeOwned>(json: &str) -> String {
        serde_json::from_str::<T>(json)
            .err()
            .map(|e| json_error_ru(&e))
            .unwrap_or_default()
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Edit {
        col: u32,
    }

    #[test]
    fn every_kind_of_error_is_said_in_russian_with_its_place() {
        assert_eq!(
            err::<Vec<Edit>>("[{\"col\": }]"),
            "строка 1, позиция 10: это не JSON"
        );
        assert_eq!(
            err::<Vec<Edit>>("[{\"col\": 1}"),
            "строка 1, позиция 11: текст обрывается"
        );
        assert_eq!(
            err::<Vec<Edit>>("[{}]"),
            "строка 1, позиция 3: не хватает поля «col»"
        );
        assert_eq!(
            err::<Vec<Edit>>("[{\"col\": \"A\"}]"),
            "строка 1, позиция 12: значение не того типа"
        );
    }
}
