//! Long work as jobs: opening an export, matching appeals and saving. Every such operation is
//! one job with one path — run on a worker thread for a large book (with a progress indicator
//! in the status bar), at once for a small one — and what it returns is taken in by
//! [`SverkaApp::finish`] either way, so the two sizes of book cannot behave differently.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};

use eframe::egui;

use super::error::AppError;
use super::{Dialog, SverkaApp};
use sverka_core::session::Session;

/// Work running off the UI thread.
pub(super) struct Job {
    pub(super) what: String,
    pub(super) started: std::time::Instant,
    rx: Receiver<Done>,
}

/// What a worker sends back.
pub(super) enum Done {
    Opened {
        session: Result<Box<Session>, AppError>,
        path: PathBuf,
        appeals: Vec<PathBuf>,
    },
    Matched {
        outcomes: Vec<sverka_core::session::Outcome>,
        version: u64,
        errors: Vec<String>,
    },
    Saved {
        result: Result<sverka_core::book::SaveReport, sverka_core::xls::XlsError>,
        ticket: sverka_core::session::SaveTicket,
        path: PathBuf,
    },
}

impl SverkaApp {
    /// Runs a job: on a worker thread when `background` (its result arrives in
    /// [`SverkaApp::poll_job`]), else at once; [`SverkaApp::finish`] takes its result in.
    pub(super) fn run_job(
        &mut self,
        what: String,
        background: bool,
        work: impl FnOnce() -> Done + Send + 'static,
    ) {
        if background {
            self.spawn(what, work);
        } else {
            let done = work();
            self.finish(done);
        }
    }

    /// Runs `work` on a worker thread; its result arrives in [`SverkaApp::poll_job`].
    fn spawn(&mut self, what: String, work: impl FnOnce() -> Done + Send + 'static) {
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let _ = tx.send(work());
        });
        self.job = Some(Job {
            what,
            started: std::time::Instant::now(),
            rx,
        });
    }

    /// A worker is running: says so and returns true (one long task at a time).
    pub(super) fn busy(&mut self) -> bool {
        let Some(job) = &self.job else { return false };
        let what = job.what.clone();
        self.complain(format!("Дождитесь окончания: {what}."));
        true
    }

    /// Whether long work is running on a worker thread.
    pub fn is_working(&self) -> bool {
        self.job.is_some()
    }

    /// Whether the open book is large enough for worker threads.
    pub(super) fn large_book(&self) -> bool {
        self.workspace.session.as_ref().is_some_and(|s| {
            s.book()
                .path()
                .and_then(|p| std::fs::metadata(p).ok())
                .is_some_and(|m| m.len() >= self.background_bytes)
        })
    }

    /// Takes in what the worker sent back, once it is done.
    pub(super) fn poll_job(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.job else { return };
        let done = match job.rx.try_recv() {
            Ok(done) => done,
            Err(std::sync::mpsc::TryRecvError::Empty) => {
                // Keep the progress indicator moving while the worker runs.
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
                return;
            }
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.job = None;
                self.bring_back_replaced();
                self.complain("Работа прервалась из-за внутренней ошибки; данные не изменены.");
                return;
            }
        };
        self.job = None;
        if std::mem::take(&mut self.close_after_job) {
            // Asked again: the unsaved-edits question still comes first.
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        self.finish(done);
    }

    /// A file that did not open (or an open that broke off) replaces nothing: the export that
    /// was put aside for it is open again.
    fn bring_back_replaced(&mut self) {
        if let Some(w) = self.replaced.take() {
            self.workspace = *w;
        }
    }

    /// Takes in what a job returned.
    pub(super) fn finish(&mut self, done: Done) {
        match done {
            Done::Opened {
                session,
                path,
                appeals,
            } => match session {
                Ok(session) => {
                    self.replaced = None;
                    self.remember(&path);
                    self.install_session(*session);
                    self.say_opened(&path);
                    self.load_appeal_files(&appeals);
                }
                Err(e) => {
                    self.bring_back_replaced();
                    self.complain(e.to_string());
                }
            },
            Done::Matched {
                outcomes,
                version,
                errors,
            } => {
                let read = outcomes.len();
                let added = match &mut self.workspace.session {
                    Some(s) => s.accept_outcomes(outcomes, version),
                    None => Vec::new(),
                };
                if let Some(&first) = added.first() {
                    self.select_appeal(first);
                }
                self.report_appeals_loaded(added.len(), read - added.len(), errors);
            }
            Done::Saved {
                result,
                ticket,
                path,
            } => match result {
                Ok(r) => {
                    if let Some(s) = &mut self.workspace.session {
                        s.mark_saved(ticket, &r.path);
                    }
                    self.say_saved(&r);
                }
                Err(e) => {
                    self.complain(format!("Не сохранено: {e}"));
                    self.dialog = Some(Dialog::Save {
                        path: path.display().to_string(),
                        error: Some(e.to_string()),
                        replace: None,
                    });
                }
            },
        }
    }
}
