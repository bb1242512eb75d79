//! What the screen and the text commands say, shared by the view ([`crate::ui`]), update
//! (paging, the cursor, notices) and the commands, so that all of them agree: which rows are
//! visible in which order (`rows`), where each part of the screen goes (`layout`), times and
//! figures as text (`format`), a cell's pieces fitted to a width (`cell`), an impact's
//! evidence in words (`evidence`), and counts and names (`words`). It draws nothing and
//! imports neither the view, nor update, nor the sources: only the domain, the state and the
//! theme's glyphs.

pub mod cell;
pub mod evidence;
pub mod format;
pub mod layout;
pub mod rows;
pub mod words;
