//! Exact-span evaluation (CoNLL convention): a predicted span counts only if its start,
//! end and type all equal a gold span's.

use super::{EntityKind, EntitySpan, NerSentence, NerTagger};
use std::fmt;

/// Gold, predicted and correct span counts for one type (or all).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SpanCounts {
    /// Gold spans.
    pub gold: usize,
    /// Predicted spans.
    pub predicted: usize,
    /// Predicted spans equal to a gold span (start, end and type).
    pub correct: usize,
}

impl SpanCounts {
    /// correct / predicted (0 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }
    /// correct / gold (0 when there is no gold span).
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }
    /// Harmonic mean of precision and recall (0 when both are 0).
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: &SpanCounts) {
        self.gold += o.gold;
        self.predicted += o.predicted;
        self.correct += o.correct;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Per-type counts and the micro-averaged total.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NerScores {
    /// Counts by [`EntityKind::index`].
    pub by_kind: [SpanCounts; EntityKind::COUNT],
}

impl NerScores {
    /// Adds one sentence's gold and predicted spans.
    pub fn add(&mut self, gold: &[EntitySpan], predicted: &[EntitySpan]) {
        for g in gold {
            self.by_kind[g.kind.index()].gold += 1;
        }
        for p in predicted {
            let c = &mut self.by_kind[p.kind.index()];
            c.predicted += 1;
            if gold.contains(p) {
                c.correct += 1;
            }
        }
    }
    /// Counts for one type.
    pub fn kind(&self, kind: EntityKind) -> SpanCounts {
        self.by_kind[kind.index()]
    }
    /// All types pooled (micro average).
    pub fn micro(&self) -> SpanCounts {
        let mut all = SpanCounts::default();
        for c in &self.by_kind {
            all.add(c);
        }
        all
    }
}

/// Tags every sentence's text and scores the spans against its gold spans.
pub fn evaluate(tagger: &NerTagger, sentences: &[NerSentence]) -> NerScores {
    let mut scores = NerScores::default();
    let mut scratch = super::NerScratch::default();
    let mut predicted = Vec::new();
    for s in sentences {
        tagger.tag_into(&s.text, &mut scratch, &mut predicted);
        scores.add(&s.entities, &predicted);
    }
    scores
}

impl fmt::Display for NerScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<12} {:>6} {:>6} {:>6} {:>7} {:>7} {:>7}",
            "type", "gold", "pred", "ok", "P", "R", "F1"
        )?;
        let row = |f: &mut fmt::Formatter<'_>, name: &str, c: SpanCounts| {
            writeln!(
                f,
                "{:<12} {:>6} {:>6} {:>6} {:>7.4} {:>7.4} {:>7.4}",
                name,
                c.gold,
                c.predicted,
                c.correct,
                c.precision(),
                c.recall(),
                c.f1()
            )
        };
        for kind in EntityKind::ALL {
            row(f, kind.name(), self.kind(kind))?;
        }
        row(f, "micro", self.micro())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize, kind: EntityKind) -> EntitySpan {
        EntitySpan { start, end, kind }
    }

    #[test]
    fn hand_computed_scores() {
        use EntityKind::*;
        let mut s = NerScores::default();
        // sentence 1: gold PERSON 0-10, ORG 15-20, GPE 30-35
        // predicted PERSON 0-10 (ok), ORG 15-22 (wrong end), GPE 30-35 (ok), OTHER 40-45 (spurious)
        s.add(
            &[
                span(0, 10, Person),
                span(15, 20, Org),
                span(30, 35, GpeOrLoc),
            ],
            &[
                span(0, 10, Person),
                span(15, 22, Org),
                span(30, 35, GpeOrLoc),
                span(40, 45, Other),
            ],
        );
        // sentence 2: gold PERSON 0-5, ORG 6-9; predicted ORG 0-5 (wrong type), ORG 6-9 (ok)
        s.add(
            &[span(0, 5, Person), span(6, 9, Org)],
            &[span(0, 5, Org), span(6, 9, Org)],
        );
        // PERSON: gold 2, pred 1, ok 1 -> P 1, R 1/2, F1 2/3
        let p = s.kind(Person);
        assert_eq!((p.gold, p.predicted, p.correct), (2, 1, 1));
        assert!((p.precision() - 1.0).abs() < 1e-12);
        assert!((p.recall() - 0.5).abs() < 1e-12);
        assert!((p.f1() - 2.0 / 3.0).abs() < 1e-12);
        // ORG: gold 2, pred 3, ok 1 -> P 1/3, R 1/2, F1 = 2*(1/6)/(5/6) = 0.4
        let o = s.kind(Org);
        assert_eq!((o.gold, o.predicted, o.correct), (2, 3, 1));
        assert!((o.f1() - 0.4).abs() < 1e-12);
        // OTHER: gold 0, pred 1 -> P 0, R 0, F1 0
        assert_eq!(s.kind(Other).f1(), 0.0);
        // micro: gold 5, pred 6, ok 3 -> P 0.5, R 0.6, F1 = 0.6/1.1
        let m = s.micro();
        assert_eq!((m.gold, m.predicted, m.correct), (5, 6, 3));
        assert!((m.precision() - 0.5).abs() < 1e-12);
        assert!((m.recall() - 0.6).abs() < 1e-12);
        assert!((m.f1() - 0.6 / 1.1).abs() < 1e-12);
        let table = s.to_string();
        assert!(
            table.contains("PERSON") && table.contains("micro"),
            "{table}"
        );
    }
}
