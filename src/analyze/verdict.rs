//! The article's verdict line: which actors it leans for or against, and how much of
//! it uses loaded language.

use super::report::{ActorSummary, SentenceReport};

/// An actor counts for the verdict when mentioned in at least this many sentences.
pub const VERDICT_MIN_SENTENCES: usize = 2;
/// An actor's score at or beyond +/- this is "for" / "against" it.
pub const LEAN_THRESHOLD: f32 = 0.25;
/// A spread (most favored minus least favored) at or above this is one-sided; so is a
/// single counted actor with a score beyond the lean threshold.
pub const ONE_SIDED_SPREAD: f32 = 0.5;
/// A sentence with a bias probability at or above this uses loaded language.
pub const LOADED_THRESHOLD: f32 = 0.5;

/// The article verdict and the figures behind it.
///
/// `one-sided: against United States (-0.71), for Oman (+0.48); 9 of 19 sentences use
/// loaded language` when the spread is at least [`ONE_SIDED_SPREAD`] (or one counted actor
/// leans beyond [`LEAN_THRESHOLD`]); `balanced: ...` otherwise, naming the actors that
/// still lean. Actors count when mentioned in [`VERDICT_MIN_SENTENCES`] sentences or more.
pub fn verdict(
    actors: &[ActorSummary],
    sentences: &[SentenceReport],
) -> (String, Option<f32>, Option<usize>) {
    let counted: Vec<&ActorSummary> = actors
        .iter()
        .filter(|a| a.sentences >= VERDICT_MIN_SENTENCES)
        .collect();
    let spread = if counted.is_empty() {
        None
    } else {
        let hi = counted
            .iter()
            .map(|a| a.score)
            .fold(f32::NEG_INFINITY, f32::max);
        let lo = counted
            .iter()
            .map(|a| a.score)
            .fold(f32::INFINITY, f32::min);
        Some(hi - lo)
    };
    let mut against: Vec<&&ActorSummary> = counted
        .iter()
        .filter(|a| a.score <= -LEAN_THRESHOLD)
        .collect();
    let mut favor: Vec<&&ActorSummary> = counted
        .iter()
        .filter(|a| a.score >= LEAN_THRESHOLD)
        .collect();
    against.sort_by(|a, b| a.score.total_cmp(&b.score));
    favor.sort_by(|a, b| b.score.total_cmp(&a.score));
    let one_sided = spread.is_some_and(|s| s >= ONE_SIDED_SPREAD)
        || (counted.len() == 1 && counted[0].score.abs() >= LEAN_THRESHOLD);
    let list = |v: &[&&ActorSummary]| {
        v.iter()
            .take(3)
            .map(|a| format!("{} ({:+.2})", a.actor, a.score))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    if !against.is_empty() {
        parts.push(format!("against {}", list(&against)));
    }
    if !favor.is_empty() {
        parts.push(format!("for {}", list(&favor)));
    }
    let mut line = if counted.is_empty() {
        "no actor is mentioned in two or more sentences".to_string()
    } else if one_sided {
        format!("one-sided: {}", parts.join(", "))
    } else if parts.is_empty() {
        format!("balanced: no actor scores beyond ±{LEAN_THRESHOLD:.2}")
    } else {
        format!(
            "balanced overall (spread {:.2}): {}",
            spread.unwrap_or(0.0),
            parts.join(", ")
        )
    };
    let biased: Vec<f32> = sentences.iter().filter_map(|s| s.bias).collect();
    let loaded = if biased.is_empty() {
        None
    } else {
        let n = biased.iter().filter(|&&p| p >= LOADED_THRESHOLD).count();
        line.push_str(&format!(
            "; {n} of {} sentences use loaded language",
            sentences.len()
        ));
        Some(n)
    };
    (line, spread, loaded)
}
