//! The appeal card's text as pasted or saved from ПОС: one or several cards, label and value
//! on one line or on two, fields in any order, the free message text kept whole.

use crate::engine::field::Field;

use super::labels::{Label, label_name, split_label};
use super::values::apply_label;
use super::{Appeal, AppealError, MAX_PASTE_BYTES, name_sources};

/// `Сообщение 2516169`, `Обращение № 12`: the start of a card, with its number.
fn card_header(line: &str) -> Option<String> {
    let lower = line.to_lowercase();
    let rest = lower
        .strip_prefix("сообщение")
        .or_else(|| lower.strip_prefix("обращение"))?;
    let rest = rest.trim().trim_start_matches('№').trim();
    (!rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit())).then(|| rest.to_string())
}

/// Parses pasted text: one or several ПОС cards.
pub fn parse_text(text: &str, source: &str) -> Result<Vec<Appeal>, AppealError> {
    if text.len() > MAX_PASTE_BYTES {
        return Err(AppealError::TooLarge {
            bytes: text.len() as u64,
        });
    }
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(AppealError::Empty);
    }
    let mut cards: Vec<Appeal> = Vec::new();
    let mut cur = Appeal::default();
    let mut pending: Option<Label> = None;
    let mut in_message = false;
    let mut message = String::new();

    let finish = |cur: &mut Appeal, message: &mut String, cards: &mut Vec<Appeal>| {
        if !message.trim().is_empty() {
            cur.raw
                .push(("Текст сообщения".into(), message.trim().to_string()));
        }
        message.clear();
        let done = std::mem::take(cur);
        if done.has_any_label() {
            cards.push(done);
        }
    };

    for raw_line in text.lines() {
        let line = raw_line.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(number) = card_header(line) {
            if cur.has_any_label() || cur.number.is_some() {
                finish(&mut cur, &mut message, &mut cards);
            }
            cur.number = Some(number);
            pending = None;
            in_message = false;
            continue;
        }
        let labelled = split_label(line);
        if in_message {
            // A new card without a header line starts with «Фамилия».
            let new_card = matches!(labelled, Some((Label::Field(Field::Surname), _)))
                || matches!(labelled, Some((Label::Epgu, _)));
            if !new_card {
                message.push_str(line);
                message.push('\n');
                continue;
            }
            finish(&mut cur, &mut message, &mut cards);
            in_message = false;
        }
        match labelled {
            Some((Label::Message, value)) => {
                in_message = true;
                pending = None;
                if !value.is_empty() {
                    message.push_str(&value);
                    message.push('\n');
                }
            }
            Some((Label::Section, _)) => pending = None,
            Some((label, value)) => {
                // A second «Фамилия» in the same card starts the next card.
                if label == Label::Field(Field::Surname) && cur.surname.is_some() {
                    finish(&mut cur, &mut message, &mut cards);
                }
                if value.is_empty() {
                    pending = Some(label);
                } else {
                    apply_label(&mut cur, label, &value, label_name(label));
                    pending = None;
                }
            }
            None => match pending.take() {
                Some(label) => apply_label(&mut cur, label, line, label_name(label)),
                None => cur.raw.push((String::new(), line.to_string())),
            },
        }
    }
    finish(&mut cur, &mut message, &mut cards);
    let cards: Vec<Appeal> = cards.into_iter().filter(Appeal::has_person_data).collect();
    if cards.is_empty() {
        return Err(AppealError::NoPersonData);
    }
    Ok(name_sources(cards, source))
}
