//! Word n-grams of the masked sentence, and the n-grams of the target's context: left
//! and right of it, in a window around it, and in its clause.

use super::group::Group;
use super::hash::{compose_step, finish_hash, name_hash};
use super::visit::Visit;

impl Visit<'_, '_, '_> {
    /// Emit the n-grams (up to `max_n` tokens) of masked tokens a..b, named `prefix` +
    /// the tokens, in group `g`. The n-grams starting at one token are prefixes of each
    /// other: one name, or one composed hash, grows through them.
    pub(super) fn grams(
        &mut self,
        name: &mut String,
        g: Group,
        prefix: &str,
        (a, b): (usize, usize),
        max_n: usize,
    ) {
        let token_hash = self.cfg.extras.token_hash;
        let seed = if token_hash { name_hash(prefix, g) } else { 0 };
        name.clear();
        for s in a..b {
            let mut state = seed;
            if self.need_names {
                name.clear();
                name.push_str(prefix);
            }
            for e in s..(s + max_n).min(b) {
                if self.need_names {
                    if e > s {
                        name.push(' ');
                    }
                    name.push_str(self.masked[e]);
                }
                let pre = if token_hash {
                    state = compose_step(state, self.token_hashes[e]);
                    finish_hash(state)
                } else {
                    name_hash(name, g)
                };
                self.emit(g, pre, name, s, e + 1);
            }
        }
    }

    /// Word n-grams of the whole masked sentence.
    pub(super) fn words(&mut self, name: &mut String) {
        let n = self.masked.len();
        let max_n = self.cfg.word_ngrams as usize;
        self.grams(name, Group::WORD, "w|", (0, n), max_n);
    }

    /// Bigrams around the target: left and right of it (`l|`, `r|`), in the window
    /// (`nl|`, `nr|`) and in its clause (`k|`), as the settings ask.
    pub(super) fn context(&mut self, name: &mut String) {
        let Some(p) = self.target_pos else { return };
        let (cfg, n) = (self.cfg, self.masked.len());
        if cfg.context {
            self.grams(name, Group::CONTEXT, "l|", (0, p), 2);
            self.grams(name, Group::CONTEXT, "r|", (p + 1, n), 2);
        }
        if cfg.window > 0 {
            let w = cfg.window as usize;
            self.grams(name, Group::CONTEXT, "nl|", (p.saturating_sub(w), p), 2);
            self.grams(name, Group::CONTEXT, "nr|", (p + 1, (p + 1 + w).min(n)), 2);
        }
        if cfg.clause {
            if let Some(clause) = self.clause {
                self.grams(name, Group::CONTEXT, "k|", clause, 2);
            }
        }
    }
}
