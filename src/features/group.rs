//! Feature groups: each is L2-normalized on its own and has a weight.

pub const GROUPS: usize = 16;
/// Feature groups; a group's conjoined copies are group + `G_CONJOINED`.
pub const G_WORD: u8 = 0;
pub const G_CHAR: u8 = 1;
pub const G_CONTEXT: u8 = 2;
pub const G_LEXICON: u8 = 3;
pub const G_CONJOINED: u8 = 4;
/// Cue words (the `cues` extra), normalized on their own; conjoined copies in
/// `G_CUE + G_CONJOINED`.
pub const G_CUE: u8 = 8;
/// Surface shape of the sentence (the `shape` extra); conjoined copies in
/// `G_SHAPE + G_CONJOINED`.
pub const G_SHAPE: u8 = 9;

/// Which groups [`Extractor::hits_from_tokens`] emits: a bit per group (`1 << G_WORD`, ...),
/// conjoined copies going with their group.
pub type Blocks = u16;
/// Every group.
pub const ALL_BLOCKS: Blocks = 0xffff;
/// Only the character n-grams: for a stance row they depend on the set of all mentions
/// but not on which actor is the target, so one sentence's actors can share them.
pub const CHAR_BLOCK: Blocks = 1 << G_CHAR;
