//! The embedded demo: a class export and five appeals, for «Открыть пример» and `--demo`.

use sverka_core::book::XlsBook;

use super::SverkaApp;

/// The demo export and appeals, embedded.
pub const DEMO_EXPORT: &[u8] = include_bytes!("../../../assets/demo/export.xls");
/// The demo appeals as (file name, text) pairs, loaded in this order.
pub const DEMO_APPEALS: [(&str, &str); 5] = [
    (
        "01_родитель.txt",
        include_str!("../../../assets/demo/appeals/01_родитель.txt"),
    ),
    (
        "02_родитель_пол.txt",
        include_str!("../../../assets/demo/appeals/02_родитель_пол.txt"),
    ),
    (
        "03_ученица.txt",
        include_str!("../../../assets/demo/appeals/03_ученица.txt"),
    ),
    (
        "04_ученик_пол.txt",
        include_str!("../../../assets/demo/appeals/04_ученик_пол.txt"),
    ),
    (
        "05_нет_в_выгрузке.txt",
        include_str!("../../../assets/demo/appeals/05_нет_в_выгрузке.txt"),
    ),
];

impl SverkaApp {
    /// Opens the embedded demo: the export and all demo appeals.
    pub fn open_demo(&mut self) {
        match XlsBook::from_bytes(DEMO_EXPORT.to_vec()) {
            Ok(book) => {
                self.start_session(book);
                let Some(s) = &self.workspace.session else {
                    return;
                };
                let (appeals, failed) = s.read_texts(&DEMO_APPEALS);
                self.match_and_add(appeals, Vec::new());
                match failed.first() {
                    // The embedded texts are read by the test suite: this is not expected.
                    Some((name, e)) => self.complain(format!("{name}: {e}")),
                    None => self.say("Открыт пример: выгрузка класса и пять обращений."),
                }
            }
            Err(e) => self.complain(e.to_string()),
        }
    }
}
