//! The session's names for the things it holds, stable while the lists around them change.

/// One loaded appeal, for as long as the session keeps it: not its place in the list (which
/// changes when an appeal before it is removed), and never reused for another appeal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AppealId(pub(crate) u64);
