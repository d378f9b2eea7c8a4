//! Word-cluster ids (the `clusters` extra): the GloVe clusters of the sentence's words,
//! and by side of a located target those of the words near it.

use super::group::Group;
use super::hash::{compose_step, finish_hash, name_hash};
use super::resources::glove;
use super::visit::Visit;

/// Tokens on each side of a located target whose clusters get side features.
pub(super) const CLUSTER_WINDOW: usize = 4;

/// The granularities (numbers of clusters) of the nested cluster ids, coarse to fine.
const LEVELS: [u16; 3] = [64, 256, 1024];

impl Visit<'_, '_, '_> {
    /// For every word of the masked sentence found in the GloVe table, its cluster id at
    /// each granularity (`g|256:17`), and for the words within [`CLUSTER_WINDOW`] tokens
    /// of a located target the same by side (`g|l|256:17`, `g|r|...`).
    pub(super) fn clusters(&mut self, name: &mut String) {
        let g = glove();
        let token_hash = self.cfg.extras.token_hash;
        let prefixes = ["g|", "g|l|", "g|r|"];
        let seeds = prefixes.map(|p| name_hash(p, Group::CLUSTER));
        for i in 0..self.masked.len() {
            let Some((ids, _)) = g.lookup(self.masked[i]) else {
                continue;
            };
            let side = match self.target_pos {
                Some(p) if i < p && p - i <= CLUSTER_WINDOW => Some(1),
                Some(p) if i > p && i - p <= CLUSTER_WINDOW => Some(2),
                _ => None,
            };
            for which in std::iter::once(0).chain(side) {
                for (level, &id) in LEVELS.iter().zip(&ids) {
                    // Ids are stored plus one; names show them from 0.
                    let id = id - 1;
                    if self.need_names {
                        use std::fmt::Write;
                        name.clear();
                        let _ = write!(name, "{}{level}:{id}", prefixes[which]);
                    }
                    let pre = if token_hash {
                        let key = (*level as u64) << 16 | id as u64;
                        finish_hash(compose_step(seeds[which], key))
                    } else {
                        name_hash(name, Group::CLUSTER)
                    };
                    self.emit(Group::CLUSTER, pre, name, i, i + 1);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::{Extractor, FeatureConfig, Group, Input};
    use crate::text::tokenize::TokenPipeline;

    #[test]
    fn cluster_ids_of_the_sentence_and_by_side_of_the_target() {
        let text = "Oman praised the talks in Geneva on a cold and windy day";
        let input = Input {
            text,
            target_spans: &[(0, 4)],
            other_spans: &[],
            target_key: None,
        };
        let names = |clusters: bool| -> Vec<String> {
            let mut config = FeatureConfig::default();
            config.extras.clusters = clusters;
            let e = Extractor::new(config, TokenPipeline::default());
            let (_, named) = e.row_named(&input).unwrap();
            let mut all: Vec<String> = named
                .into_iter()
                .flat_map(|b| b.names)
                .filter(|n| n.starts_with("g|"))
                .collect();
            all.sort();
            all.dedup();
            all
        };
        assert!(names(false).is_empty());
        let all = names(true);
        let g = glove();
        let id = |w: &str, level: usize| g.lookup(w).unwrap().0[level] - 1;
        for w in ["praised", "geneva", "day"] {
            for (l, n) in LEVELS.iter().enumerate() {
                let f = format!("g|{n}:{}", id(w, l));
                assert!(all.contains(&f), "missing {f}: {all:?}");
            }
        }
        // Right of the target within 4 tokens: "praised the talks in", not "geneva".
        for w in ["praised", "in"] {
            let f = format!("g|r|1024:{}", id(w, 2));
            assert!(all.contains(&f), "missing {f}: {all:?}");
        }
        let far = format!("g|r|1024:{}", id("geneva", 2));
        assert!(
            !all.contains(&far) || id("geneva", 2) == id("praised", 2),
            "{all:?}"
        );
        assert!(!all.iter().any(|n| n.starts_with("g|l|")), "{all:?}");
        // The target itself is masked.
        let oman = format!("g|1024:{}", id("oman", 2));
        let others: Vec<&str> = ["praised", "the", "talks", "in", "geneva", "on"]
            .into_iter()
            .chain(["a", "cold", "and", "windy", "day"])
            .collect();
        if !others.iter().any(|w| id(w, 2) == id("oman", 2)) {
            assert!(!all.contains(&oman), "{all:?}");
        }
        // Its own group, weighted as the whole-sentence n-grams.
        let e = Extractor::new(FeatureConfig::default(), TokenPipeline::default());
        assert_eq!(e.group_weight(Group::CLUSTER), e.config.global_weight);
        assert_eq!(Group::CLUSTER.conjoined().base(), Group::CLUSTER);
    }
}
