//! The command line, parsed into typed commands by one parser.
//!
//! A small parser of sverka's own rather than clap: every message a user can get here is a
//! Russian sentence written for a school secretary (clap's own messages are English, and its
//! error kinds would need mapping one by one), the four subcommands share their options, and
//! the parser is a table of them, tested below.

use std::path::PathBuf;

use chrono::NaiveDate;

/// One command, as typed.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// `sverka help`, `--help`, `-h`, or nothing.
    Help,
    /// `sverka check EXPORT [APPEAL…]`: the whole-file audit (and the appeals' differences).
    Check(Reconcile),
    /// `sverka match EXPORT APPEAL…`: the person of each appeal and the fields compared.
    Match(Reconcile),
    /// `sverka fix EXPORT APPEAL… --out OUT`: everything fixable written to a new file.
    Fix(Fix),
    /// `sverka apply EXPORT --edits EDITS.json (--out OUT | --in-place)`.
    Apply(Apply),
}

/// What `check`, `match` and `fix` read.
#[derive(Debug, Clone, PartialEq)]
pub struct Reconcile {
    /// The export (`.xls`, or `.xlsx`/`.ods` converted).
    pub export: PathBuf,
    /// Appeal files and folders.
    pub appeals: Vec<PathBuf>,
    /// `--profile`: the officer's column mapping.
    pub profile: Option<PathBuf>,
    /// `--json`: the contract's JSON instead of text.
    pub json: bool,
    /// `--today`: the date the rules take as today (tests; plausibility of birth dates).
    pub today: NaiveDate,
}

/// `fix`: the reconciliation and where to write.
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    /// The export, the appeals and the options `fix` shares with `check` and `match`.
    pub reconcile: Reconcile,
    /// `--out`: the corrected file.
    pub out: PathBuf,
    /// `--replace`: an existing `--out` file may be replaced.
    pub replace: bool,
}

/// `apply`: an export, an edits file and where to write.
#[derive(Debug, Clone, PartialEq)]
pub struct Apply {
    /// The export to edit (`.xls`, or `.xlsx`/`.ods` converted).
    pub export: PathBuf,
    /// `--edits`: the JSON list of edits.
    pub edits: PathBuf,
    /// Where to write: a new file, or the export itself (`--in-place`).
    pub target: Target,
    /// `--replace`: an existing `--out` file may be replaced.
    pub replace: bool,
    /// `--profile`: the officer's column mapping (which columns are protected).
    pub profile: Option<PathBuf>,
}

/// Where `apply` writes.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// `--out FILE`.
    Out(PathBuf),
    /// `--in-place`: over the export itself, asked for explicitly.
    InPlace,
}

/// Why the command line was not understood; each says what to type instead.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum UsageError {
    /// The first word is not one of the commands.
    #[error("неизвестная команда «{0}»")]
    UnknownCommand(String),
    /// An option the command does not take.
    #[error("у команды «{command}» нет параметра «{option}»")]
    UnknownOption {
        /// The command typed.
        command: &'static str,
        /// The option as typed.
        option: String,
    },
    /// An option that takes a value came last, without it.
    #[error("после {option} нужен {what}")]
    MissingValue {
        /// The option.
        option: &'static str,
        /// What the value should be (in Russian: «путь к файлу (.xls)»).
        what: &'static str,
    },
    /// The same option was given twice.
    #[error("{option} указан дважды")]
    Repeated {
        /// The option.
        option: &'static str,
    },
    /// No export was named.
    #[error("не указана выгрузка (.xls)")]
    NoExport,
    /// `match` or `fix` was given no appeal.
    #[error("не указано ни одного обращения")]
    NoAppeals,
    /// `apply` was given no `--edits`.
    #[error("не указан файл правок (--edits ПРАВКИ.json)")]
    NoEdits,
    /// `apply` was given a second file after the export.
    #[error("лишний аргумент «{0}»")]
    Extra(String),
    /// `fix` was given no `--out`.
    #[error("не указано, куда сохранить (--out ИСПРАВЛЕНО.xls)")]
    NoOut,
    /// `apply` was given neither `--out` nor `--in-place`.
    #[error(
        "не указано, куда сохранить (--out ИСПРАВЛЕНО.xls); чтобы перезаписать исходный файл, добавьте --in-place"
    )]
    NoTarget,
    /// `apply` was given both `--out` and `--in-place`.
    #[error("укажите что-то одно: --out ФАЙЛ или --in-place")]
    OutAndInPlace,
    /// `--today` is not a date; holds why.
    #[error("--today: {0}")]
    BadDate(String),
}

/// An option a command takes: its name, and what its value is (`None` for a flag).
struct Opt {
    name: &'static str,
    value: Option<&'static str>,
}

const fn flag(name: &'static str) -> Opt {
    Opt { name, value: None }
}

const fn valued(name: &'static str, what: &'static str) -> Opt {
    Opt {
        name,
        value: Some(what),
    }
}

const RECONCILE: &[Opt] = &[
    valued("--profile", "путь к профилю (.json)"),
    flag("--json"),
    valued("--today", "дата (ДД.ММ.ГГГГ)"),
];
const FIX: &[Opt] = &[
    valued("--profile", "путь к профилю (.json)"),
    flag("--json"),
    valued("--today", "дата (ДД.ММ.ГГГГ)"),
    valued("--out", "путь к файлу (.xls)"),
    flag("--replace"),
];
const APPLY: &[Opt] = &[
    valued("--edits", "путь к файлу правок (.json)"),
    valued("--out", "путь к файлу (.xls)"),
    valued("--profile", "путь к профилю (.json)"),
    flag("--in-place"),
    flag("--replace"),
];

/// A command's words: its positional arguments and the options given.
struct Words {
    positional: Vec<String>,
    values: Vec<(&'static str, String)>,
    flags: Vec<&'static str>,
}

impl Words {
    fn read(
        command: &'static str,
        args: &[String],
        opts: &'static [Opt],
    ) -> Result<Words, UsageError> {
        let mut w = Words {
            positional: Vec::new(),
            values: Vec::new(),
            flags: Vec::new(),
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if !a.starts_with("--") {
                w.positional.push(a.clone());
                continue;
            }
            let Some(opt) = opts.iter().find(|o| o.name == a) else {
                return Err(UsageError::UnknownOption {
                    command,
                    option: a.clone(),
                });
            };
            let repeated = w.flags.contains(&opt.name) || w.values.iter().any(|v| v.0 == opt.name);
            if repeated {
                return Err(UsageError::Repeated { option: opt.name });
            }
            match opt.value {
                None => w.flags.push(opt.name),
                Some(what) => {
                    let v = it.next().ok_or(UsageError::MissingValue {
                        option: opt.name,
                        what,
                    })?;
                    w.values.push((opt.name, v.clone()));
                }
            }
        }
        Ok(w)
    }

    fn flag(&self, name: &str) -> bool {
        self.flags.contains(&name)
    }

    fn path(&self, name: &str) -> Option<PathBuf> {
        self.values
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| PathBuf::from(v))
    }

    fn reconcile(self, today: NaiveDate) -> Result<Reconcile, UsageError> {
        let today = match self.values.iter().find(|(n, _)| *n == "--today") {
            Some((_, d)) => {
                crate::norm::date::parse(d).map_err(|e| UsageError::BadDate(e.to_string()))?
            }
            None => today,
        };
        let mut positional = self.positional.into_iter().map(PathBuf::from);
        Ok(Reconcile {
            export: positional.next().ok_or(UsageError::NoExport)?,
            appeals: positional.collect(),
            profile: self
                .values
                .iter()
                .find(|(n, _)| *n == "--profile")
                .map(|(_, v)| PathBuf::from(v)),
            json: self.flags.contains(&"--json"),
            today,
        })
    }
}

/// Parses the command line (without the program name); `today` is the default of `--today`.
pub fn parse(args: &[String], today: NaiveDate) -> Result<Command, UsageError> {
    let rest = args.get(1..).unwrap_or(&[]);
    match args.first().map(String::as_str) {
        None | Some("help" | "--help" | "-h") => Ok(Command::Help),
        Some("check") => Ok(Command::Check(
            Words::read("check", rest, RECONCILE)?.reconcile(today)?,
        )),
        Some("match") => {
            let r = Words::read("match", rest, RECONCILE)?.reconcile(today)?;
            if r.appeals.is_empty() {
                return Err(UsageError::NoAppeals);
            }
            Ok(Command::Match(r))
        }
        Some("fix") => {
            let w = Words::read("fix", rest, FIX)?;
            let (out, replace) = (w.path("--out"), w.flag("--replace"));
            let reconcile = w.reconcile(today)?;
            if reconcile.appeals.is_empty() {
                return Err(UsageError::NoAppeals);
            }
            Ok(Command::Fix(Fix {
                reconcile,
                out: out.ok_or(UsageError::NoOut)?,
                replace,
            }))
        }
        Some("apply") => apply(Words::read("apply", rest, APPLY)?).map(Command::Apply),
        Some(other) => Err(UsageError::UnknownCommand(other.to_string())),
    }
}

fn apply(w: Words) -> Result<Apply, UsageError> {
    let mut positional = w.positional.iter();
    let export = positional.next().ok_or(UsageError::NoExport)?;
    if let Some(extra) = positional.next() {
        return Err(UsageError::Extra(extra.clone()));
    }
    let edits = w.path("--edits").ok_or(UsageError::NoEdits)?;
    let target = match (w.path("--out"), w.flag("--in-place")) {
        (Some(_), true) => return Err(UsageError::OutAndInPlace),
        (Some(out), false) => Target::Out(out),
        (None, true) => Target::InPlace,
        (None, false) => return Err(UsageError::NoTarget),
    };
    Ok(Apply {
        export: PathBuf::from(export),
        edits,
        target,
        replace: w.flag("--replace"),
        profile: w.path("--profile"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap_or_default()
    }

    fn parse_words(line: &str) -> Result<Command, UsageError> {
        let args: Vec<String> = line.split_whitespace().map(String::from).collect();
        parse(&args, today())
    }

    #[test]
    fn every_command_parses_into_its_type() {
        assert_eq!(parse_words(""), Ok(Command::Help));
        assert_eq!(parse_words("--help"), Ok(Command::Help));
        let Ok(Command::Check(c)) = parse_words("check a.xls --json b.txt --today 01.09.2026")
        else {
            panic!("check")
        };
        assert_eq!(c.export, PathBuf::from("a.xls"));
        assert_eq!(c.appeals, vec![PathBuf::from("b.txt")]);
        assert!(c.json);
        assert_eq!(
            c.today,
            NaiveDate::from_ymd_opt(2026, 9, 1).unwrap_or_default()
        );
        let Ok(Command::Fix(f)) = parse_words("fix a.xls b --out c.xls --replace") else {
            panic!("fix")
        };
        assert_eq!((f.out, f.replace), (PathBuf::from("c.xls"), true));
        assert_eq!(f.reconcile.today, today());
        let Ok(Command::Apply(a)) = parse_words("apply a.xls --edits e.json --in-place") else {
            panic!("apply")
        };
        assert_eq!(a.target, Target::InPlace);
        assert_eq!(a.edits, PathBuf::from("e.json"));
    }

    #[test]
    fn mistakes_are_said_in_russian() {
        let cases = [
            ("frobnicate", "неизвестная команда «frobnicate»"),
            (
                "check a.xls --out x.xls",
                "у команды «check» нет параметра «--out»",
            ),
            ("fix a.xls b --out", "после --out нужен путь к файлу (.xls)"),
            ("match a.xls", "не указано ни одного обращения"),
            (
                "fix a.xls b",
                "не указано, куда сохранить (--out ИСПРАВЛЕНО.xls)",
            ),
            (
                "apply a.xls --out o.xls",
                "не указан файл правок (--edits ПРАВКИ.json)",
            ),
            (
                "apply a.xls --edits e.json",
                "чтобы перезаписать исходный файл",
            ),
            (
                "apply a.xls b.xls --edits e.json --in-place",
                "лишний аргумент «b.xls»",
            ),
            ("apply a.xls --edits e --out o --in-place", "что-то одно"),
            ("check a.xls --json --json", "--json указан дважды"),
            ("check a.xls --today завтра", "--today: "),
            ("check", "не указана выгрузка (.xls)"),
        ];
        for (line, want) in cases {
            let got = parse_words(line)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(got.contains(want), "{line}: {got}");
        }
    }
}
