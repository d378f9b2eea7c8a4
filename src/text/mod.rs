//! Text: sentences, tokens and actor mentions, with character offsets into the article.

pub mod actors;
pub mod calendar;
pub mod coref;
pub mod dateline;
pub mod discover;
pub mod names;
pub mod ner;
pub(crate) mod place;
pub mod segment;
pub(crate) mod strtable;
pub mod tokenize;
