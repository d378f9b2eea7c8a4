//! Feature groups: each is L2-normalized on its own and has a weight, and hits carry
//! their group.

/// A feature group. A group's number seeds the hash of its feature names, so the numbers
/// are part of the model file's meaning and never change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Group(u8);

/// Number of group slots (groups and their conjoined copies have numbers below this).
pub const GROUPS: usize = 16;

/// How far a group's conjoined copies are from it.
const CONJOINED: u8 = 4;

impl Group {
    /// Word n-grams.
    pub const WORD: Group = Group(0);
    /// Character n-grams.
    pub const CHAR: Group = Group(1);
    /// The target's context: left/right, window and clause n-grams.
    pub const CONTEXT: Group = Group(2);
    /// Prior polarity (the VADER lexicon).
    pub const LEXICON: Group = Group(3);
    /// Cue words (the `cues` extra).
    pub const CUE: Group = Group(8);
    /// Surface shape of the sentence (the `shape` extra).
    pub const SHAPE: Group = Group(9);
    /// The loaded-word detector's sentence features (hashed with this group's seed; they
    /// are added to the bias row after weighting).
    pub const LOADED: Group = Group(10);
    /// Word-cluster ids (the `clusters` extra; its conjoined copies are group 15).
    pub const CLUSTER: Group = Group(11);
    /// The seed of the hashes of valued features (the `vectors` and `subjectivity`
    /// extras), which are added to a row after weighting; never the group of a hit (it
    /// would be the loaded-word group's conjoined copy, which does not exist).
    pub const VALUED: Group = Group(14);

    /// The group of this group's target-conjoined copies (word 0 -> 4, ..., lexicon 3 ->
    /// 7; cue 8 -> 12, shape 9 -> 13, cluster 11 -> 15).
    pub const fn conjoined(self) -> Group {
        Group(self.0 + CONJOINED)
    }

    /// The group this one is a conjoined copy of, or itself.
    pub const fn base(self) -> Group {
        if self.0 >= Group::CUE.0 {
            Group(Group::CUE.0 + (self.0 - Group::CUE.0) % CONJOINED)
        } else {
            Group(self.0 % CONJOINED)
        }
    }

    /// The group's slot in per-group arrays, below [`GROUPS`].
    pub const fn index(self) -> usize {
        self.0 as usize
    }

    /// The group of slot `index` (`index & (GROUPS - 1)`).
    pub const fn from_index(index: usize) -> Group {
        Group((index & (GROUPS - 1)) as u8)
    }

    /// The seed of the hash of the group's feature names.
    pub const fn seed(self) -> u64 {
        self.0 as u64
    }

    /// This group's bit in [`Blocks`].
    pub const fn bit(self) -> Blocks {
        1 << self.0
    }
}

/// A feature hit as the scorer takes it: `group << 32 | bucket` (36 bits; the bits above
/// are free for marks).
#[inline]
pub const fn hit(g: Group, bucket: u32) -> u64 {
    (g.0 as u64) << 32 | bucket as u64
}

/// The group and bucket of a [`hit`].
#[inline]
pub const fn hit_parts(h: u64) -> (Group, u32) {
    (Group::from_index((h >> 32) as usize), h as u32)
}

/// Which groups [`crate::features::Extractor::hits_from_tokens`] emits: a bit per group
/// ([`Group::bit`]), conjoined copies going with their group.
pub type Blocks = u16;
/// Every group.
pub const ALL_BLOCKS: Blocks = 0xffff;
/// Only the character n-grams: for a stance row they depend on the set of all mentions
/// but not on which actor is the target, so one sentence's actors can share them.
pub const CHAR_BLOCK: Blocks = Group::CHAR.bit();
