//! The reconciliation commands: `check`, `match`, `fix` — readable Russian text, or `--json`
//! as DESIGN.md's contract says. Exit codes: 0 ok, 1 findings exist (`check`), 2 bad input.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::book::Grid;
use crate::book::XlsBook;
use crate::cli::args::{Fix, Reconcile};
use crate::cli::error::CliError;
use crate::engine::appeal::{self, Appeal};
use crate::engine::card::Card;
use crate::engine::diagnosis::{Account, Diagnoser, Diagnosis};
use crate::engine::field::Field;
use crate::engine::findings::{Finding, Severity};
use crate::engine::lookup::{AppealHelp, help_all};
use crate::engine::matching::{Status, Verdict};
use crate::engine::reconcile::{Analysis, Outcome, appeal_findings, match_appeals, plan_fixes};
use crate::engine::schema::{PersonId, Profile, Schema};
use crate::engine::writer::{CellWrite, Writer};
use crate::xls::a1;

/// Exit code when `check` finds errors or warnings.
pub const EXIT_FINDINGS: i32 = 1;

/// Reads appeal files (a folder means every appeal file in it, in name order).
pub fn load_appeals(paths: &[PathBuf]) -> Result<Vec<Appeal>, CliError> {
    let mut out = Vec::new();
    for loaded in appeal::load_paths(paths) {
        let f = loaded.path;
        let mut list = loaded.appeals.map_err(|source| CliError::Appeal {
            path: f.clone(),
            source,
        })?;
        let shown = f.display().to_string();
        let many = list.len() > 1;
        for (i, a) in list.iter_mut().enumerate() {
            a.source = if many {
                format!("{shown}#{}", i + 1)
            } else {
                shown.clone()
            };
        }
        out.extend(list);
    }
    Ok(out)
}

/// The officer's column mapping, if one is given.
pub fn load_profiles(path: Option<&Path>) -> Result<Vec<Profile>, CliError> {
    Ok(path
        .map(crate::session::profiles::read)
        .transpose()?
        .unwrap_or_default())
}

/// What every reconciliation reads: the export, its layout and audit, the appeals matched.
struct Loaded {
    book: XlsBook,
    grids: Vec<Grid>,
    analysis: Analysis,
    outcomes: Vec<Outcome>,
    names: Vec<String>,
}

impl Loaded {
    fn read(r: &Reconcile) -> Result<Loaded, CliError> {
        let book = XlsBook::open(&r.export)?;
        let profiles = load_profiles(r.profile.as_deref())?;
        let appeals = load_appeals(&r.appeals)?;
        let grids = book.originals().to_vec();
        let analysis = Analysis::run(&grids, &profiles, r.today);
        let outcomes = match_appeals(&grids, &analysis, appeals);
        let names = book.sheet_names().iter().map(|s| s.to_string()).collect();
        Ok(Loaded {
            book,
            grids,
            analysis,
            outcomes,
            names,
        })
    }

    fn sheet_name(&self, i: usize) -> String {
        self.names.get(i).cloned().unwrap_or_default()
    }
}

/// `check`: every finding of the audit and the appeals; exit code 1 when any is an error or
/// a warning.
pub fn check(r: &Reconcile) -> Result<(String, i32), CliError> {
    let l = Loaded::read(r)?;
    let sheet_name = |i: usize| l.sheet_name(i);
    let mut findings = l.analysis.findings.clone();
    findings.extend(appeal_findings(&l.outcomes));
    findings.sort_by_key(|f| (f.cell, f.kind));
    let code = if findings.iter().any(|f| f.severity != Severity::Info) {
        EXIT_FINDINGS
    } else {
        0
    };
    let text = if r.json {
        json!({"findings": findings.iter().map(|f| finding_json(f, &sheet_name)).collect::<Vec<_>>()})
            .to_string()
    } else {
        check_text(&findings, &l.analysis.schema, &sheet_name)
    };
    Ok((text, code))
}

/// `match`: each appeal's person and fields.
pub fn matches(r: &Reconcile) -> Result<(String, i32), CliError> {
    let l = Loaded::read(r)?;
    let sheet_name = |i: usize| l.sheet_name(i);
    let helps = helps(&l.grids, &l.analysis.schema, &l.outcomes);
    let diagnoses = diagnoses_of(&l.grids, &l.analysis.schema, &l.outcomes, &helps);
    let text = if r.json {
        json!({"appeals": appeals_json(&l.grids, &l.outcomes, &helps, &diagnoses, &l.analysis.schema, &sheet_name)})
            .to_string()
    } else {
        match_text(
            &l.grids,
            &l.outcomes,
            &helps,
            &diagnoses,
            &l.analysis.schema,
            &sheet_name,
        )
    };
    Ok((text, 0))
}

/// `fix`: every fixable difference written through the one writer into a new file, and what
/// is left to fix by hand in СГО.
pub fn fix(f: &Fix) -> Result<(String, i32), CliError> {
    let mut l = Loaded::read(&f.reconcile)?;
    let (applied, manual) = plan_fixes(&l.analysis.schema, &l.outcomes);
    let helps = helps(&l.grids, &l.analysis.schema, &l.outcomes);
    // Diagnosed on the export as read (the causes the appeals came with).
    let diagnoses = diagnoses_of(&l.grids, &l.analysis.schema, &l.outcomes, &helps);
    let writes: Vec<CellWrite> = applied
        .iter()
        .map(|a| CellWrite {
            cell: crate::book::CellRef::new(a.sheet, a.row, a.col),
            text: Some(a.new.clone()),
        })
        .collect();
    Writer::new(&l.analysis.schema)
        .write(&mut l.book, &writes)
        .map_err(CliError::FixesRefused)?;
    crate::cli::refuse_existing(&f.out, f.replace)?;
    let report = l.book.save_as(&f.out)?;
    let sheet_name = |i: usize| l.sheet_name(i);
    let text = if f.reconcile.json {
        json!({
            "appeals": appeals_json(&l.grids, &l.outcomes, &helps, &diagnoses, &l.analysis.schema, &sheet_name),
            "applied": applied.iter().map(|a| json!({
                "sheet": sheet_name(a.sheet), "row": a.row, "col": a.col,
                "field": a.field, "old": a.old, "new": a.new, "appeal": a.appeal,
            })).collect::<Vec<_>>(),
            "manual": manual.iter().map(|m| json!({
                "sheet": sheet_name(m.sheet), "row": m.row, "col": m.col,
                "field": m.field, "card": m.card, "appeal": m.appeal, "how": m.how,
            })).collect::<Vec<_>>(),
            "saved": {"path": report.path.display().to_string(), "cells_changed": report.cells_changed},
        })
        .to_string()
    } else {
        let mut t = match_text(
            &l.grids,
            &l.outcomes,
            &helps,
            &diagnoses,
            &l.analysis.schema,
            &sheet_name,
        );
        t.push_str(&format!(
            "\nИсправлено ячеек: {}. Сохранено: «{}» (файл перечитан и проверен).\n",
            report.cells_changed,
            report.path.display()
        ));
        for a in &applied {
            t.push_str(&format!(
                "  {}!{} {}: «{}» > «{}»\n",
                sheet_name(a.sheet),
                a1(a.row, a.col),
                a.field.label_ru(),
                a.old.as_deref().unwrap_or(""),
                a.new
            ));
        }
        if manual.is_empty() {
            t.push_str("Ручных исправлений в СГО не требуется.\n");
        } else {
            t.push_str(&format!("\nВручную в СГО ({}):\n", manual.len()));
            for m in &manual {
                t.push_str(&format!("  • {}\n", m.how));
            }
        }
        t
    };
    Ok((text, 0))
}

fn finding_json(f: &Finding, sheet_name: &dyn Fn(usize) -> String) -> Value {
    json!({
        "sheet": sheet_name(f.cell.sheet), "row": f.cell.row, "col": f.cell.col, "field": f.field,
        "severity": f.severity, "kind": f.kind, "message": f.message, "suggestion": f.suggestion,
    })
}

fn check_text(
    findings: &[Finding],
    schema: &Schema,
    sheet_name: &dyn Fn(usize) -> String,
) -> String {
    let mut t = String::new();
    let people = schema.people.len();
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count();
    for l in &schema.sheets {
        match l.header_row {
            Some(h) => t.push_str(&format!(
                "Лист «{}»: заголовки в строке {}, людей: {}{}\n",
                l.name,
                h + 1,
                schema.people.iter().filter(|p| p.sheet == l.sheet).count(),
                if l.confident {
                    ""
                } else {
                    " (столбцы распознаны не уверенно — проверьте сопоставление)"
                }
            )),
            None => t.push_str(&format!(
                "Лист «{}»: строка заголовков не найдена, лист пропущен\n",
                l.name
            )),
        }
    }
    t.push_str(&format!(
        "Проверено людей: {people}. Ошибок: {errors}, предупреждений: {warnings}, замечаний: {}.\n",
        findings.len() - errors - warnings
    ));
    for f in findings {
        t.push_str(&format!(
            "{}!{} [{}] {}{}\n",
            sheet_name(f.cell.sheet),
            a1(f.cell.row, f.cell.col),
            f.severity.label_ru(),
            f.message,
            f.suggestion
                .as_deref()
                .map(|s| format!(" Предлагается: «{s}»."))
                .unwrap_or_default()
        ));
    }
    t
}

fn person_json(schema: &Schema, id: PersonId, sheet_name: &dyn Fn(usize) -> String) -> Value {
    match schema.person(id) {
        Some(p) => {
            json!({"sheet": sheet_name(p.sheet), "row": p.row, "role": p.role, "group": p.group})
        }
        None => Value::Null,
    }
}

/// The child named in each appeal's message, and the near cards of each appeal not found.
fn helps(grids: &[Grid], schema: &Schema, outcomes: &[Outcome]) -> Vec<AppealHelp> {
    let appeals: Vec<(&Appeal, Status)> = outcomes
        .iter()
        .map(|o| (&o.appeal, o.result.status))
        .collect();
    help_all(grids, schema, &appeals)
}

/// The `--json` objects of the appeals. Besides the match: `message` (the appeal's text or
/// `null`), `child` (`{"sheet", "row"}` of the pupil the message names, or `null`) and `near`
/// (for `not_found`: the cards sharing a СНИЛС, phone, e-mail, or name and birth date, each
/// with the fields that agree, maybe an empty list; `null` for the other statuses, whose
/// person is found or among the candidates).
fn appeals_json(
    grids: &[Grid],
    outcomes: &[Outcome],
    helps: &[AppealHelp],
    diagnoses: &[Vec<Diagnosis>],
    schema: &Schema,
    sheet_name: &dyn Fn(usize) -> String,
) -> Vec<Value> {
    outcomes
        .iter()
        .zip(helps)
        .zip(diagnoses)
        .map(|((o, h), d)| {
            let r = &o.result;
            json!({
                "source": o.appeal.source,
                "status": r.status,
                "person": r.person.map(|i| person_json(schema, i, sheet_name)),
                "score": (r.score * 1000.0).round() / 1000.0,
                "candidates": r.candidates.iter().map(|c| {
                    let mut v = person_json(schema, c.person, sheet_name);
                    if let Some(obj) = v.as_object_mut() {
                        obj.insert("score".into(), json!((c.score * 1000.0).round() / 1000.0));
                    }
                    v
                }).collect::<Vec<_>>(),
                "also": r.also.iter().map(|&i| person_json(schema, i, sheet_name)).collect::<Vec<_>>(),
                "fields": r.fields.iter().map(|f| json!({
                    "field": f.field, "verdict": f.verdict, "kind": f.kind,
                    "card": f.card, "appeal": f.appeal, "suggestion": f.suggestion,
                    "cell": {"sheet": sheet_name(f.cell.sheet), "row": f.cell.row, "col": f.cell.col},
                })).collect::<Vec<_>>(),
                "warnings": o.appeal.warnings,
                "message": o.appeal.message(),
                "diagnoses": diagnoses_json(d, grids, schema, sheet_name),
                "child": h.child.map(|c| json!({"sheet": sheet_name(c.sheet), "row": c.row})),
                "near": h.near.as_ref().map(|near| near.iter().map(|c| {
                    let mut v = person_json(schema, c.place.person, sheet_name);
                    if let Some(obj) = v.as_object_mut() {
                        obj.insert("agree".into(), json!(c.agree));
                    }
                    v
                }).collect::<Vec<_>>()),
            })
        })
        .collect()
}

/// Every appeal's diagnoses ([`Diagnoser`]), the index of the cards built once.
fn diagnoses_of(
    grids: &[Grid],
    schema: &Schema,
    outcomes: &[Outcome],
    helps: &[AppealHelp],
) -> Vec<Vec<Diagnosis>> {
    let diagnoser = Diagnoser::new(grids, schema);
    outcomes
        .iter()
        .zip(helps)
        .map(|(o, h)| diagnoser.diagnose(o, h.child))
        .collect()
}

/// The `--json` objects of an appeal's diagnoses: `kind`, `message`, and what the kind
/// names — `account` (the type read), `child` and `parent` (`{"sheet", "row"}`), `cards`
/// (every card of the person), `fields`.
fn diagnoses_json(
    diagnoses: &[Diagnosis],
    grids: &[Grid],
    schema: &Schema,
    sheet_name: &dyn Fn(usize) -> String,
) -> Value {
    let place = |p: PersonId| match schema.person(p) {
        Some(q) => json!({"sheet": sheet_name(q.sheet), "row": q.row}),
        None => Value::Null,
    };
    diagnoses
        .iter()
        .map(|d| {
            let mut v = json!({
                "kind": d.kind(),
                "message": d.message_ru(&|p| person_line(grids, schema, p)),
            });
            if let Some(obj) = v.as_object_mut() {
                match d {
                    Diagnosis::AccountNotConfirmed { account } => {
                        obj.insert("account".into(), json!(account.label_ru()));
                    }
                    Diagnosis::NoCauseFound { account } => {
                        obj.insert("account".into(), json!(account.map(Account::label_ru)));
                    }
                    Diagnosis::ChildNotLinked { child, parent } => {
                        obj.insert("child".into(), place(*child));
                        obj.insert("parent".into(), place(*parent));
                    }
                    Diagnosis::DuplicateCards { cards } => {
                        obj.insert(
                            "cards".into(),
                            Value::Array(cards.iter().map(|&c| place(c)).collect()),
                        );
                    }
                    Diagnosis::FieldsDiffer { fields } => {
                        obj.insert("fields".into(), json!(fields));
                    }
                    Diagnosis::StaffNotInExport | Diagnosis::NotInSgo => {}
                }
            }
            v
        })
        .collect()
}

/// «Абрамова Арина» — the name on a person's card.
fn card_name(grids: &[Grid], schema: &Schema, person: PersonId) -> String {
    let Some(p) = schema.person(person) else {
        return String::new();
    };
    let Some(grid) = grids.get(p.sheet) else {
        return String::new();
    };
    let card = Card::read(grid, p);
    [Field::Surname, Field::Name, Field::Patronymic]
        .into_iter()
        .filter_map(|f| card.text(f))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

/// `лист «Ученики», строка 12, Родитель 1 (родитель) Иванова Анна`.
fn person_line(grids: &[Grid], schema: &Schema, person: PersonId) -> String {
    let Some(p) = schema.person(person) else {
        return String::new();
    };
    let name = card_name(grids, schema, person);
    let mut line = format!("{} ({})", schema.place_ru(p), p.role.label_ru());
    if !name.is_empty() {
        line.push_str(&format!(" {name}"));
    }
    line
}

fn match_text(
    grids: &[Grid],
    outcomes: &[Outcome],
    helps: &[AppealHelp],
    diagnoses: &[Vec<Diagnosis>],
    schema: &Schema,
    sheet_name: &dyn Fn(usize) -> String,
) -> String {
    let mut t = String::new();
    for ((o, h), d) in outcomes.iter().zip(helps).zip(diagnoses) {
        let r = &o.result;
        t.push_str(&format!(
            "\nОбращение {} — {}: {}\n",
            o.appeal.source,
            o.appeal.title(),
            r.status.label_ru()
        ));
        for w in &o.appeal.warnings {
            t.push_str(&format!("  ! {w}\n"));
        }
        match r.status {
            Status::Matched => {
                if let Some(p) = r.person.and_then(|i| schema.person(i)) {
                    t.push_str(&format!(
                        "  {} ({}), совпадение {:.0}%\n",
                        schema.place_ru(p),
                        p.role.label_ru(),
                        r.score * 100.0
                    ));
                }
                for f in &r.fields {
                    let mark = match f.verdict {
                        Verdict::Equal => "  ✓",
                        Verdict::ProtectedDiffers => "  ✎",
                        _ => "  ✗",
                    };
                    if f.verdict == Verdict::Equal {
                        t.push_str(&format!("{mark} {}: {}\n", f.field.label_ru(), f.card.as_deref().unwrap_or("")));
                    } else {
                        t.push_str(&format!(
                            "{mark} {} [{}!{}] {}\n",
                            f.field.label_ru(),
                            sheet_name(f.cell.sheet),
                            f.cell,
                            f.message
                        ));
                    }
                }
            }
            Status::Ambiguous => {
                t.push_str("  Подходят несколько человек — выберите нужного:\n");
                for c in &r.candidates {
                    if let Some(p) = schema.person(c.person) {
                        t.push_str(&format!(
                            "    {} ({}), совпадение {:.0}%\n",
                            schema.place_ru(p),
                            p.role.label_ru(),
                            c.score * 100.0
                        ));
                    }
                }
            }
            Status::NotFound => t.push_str(
                "  Этого человека нет в выгрузке («Ошибка авторизации №1»): создайте карточку в СГО или проверьте, тот ли это класс.\n",
            ),
        }
        if let Some(c) = h.child {
            t.push_str(&format!(
                "  Ребёнок, названный в обращении: {}\n",
                person_line(grids, schema, c.person)
            ));
        }
        for x in d {
            t.push_str(&format!(
                "  Причина: {}\n",
                x.message_ru(&|p| person_line(grids, schema, p))
            ));
        }
        match &h.near {
            Some(near) if near.is_empty() => t.push_str(
                "  Карточек с тем же СНИЛС, телефоном, почтой или с теми же ФИО и датой рождения в выгрузке нет.\n",
            ),
            Some(near) => {
                t.push_str(
                    "  Прежде чем создавать карточку, проверьте похожие — у одного человека в СГО не должно быть двух учётных записей:\n",
                );
                for c in near {
                    let agree: Vec<String> = c.agree.iter().map(|f| f.word_ru()).collect();
                    let verb = if agree.len() == 1 {
                        "совпадает"
                    } else {
                        "совпадают"
                    };
                    t.push_str(&format!(
                        "    {}: {verb} {}\n",
                        person_line(grids, schema, c.place.person),
                        agree.join(", ")
                    ));
                }
            }
            None => {}
        }
    }
    t
}
