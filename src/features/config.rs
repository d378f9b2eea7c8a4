//! The feature stage's settings, stored in the model file.

use crate::error::Result;
use serde::{Deserialize, Serialize};

/// When to add target-conjoined copies of every feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Conjoin {
    /// Never.
    Never,
    /// Only for rows whose target is a topic not located in the text (no mention span):
    /// there, the target string is the only way to know what the stance is about.
    Topics,
    /// For every row.
    Always,
    /// Every feature for topic rows (as `Topics`); for rows with a located target, only
    /// the target-dependent features (context, window, clause, lexicon), conjoined with
    /// the actor: how words around an actor read can depend on the actor, while the
    /// whole-sentence n-grams stay shared.
    Context,
}

impl Conjoin {
    /// The value's name, as `stance-train --conjoin` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Conjoin::Never => "never",
            Conjoin::Topics => "topics",
            Conjoin::Context => "context",
            Conjoin::Always => "always",
        }
    }
}

/// Settings of the feature stage; stored in the model file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureConfig {
    /// log2 of the number of hash buckets (default 20).
    pub hash_bits: u8,
    /// Word n-grams of length 1..=word_ngrams (default 3; 0 disables).
    pub word_ngrams: u8,
    /// Character n-grams of length char_min..=char_max inside word boundaries
    /// (default 3..=5; char_max 0 disables).
    pub char_min: u8,
    /// Longest character n-gram (0 with `char_min` 0: no character n-grams).
    pub char_max: u8,
    /// Left/right-context unigrams and bigrams of the target mention (default off).
    pub context: bool,
    /// Unigrams and bigrams within this many tokens of the mention, by side (default 4;
    /// 0 disables).
    pub window: u8,
    /// Target-conjoined feature copies (default `Context`).
    pub conjoin: Conjoin,
    /// Use 1 + ln(count) instead of the count (default on).
    pub sublinear_tf: bool,
    /// Multiply by inverse document frequency learned in training (default on).
    pub idf: bool,
    /// Prior-polarity features from the VADER sentiment lexicon: polarity (flipped
    /// under negation) and strength of sentiment words, by side of and distance to the
    /// target and whether they share its clause (default on).
    pub lexicon: bool,
    /// Unigrams and bigrams of the target's clause (between punctuation and contrast
    /// conjunctions such as "but", "while") (default on).
    pub clause: bool,
    /// Weight of the target-independent groups (word and character n-grams of the whole
    /// sentence) relative to the target-dependent ones (context, window, clause,
    /// lexicon), each group being L2-normalized first (default 0.5).
    pub global_weight: f32,
    /// Factor of the lexicon group (and its conjoined copy) after its L2 normalization
    /// (training default 0.25). With a smaller factor the L2 penalty holds the lexicon's
    /// weights closer to the direction most rows agree on (positive words for favor),
    /// so sarcasm and faint praise in the training data teach less distrust of them;
    /// 0.25 won in cross-validation on SemEval and NewsMTSC (README, "Accuracy"). Not
    /// part of the serialized settings: the model file stores it after them (before
    /// format version 5, as a family name `lexicon-weight=W` when it was not 1; models
    /// written before it have 1).
    #[serde(skip, default = "one")]
    pub lexicon_weight: f32,
    /// Optional feature families (training default: cue words, token hashing, per-word
    /// character n-grams and word vectors on). Not part of the serialized
    /// settings: the model file stores them after the rest of its payload (see `model`).
    #[serde(skip)]
    pub extras: FeatureExtras,
}

fn one() -> f32 {
    1.0
}

/// Optional feature families, each behind a switch (`Default`: all off, as in a model
/// file that stores none).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeatureExtras {
    /// Cue words of subjective or attributed language (hedges, factive, assertive and
    /// reporting verbs, boosters, loaded words) in a group of their own (`Group::CUE`, with
    /// the global weight): `b|hedge`, `b|hedge|allegedly`, and for a located target the
    /// cue's side, nearness and whether it shares the target's clause. Not used for rows
    /// whose target is a topic not named in the text.
    pub cues: bool,
    /// Surface shape of the sentence in a group of its own (`Group::SHAPE`, with the global
    /// weight): bucketed counts of `!`, `?` and ALL-CAPS words, scare quotes around one
    /// or two words, other quotation marks, and first- and second-person pronouns.
    pub shape: bool,
    /// How word n-grams are hashed: from the hashes of their tokens (on), or from their
    /// names (off: models written before this switch). The buckets differ, the
    /// features do not; conjoined copies are hashed from the feature's hash and the
    /// target key's. Composing token hashes saves building and hashing a string per
    /// n-gram.
    pub token_hash: bool,
    /// Character n-grams counted once per word (a word's distinct buckets), with linear
    /// TF and the group's norm taken as the square root of `sum(count x idf^2)` over its
    /// buckets: the group's vector is then a sum of per-word vectors whose dot products
    /// and squared norms add up, so a classifier can cache them per word (see
    /// `score`). Off: sublinear TF of every occurrence, L2 norm (models written before).
    pub char_words: bool,
    /// Averaged GloVe vectors (`data/resources/glove-50d-q8.bin`, 50 dimensions) as
    /// valued features (`v|`): of the sentence's words, and for a located target of the
    /// words left of it, right of it and within 4 tokens of it; each average centred on
    /// the mean of all words and L2-normalized (see `vectors`).
    pub vectors: bool,
    /// GloVe word-cluster ids (`data/resources/glove-clusters.tsv`; 64, 256 and 1024
    /// nested clusters) of the sentence's words (`g|`) and, for a located target, of the
    /// words within 4 tokens of it by side (`g|l|`, `g|r|`), in a group of their own
    /// (`Group::CLUSTER`, with the global weight).
    pub clusters: bool,
    /// Subjectivity and polarity statistics from Pattern's lexicon
    /// (`data/resources/pattern-subjectivity.tsv`) as valued features (`p|`): the share
    /// of subjective words, their mean and largest subjectivity, and their mean, largest
    /// and smallest polarity, of the sentence and for a located target of the window.
    pub subjectivity: bool,
}

/// One optional feature family ([`FeatureExtras`]), as the model file stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Family {
    Cues,
    Shape,
    TokenHash,
    CharWords,
    Vectors,
    Clusters,
    Subjectivity,
}

impl Family {
    /// Every family, in the order of the model file and of `--describe`.
    pub const ALL: [Family; 7] = [
        Family::Cues,
        Family::Shape,
        Family::TokenHash,
        Family::CharWords,
        Family::Vectors,
        Family::Clusters,
        Family::Subjectivity,
    ];

    /// Whether the family reads an outside resource (`data/resources/`); model files with
    /// one of these are written as format version 6, which older builds refuse.
    pub fn uses_resources(self) -> bool {
        matches!(
            self,
            Family::Vectors | Family::Clusters | Family::Subjectivity
        )
    }

    /// The family's name (in `--describe`, and in model files before version 5).
    pub fn name(self) -> &'static str {
        match self {
            Family::Cues => "cues",
            Family::Shape => "shape",
            Family::TokenHash => "token-hash",
            Family::CharWords => "char-words",
            Family::Vectors => "vectors",
            Family::Clusters => "clusters",
            Family::Subjectivity => "subjectivity",
        }
    }

    /// The family of a name, if it is one.
    pub fn from_name(name: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.name() == name)
    }
}

impl FeatureExtras {
    /// The switch of one family.
    pub fn switch(&mut self, family: Family) -> &mut bool {
        match family {
            Family::Cues => &mut self.cues,
            Family::Shape => &mut self.shape,
            Family::TokenHash => &mut self.token_hash,
            Family::CharWords => &mut self.char_words,
            Family::Vectors => &mut self.vectors,
            Family::Clusters => &mut self.clusters,
            Family::Subjectivity => &mut self.subjectivity,
        }
    }

    /// The families that are on.
    pub fn families(&self) -> Vec<Family> {
        let mut copy = *self;
        Family::ALL
            .into_iter()
            .filter(|&f| *copy.switch(f))
            .collect()
    }

    /// Names of the families that are on.
    pub fn names_on(&self) -> Vec<String> {
        self.families()
            .into_iter()
            .map(|f| f.name().to_string())
            .collect()
    }

    /// The switches with `families` on, the others off.
    pub fn from_families(families: &[Family]) -> Self {
        let mut extras = FeatureExtras::default();
        for &f in families {
            *extras.switch(f) = true;
        }
        extras
    }
}

impl Default for FeatureConfig {
    fn default() -> Self {
        FeatureConfig {
            hash_bits: 20,
            word_ngrams: 3,
            char_min: 3,
            char_max: 5,
            context: false,
            window: 4,
            conjoin: Conjoin::Context,
            sublinear_tf: true,
            idf: true,
            lexicon: true,
            clause: true,
            global_weight: 0.5,
            lexicon_weight: 0.25,
            // Cue words are on for training (they won in cross-validation on the news
            // sets and leave topic rows alone); a model file without the extras has none.
            // Word-vector averages are on as well: they raised dev and CV on all three
            // shared sets (README, "Accuracy").
            extras: FeatureExtras {
                cues: true,
                token_hash: true,
                char_words: true,
                vectors: true,
                ..FeatureExtras::default()
            },
        }
    }
}

impl FeatureConfig {
    /// Number of hash buckets (columns).
    pub fn buckets(&self) -> usize {
        1usize << self.hash_bits
    }

    /// Check ranges.
    pub fn check(&self) -> Result<()> {
        let bad = |m: &str| Err(crate::Error::InvalidParameter(m.to_string()));
        if !(8..=26).contains(&self.hash_bits) {
            return bad("hash bits must be in 8..=26");
        }
        if self.char_max > 0 && (self.char_min == 0 || self.char_min > self.char_max) {
            return bad("character n-grams need 1 <= char_min <= char_max");
        }
        if !(self.global_weight.is_finite() && self.global_weight >= 0.0) {
            return bad("the global weight must be >= 0");
        }
        if !(self.lexicon_weight.is_finite() && self.lexicon_weight >= 0.0) {
            return bad("the lexicon weight must be >= 0");
        }
        if self.word_ngrams == 0 && self.char_max == 0 {
            return bad("at least one of word or character n-grams must be enabled");
        }
        Ok(())
    }
}
