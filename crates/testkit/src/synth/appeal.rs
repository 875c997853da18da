//! A ПОС card for a person, in one of the layouts officers paste.

use super::{Rng, TruePerson};

/// A ПОС card for `p` in one of the layouts officers paste.
pub(crate) fn appeal_text(
    p: &TruePerson,
    number: usize,
    rng: &mut Rng,
    mask_snils: bool,
) -> String {
    let layout = rng.below(4);
    let sep = match layout {
        0 => " ",
        1 => "\n",
        2 => "\t",
        _ => ": ",
    };
    let d = &p.phone;
    let g = |a: usize, b: usize| d.get(a..b).unwrap_or("");
    let phone = match rng.below(3) {
        0 => format!("+7({}){}-{}-{}", g(0, 3), g(3, 6), g(6, 8), g(8, 10)),
        1 => format!("8{d}"),
        _ => format!("+7 {} {}-{}-{}", g(0, 3), g(3, 6), g(6, 8), g(8, 10)),
    };
    let snils = if mask_snils {
        format!(
            "{}____ {}",
            p.snils.get(0..1).unwrap_or("1"),
            p.snils.get(9..11).unwrap_or("00")
        )
    } else {
        p.snils_dashed()
    };
    let lines = [
        (
            "Номер сообщения ЕПГУ",
            format!("{}", 3_000_000_000u64 + number as u64),
        ),
        ("Заявитель", String::new()),
        ("Информация о гражданине", String::new()),
        ("Фамилия", p.surname.clone()),
        ("Имя", p.name.clone()),
        ("Отчество", p.patronymic.clone()),
        ("Дата рождения", sverka::norm::date::format_ru(p.birth)),
        ("СНИЛС", snils),
        (
            "Адрес места жительства",
            "Камчатский край, г. Петропавловск-Камчатский".into(),
        ),
        ("Электронная почта", p.email.clone()),
        ("Тел.", phone),
        ("Тип учетной записи ЕСИА", "Подтвержденная".into()),
    ];
    let mut out = format!("Сообщение {}\n", 2_500_000 + number);
    for (label, value) in lines {
        if value.is_empty() {
            out.push_str(label);
            out.push('\n');
        } else {
            out.push_str(label);
            out.push_str(sep);
            out.push_str(&value);
            out.push('\n');
        }
    }
    out.push_str("Текст сообщения\nНе получается войти в Сетевой город через Госуслуги.\n");
    out
}
