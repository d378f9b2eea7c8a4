//! Self-contained HTML pages for `--format html`: one article ([`article_page`]: verdict,
//! per-actor chart and table, the annotated text, a legend) or several articles side by
//! side ([`comparison_page`]). Inline CSS and SVG only: no script, no external resource.
//!
//! In the annotated text every element nests inside the one above it: paragraph (`<p>`,
//! blocks separated by a blank line) > sentence (`span.sentence`) > actor mention
//! (`span.mention`) > loaded word (`mark.loaded-word`). An element cut by a boundary of a
//! level above it is closed and reopened with the extra class `cont`, so every mention
//! has exactly one `class="mention"` span. Every character of the article appears once,
//! escaped; only the whitespace that separates paragraphs is replaced by the `<p>` breaks.

use crate::analyze::compare::Comparison;
use crate::analyze::MentionKind;
use crate::analyze::{
    ActorSummary, ArticleReport, Driver, SentenceReport, LEAN_THRESHOLD, LOADED_THRESHOLD,
    ONE_SIDED_SPREAD, VERDICT_MIN_SENTENCES,
};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// End colors of the diverging scale: against (-1) and favor (+1); 0 is white. Both keep
/// black text at a contrast of at least 4.5:1.
const AGAINST_RGB: (f32, f32, f32) = (224.0, 72.0, 60.0);
const FAVOR_RGB: (f32, f32, f32) = (46.0, 160.0, 86.0);

const CSS: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1d1d1f; background: #fafafa; }
main, header, footer { max-width: 1040px; margin: 0 auto; }
h1 { font-size: 1.6em; margin: 0 0 .4em; overflow-wrap: anywhere; }
h2 { font-size: 1.15em; margin: 1.8em 0 .6em; border-bottom: 1px solid #ddd; padding-bottom: .2em; }
.verdict-line { font-size: 1.1em; font-weight: 600; margin: .3em 0 .8em; padding: .6em .9em; border-left: 5px solid #888; background: #fff; }
.verdict-line.one-sided { border-left-color: #b8322a; }
.verdict-line.balanced { border-left-color: #2e8b57; }
dl.figures { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1.2em; margin: 0; font-size: .95em; }
dl.figures dt { color: #555; }
dl.figures dd { margin: 0; }
.article-text { background: #fff; border: 1px solid #e2e2e2; border-radius: 6px; padding: .4em 1.4em; font-size: 1.05em; line-height: 1.9; }
.article-text p { margin: .9em 0; }
.sentence.loaded { text-decoration: underline dotted #9a6b00; text-decoration-thickness: 2px; text-underline-offset: .3em; background: #fffbe8; }
.mention { border-radius: 3px; padding: 0 2px; outline: 1px solid rgba(0,0,0,.25); }
.mention::after { content: attr(data-sign); font-size: .68em; font-weight: 700; vertical-align: super; line-height: 0; margin-left: 1px; }
.mention.cont::after { content: none; }
.mention[data-kind=pronoun], .mention[data-kind=title] { outline: 1px dashed rgba(0,0,0,.6); }
mark.loaded-word { background: none; color: inherit; padding: 0 1px; }
svg.chart { display: block; max-width: 100%; height: auto; background: #fff; border: 1px solid #e2e2e2; border-radius: 6px; }
svg.chart text { font: 13px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: #1d1d1f; }
svg.chart text.tick { fill: #666; font-size: 11px; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: .92em; }
th, td { border: 1px solid #ddd; padding: .35em .55em; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.score { font-weight: 600; }
td.absent { color: #888; text-align: center; }
td small { display: block; color: #333; font-weight: normal; }
.driver q { color: #333; }
.driver .ref { white-space: nowrap; font-variant-numeric: tabular-nums; }
.none { color: #888; }
.legend ul { padding-left: 1.2em; }
.scale { display: inline-block; width: 220px; height: 14px; vertical-align: middle; border: 1px solid #aaa; margin: 0 .5em; }
.swatch { border-radius: 3px; padding: 0 3px; outline: 1px solid rgba(0,0,0,.25); }
.swatch-loaded { text-decoration: underline dotted #9a6b00; text-decoration-thickness: 2px; text-underline-offset: .3em; background: #fffbe8; }
.swatch-word { box-shadow: inset 0 -.45em 0 rgba(245,176,0,.7); }
ol.verdicts li { margin: .3em 0; }
footer { margin-top: 2em; color: #888; font-size: .85em; }
"#;

/// Escape text for HTML content and quoted attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `+0.42` / `-0.42` (never `-0.00`); `n/a` for NaN.
fn signed(x: f32) -> String {
    if x.is_nan() {
        return "n/a".into();
    }
    let s = format!("{x:+.2}");
    if s == "-0.00" {
        "+0.00".into()
    } else {
        s
    }
}

/// Diverging background for a score: red at -1, white at 0, green at +1.
fn score_color(score: f32) -> String {
    let t = if score.is_finite() {
        score.clamp(-1.0, 1.0)
    } else {
        0.0
    };
    let (r, g, b) = if t < 0.0 { AGAINST_RGB } else { FAVOR_RGB };
    let a = t.abs();
    let mix = |e: f32| (255.0 + (e - 255.0) * a).round() as u8;
    format!("rgb({}, {}, {})", mix(r), mix(g), mix(b))
}

fn rgb((r, g, b): (f32, f32, f32)) -> String {
    format!("rgb({}, {}, {})", r as u8, g as u8, b as u8)
}

/// Text marker of a score (not color-only): `+` for, `−` against, `○` neither.
fn sign_marker(score: f32) -> &'static str {
    if score >= LEAN_THRESHOLD {
        "+"
    } else if score <= -LEAN_THRESHOLD {
        "\u{2212}"
    } else {
        "\u{25cb}"
    }
}

/// One line, at most `max` characters.
fn short(s: &str, max: usize) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let mut t: String = one_line.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn head(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"stance {}\">\n<title>{}</title>\n<style>{CSS}</style>\n\
         </head>\n<body>\n",
        env!("CARGO_PKG_VERSION"),
        esc(title)
    )
}

fn foot() -> String {
    format!(
        "<footer>Generated by stance {}. Scores are a model's estimates, not facts about \
         the article.</footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    )
}

/// A page for one article: verdict and figures, per-actor chart, the annotated text,
/// per-actor table and a legend.
pub fn article_page(report: &ArticleReport) -> String {
    let mut h = head(&format!("{} – stance", report.id));
    h.push_str("<header>\n");
    let _ = writeln!(h, "<h1>{}</h1>", esc(&report.id));
    let kind = if report.verdict.starts_with("one-sided") {
        " one-sided"
    } else if report.verdict.starts_with("balanced") {
        " balanced"
    } else {
        ""
    };
    let _ = writeln!(
        h,
        "<p class=\"verdict-line{kind}\">{}</p>",
        esc(&report.verdict)
    );
    h.push_str(&figures(report));
    h.push_str("</header>\n<main>\n");

    h.push_str("<section class=\"actors\">\n<h2>Actors</h2>\n");
    h.push_str(&chart(&report.actors));
    h.push_str("</section>\n");

    let _ = writeln!(
        h,
        "<section class=\"text\">\n<h2>Article <small class=\"none\">({})</small></h2>",
        plural(report.sentences.len(), "sentence", "sentences")
    );
    h.push_str("<div class=\"article-text\">\n");
    h.push_str(&annotated_text(report));
    h.push_str("</div>\n</section>\n");

    h.push_str("<section class=\"table\">\n<h2>Per actor</h2>\n");
    h.push_str(&actor_table(&report.actors));
    h.push_str("</section>\n");

    let explained = report
        .sentences
        .iter()
        .any(|s| s.bias_explanation.is_some());
    let scored = report.sentences.iter().any(|s| s.bias.is_some());
    h.push_str(&legend(scored, explained));
    h.push_str("</main>\n");
    h.push_str(&foot());
    h
}

/// The figures behind the verdict.
fn figures(r: &ArticleReport) -> String {
    let n = r.sentences.len();
    let mut f = String::from("<dl class=\"figures\">\n");
    let _ = writeln!(f, "<dt>Sentences</dt><dd>{n}</dd>");
    let loaded = match (r.loaded_sentences, r.loaded_share) {
        (Some(l), share) => format!(
            "{l} of {n} sentences ({:.0}%) have a loaded-language probability of at least {LOADED_THRESHOLD:.2}",
            share.unwrap_or(l as f32 / n.max(1) as f32) * 100.0
        ),
        (None, _) => "not scored (the model has no bias head)".to_string(),
    };
    let _ = writeln!(f, "<dt>Loaded language</dt><dd>{}</dd>", esc(&loaded));
    let spread = match r.spread {
        Some(s) => format!(
            "{s:.2} (most favored minus least favored counted actor; one-sided at {ONE_SIDED_SPREAD:.2} or more)"
        ),
        None => format!("– (no actor is mentioned in {VERDICT_MIN_SENTENCES} or more sentences)"),
    };
    let _ = writeln!(f, "<dt>Spread</dt><dd>{}</dd>", esc(&spread));
    let counted = r
        .actors
        .iter()
        .filter(|a| a.sentences >= VERDICT_MIN_SENTENCES)
        .count();
    let _ = writeln!(
        f,
        "<dt>Actors</dt><dd>{} named, {counted} counted for the verdict (mentioned in {VERDICT_MIN_SENTENCES} or more sentences)</dd>",
        r.actors.len()
    );
    f.push_str("</dl>\n");
    f
}

/// The chart's geometry: width, the names' right edge, the plot's left edge and width,
/// row height, top margin.
const W: f32 = 800.0;
const NAME_W: f32 = 200.0;
const PLOT_X: f32 = 215.0;
const PLOT_W: f32 = 360.0;
const ROW_H: f32 = 30.0;
const TOP: f32 = 12.0;
const CENTER: f32 = PLOT_X + PLOT_W / 2.0;
const HALF: f32 = PLOT_W / 2.0;

/// Horizontal bars, one per actor, left (against, red) or right (favor, green) of a
/// center axis.
fn chart(actors: &[ActorSummary]) -> String {
    if actors.is_empty() {
        return "<p class=\"none\">No known actor is mentioned.</p>\n".into();
    }
    let (center, half) = (CENTER, HALF);
    let x_of = |v: f32| center + v * half;
    let rows_h = ROW_H * actors.len() as f32;
    let height = TOP + rows_h + 34.0;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{height}\" \
         viewBox=\"0 0 {W} {height}\" role=\"img\" aria-label=\"Score per actor, from -1 (against) to +1 (favor)\">"
    );
    // Grid: lean thresholds dashed, the center axis solid, ticks below.
    for v in [-LEAN_THRESHOLD, LEAN_THRESHOLD] {
        let _ = writeln!(
            s,
            "<line class=\"lean\" x1=\"{x:.1}\" y1=\"{TOP}\" x2=\"{x:.1}\" y2=\"{y2}\" stroke=\"#999\" stroke-dasharray=\"3 3\"/>",
            x = x_of(v),
            y2 = TOP + rows_h
        );
    }
    for v in [-1.0f32, 1.0] {
        let _ = writeln!(
            s,
            "<line class=\"edge\" x1=\"{x:.1}\" y1=\"{TOP}\" x2=\"{x:.1}\" y2=\"{y2}\" stroke=\"#e3e3e3\"/>",
            x = x_of(v),
            y2 = TOP + rows_h
        );
    }
    for (i, a) in actors.iter().enumerate() {
        chart_row(&mut s, a, TOP + ROW_H * i as f32);
    }
    let _ = writeln!(
        s,
        "<line class=\"axis\" x1=\"{center}\" y1=\"{y1}\" x2=\"{center}\" y2=\"{y2}\" stroke=\"#222\"/>",
        y1 = TOP - 4.0,
        y2 = TOP + rows_h + 4.0
    );
    for (v, label) in [
        (-1.0f32, "−1 against".to_string()),
        (-LEAN_THRESHOLD, format!("−{LEAN_THRESHOLD:.2}")),
        (0.0, "0".to_string()),
        (LEAN_THRESHOLD, format!("+{LEAN_THRESHOLD:.2}")),
        (1.0, "+1 favor".to_string()),
    ] {
        let _ = writeln!(
            s,
            "<text class=\"tick\" x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"middle\">{}</text>",
            esc(&label),
            x = x_of(v),
            y = TOP + rows_h + 22.0
        );
    }
    s.push_str("</svg>\n");
    s
}

/// One actor's row of the chart, its top at `y`.
fn chart_row(s: &mut String, a: &ActorSummary, y: f32) {
    let (center, half) = (CENTER, HALF);
    let score = if a.score.is_finite() {
        a.score.clamp(-1.0, 1.0)
    } else {
        0.0
    };
    let w = score.abs() * half;
    let x = if score < 0.0 { center - w } else { center };
    let fill = rgb(if score < 0.0 { AGAINST_RGB } else { FAVOR_RGB });
    let name = esc(&a.actor);
    let _ = writeln!(
        s,
        "<g class=\"row\"><title>{name}: {} {} ({}, {} in {})</title>",
        esc(&a.label),
        signed(a.score),
        sign_word(a.score),
        plural(a.mentions, "mention", "mentions"),
        plural(a.sentences, "sentence", "sentences"),
    );
    let _ = writeln!(
        s,
        "<text class=\"name\" x=\"{NAME_W}\" y=\"{ty:.1}\" text-anchor=\"end\">{}</text>",
        esc(&short(&a.actor, 28)),
        ty = y + ROW_H / 2.0 + 4.5
    );
    let _ = writeln!(
        s,
        "<rect class=\"bar\" data-actor=\"{name}\" data-score=\"{}\" x=\"{x:.1}\" y=\"{by:.1}\" \
     width=\"{w:.1}\" height=\"{bh:.1}\" fill=\"{fill}\" stroke=\"#444\" stroke-width=\"0.5\"/>",
        signed(a.score),
        by = y + 6.0,
        bh = ROW_H - 12.0
    );
    let _ = writeln!(
        s,
        "<text class=\"figures\" x=\"{fx}\" y=\"{ty:.1}\">{} {} · {}</text></g>",
        signed(a.score),
        esc(&a.label),
        plural(a.mentions, "mention", "mentions"),
        fx = PLOT_X + PLOT_W + 15.0,
        ty = y + ROW_H / 2.0 + 4.5
    );
}

fn sign_word(score: f32) -> &'static str {
    if score >= LEAN_THRESHOLD {
        "leans for"
    } else if score <= -LEAN_THRESHOLD {
        "leans against"
    } else {
        "within the neutral band"
    }
}

fn driver_cell(d: Option<&Driver>) -> String {
    match d {
        None => "<td class=\"driver none\">–</td>".into(),
        Some(d) => format!(
            "<td class=\"driver\"><a class=\"ref\" href=\"#s{i}\">#{i}</a> <span class=\"ref\">({})</span> <q>{}</q></td>",
            signed(d.score),
            esc(&short(&d.text, 220)),
            i = d.sentence
        ),
    }
}

fn actor_table(actors: &[ActorSummary]) -> String {
    if actors.is_empty() {
        return "<p class=\"none\">No known actor is mentioned.</p>\n".into();
    }
    let mut t = String::from(
        "<table class=\"actors\">\n<thead><tr><th scope=\"col\">Actor</th><th scope=\"col\">Mentions</th>\
         <th scope=\"col\">Sentences</th><th scope=\"col\">Share</th><th scope=\"col\">Score</th>\
         <th scope=\"col\">Label</th><th scope=\"col\">Strongest sentence for</th>\
         <th scope=\"col\">Strongest sentence against</th></tr></thead>\n<tbody>\n",
    );
    for a in actors {
        let counted = if a.sentences >= VERDICT_MIN_SENTENCES {
            ""
        } else {
            " <small class=\"none\">(not counted for the verdict)</small>"
        };
        let _ = writeln!(
            t,
            "<tr><th scope=\"row\">{}{counted}</th><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{:.0}%</td><td class=\"num score\" style=\"background: {}\">{} {}</td>\
             <td>{}</td>{}{}</tr>",
            esc(&a.actor),
            a.mentions,
            a.sentences,
            a.share * 100.0,
            score_color(a.score),
            signed(a.score),
            sign_marker(a.score),
            esc(&a.label),
            driver_cell(a.strongest_for.as_ref()),
            driver_cell(a.strongest_against.as_ref()),
        );
    }
    t.push_str("</tbody>\n</table>\n");
    t
}

fn legend(scored: bool, explained: bool) -> String {
    let mut l = String::from("<section class=\"legend\">\n<h2>How to read this page</h2>\n<ul>\n");
    let _ = writeln!(
        l,
        "<li>Colors: <span class=\"scale\" style=\"background: linear-gradient(to right, {}, #fff, {})\"></span> \
         from −1 (red, against) through 0 (white, neutral) to +1 (green, favor). A score is the \
         probability-weighted mean of the labels' polarities.</li>",
        rgb(AGAINST_RGB),
        rgb(FAVOR_RGB)
    );
    let _ = writeln!(
        l,
        "<li>Actor mentions in the text: <span class=\"swatch\" style=\"background: {}\">Actor<sup>+</sup></span> \
         <span class=\"swatch\" style=\"background: {}\">Actor<sup>−</sup></span> \
         <span class=\"swatch\" style=\"background: #fff\">Actor<sup>○</sup></span> — colored by the stance of \
         that sentence toward the actor, marked + (at or above +{LEAN_THRESHOLD:.2}), − (at or below \
         −{LEAN_THRESHOLD:.2}) or ○ (in between). Hover for the label and score. A dashed \
         outline marks a pronoun or a title standing alone (\"he\", \"the senator\") that was \
         resolved to the actor; hover to see which.</li>",
        score_color(0.9),
        score_color(-0.9)
    );
    let _ = writeln!(
        l,
        "<li>An actor&#39;s article score at or beyond ±{LEAN_THRESHOLD:.2} (dashed lines in the chart) \
         means the article leans for or against it. Only actors mentioned in at least \
         {VERDICT_MIN_SENTENCES} sentences count for the verdict.</li>"
    );
    let _ = writeln!(
        l,
        "<li>The article is <b>one-sided</b> when the spread (most favored minus least favored counted \
         actor) is at least {ONE_SIDED_SPREAD:.2}, or when a single counted actor leans beyond \
         ±{LEAN_THRESHOLD:.2}; otherwise <b>balanced</b>.</li>"
    );
    if scored {
        let _ = writeln!(
            l,
            "<li><span class=\"swatch-loaded\">Dotted underline</span>: a sentence with a loaded-language \
             probability of at least {LOADED_THRESHOLD:.2}.</li>"
        );
        if explained {
            l.push_str(
                "<li><span class=\"swatch-word\">Highlighted words</span> in loaded sentences: single words \
                 and sentiment-lexicon words among the strongest features of the bias score that push \
                 the sentence toward &quot;biased&quot;; the stronger the push, the stronger the highlight. \
                 Hover for the contribution to the logit (a feature found several times is split \
                 evenly between its occurrences).</li>\n",
            );
        } else {
            l.push_str(
                "<li>Loaded words are not marked: the report was made without explanations.</li>\n",
            );
        }
    } else {
        l.push_str("<li>Loaded language is not scored: the model has no bias head.</li>\n");
    }
    l.push_str("</ul>\n</section>\n");
    l
}

/// An element of the annotated text over article characters `start..end`.
struct El {
    start: usize,
    end: usize,
    /// Opening tag the first time, and when reopened after a cut.
    open: String,
    cont: String,
    close: &'static str,
}

const P: usize = 0;
const SENTENCE: usize = 1;
const MENTION: usize = 2;
const MARK: usize = 3;
const LAYERS: usize = 4;

/// Character ranges of the paragraphs: non-empty blocks between whitespace runs that hold
/// at least two line breaks (a blank line), trimmed.
fn paragraphs(chars: &[char]) -> Vec<(usize, usize)> {
    let n = chars.len();
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < n {
        if chars[i].is_whitespace() {
            let mut j = i;
            let mut breaks = 0;
            while j < n && chars[j].is_whitespace() {
                breaks += usize::from(chars[j] == '\n');
                j += 1;
            }
            if breaks >= 2 || j == n {
                if let Some(s) = start.take() {
                    out.push((s, i));
                }
            }
            i = j;
        } else {
            start.get_or_insert(i);
            i += 1;
        }
    }
    if let Some(s) = start {
        out.push((s, n));
    }
    out
}

/// Sort by start (longest first) and drop empty elements and those overlapping a kept one.
fn non_overlapping(mut v: Vec<El>, n: usize) -> Vec<El> {
    for e in v.iter_mut() {
        e.start = e.start.min(n);
        e.end = e.end.min(n);
    }
    v.retain(|e| e.start < e.end);
    v.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut out: Vec<El> = Vec::with_capacity(v.len());
    for e in v {
        if out.last().is_none_or(|l| e.start >= l.end) {
            out.push(e);
        }
    }
    out
}

/// A merged loaded-word span: summed contribution and the features behind it.
struct Loaded {
    start: usize,
    end: usize,
    total: f32,
    features: BTreeMap<String, f32>,
    toward: String,
}

/// Whether a feature name is a single word (`w|` without a space, not an actor
/// placeholder), a sentiment-lexicon feature (`x|`) or a feature of the loaded-word
/// detector (its spans are the words it flags).
fn word_feature(name: &str) -> bool {
    if name.starts_with("x|") || name.starts_with("loaded words:") {
        return true;
    }
    match name.strip_prefix("w|") {
        Some(w) => !w.is_empty() && !w.contains(' ') && w != "<t>" && w != "<o>",
        None => false,
    }
}

/// Spans of single-word and lexicon features that push a sentence toward "biased",
/// merged where they overlap.
fn loaded_words(sentences: &[SentenceReport]) -> Vec<Loaded> {
    let mut pieces: Vec<Loaded> = Vec::new();
    for s in sentences {
        let Some(e) = &s.bias_explanation else {
            continue;
        };
        if !s.bias.is_some_and(|b| b >= LOADED_THRESHOLD) {
            continue;
        }
        let toward = match e.toward.as_str() {
            "" => "biased".to_string(),
            t => t.to_string(),
        };
        for f in &e.features {
            let pushes = f.contribution > 0.0;
            if !pushes || !f.names.iter().all(|n| word_feature(n)) {
                continue;
            }
            let mut spans: Vec<(usize, usize)> =
                f.spans.iter().copied().filter(|(a, b)| a < b).collect();
            spans.sort_unstable();
            spans.dedup();
            let share = f.contribution / spans.len().max(1) as f32;
            for (a, b) in spans {
                pieces.push(Loaded {
                    start: a,
                    end: b,
                    total: share,
                    features: BTreeMap::from([(f.feature.clone(), share)]),
                    toward: toward.clone(),
                });
            }
        }
    }
    pieces.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut merged: Vec<Loaded> = Vec::new();
    for p in pieces {
        match merged.last_mut() {
            Some(m) if p.start < m.end => {
                m.end = m.end.max(p.end);
                m.total += p.total;
                for (k, v) in p.features {
                    *m.features.entry(k).or_insert(0.0) += v;
                }
            }
            _ => merged.push(p),
        }
    }
    merged
}

/// The article's text as `<p>` paragraphs with sentences, mentions and loaded words.
fn annotated_text(r: &ArticleReport) -> String {
    let text = r.text.as_str();
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let mut layers: Vec<Vec<El>> = (0..LAYERS).map(|_| Vec::new()).collect();
    layers[P] = paragraphs(&chars)
        .into_iter()
        .map(|(start, end)| El {
            start,
            end,
            open: "<p>".into(),
            cont: "<p>".into(),
            close: "</p>\n",
        })
        .collect();
    sentence_layers(r, &mut layers);
    layers[MARK] = mark_layer(r);
    let layers: Vec<Vec<El>> = layers.into_iter().map(|l| non_overlapping(l, n)).collect();
    let mut out = render_layers(text, &layers, n);
    if layers[P].is_empty() {
        out.push_str("<p class=\"none\">(empty article)</p>\n");
    }
    out
}

/// The sentence and mention layers: a span per sentence (with its loaded-language
/// probability) and per actor mention (colored by the actor's score in the sentence).
fn sentence_layers(r: &ArticleReport, layers: &mut [Vec<El>]) {
    for s in &r.sentences {
        let loaded = s.bias.is_some_and(|b| b >= LOADED_THRESHOLD);
        let class = if loaded {
            "sentence loaded"
        } else {
            "sentence"
        };
        let (bias_attr, title) = match s.bias {
            Some(b) => (
                format!(" data-bias=\"{b:.2}\""),
                format!(
                    "sentence {}: loaded-language probability {b:.2}{}",
                    s.index,
                    if loaded { " (loaded)" } else { "" }
                ),
            ),
            None => (String::new(), format!("sentence {}", s.index)),
        };
        let attrs = format!(
            "data-index=\"{}\"{bias_attr} title=\"{}\"",
            s.index,
            esc(&title)
        );
        layers[SENTENCE].push(El {
            start: s.start,
            end: s.end,
            open: format!("<span class=\"{class}\" id=\"s{}\" {attrs}>", s.index),
            cont: format!("<span class=\"{class} cont\" {attrs}>"),
            close: "</span>",
        });
        for a in &s.actors {
            let name = esc(&a.actor);
            let attrs = format!(
                "data-actor=\"{name}\" data-score=\"{score}\" data-sign=\"{sign}\" \
                 title=\"{name}: {label} ({score})\" style=\"background: {color}\"",
                score = signed(a.score),
                sign = sign_marker(a.score),
                label = esc(&a.label),
                color = score_color(a.score),
            );
            for m in &a.mentions {
                // Pronouns and titles standing alone are resolved by a rule a reader
                // should be able to check: marked (dashed) and named in the tooltip.
                let attrs = match m.kind {
                    MentionKind::Pronoun | MentionKind::Title => {
                        let kind = m.kind.name();
                        let title = format!("title=\"{} ({kind}) = ", esc(&m.text));
                        format!(
                            "data-kind=\"{kind}\" {}",
                            attrs.replacen("title=\"", &title, 1)
                        )
                    }
                    _ => attrs.clone(),
                };
                layers[MENTION].push(El {
                    start: m.start,
                    end: m.end,
                    open: format!("<span class=\"mention\" {attrs}>"),
                    cont: format!("<span class=\"mention cont\" {attrs}>"),
                    close: "</span>",
                });
            }
        }
    }
}

/// The loaded-word layer: the words whose features push sentences toward "biased".
fn mark_layer(r: &ArticleReport) -> Vec<El> {
    let mut layer = Vec::new();
    let words = loaded_words(&r.sentences);
    let strongest = words.iter().map(|w| w.total).fold(0.0f32, f32::max);
    for w in words {
        let mut feats: Vec<(String, f32)> = w.features.into_iter().collect();
        feats.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let list = feats
            .iter()
            .map(|(k, v)| format!("{k} {}", signed(*v)))
            .collect::<Vec<_>>()
            .join(", ");
        let title = format!("{} toward {} ({list})", signed(w.total), w.toward);
        let alpha = if strongest > 0.0 {
            0.15 + 0.7 * (w.total / strongest).clamp(0.0, 1.0)
        } else {
            0.5
        };
        let attrs = format!(
            "title=\"{}\" data-contribution=\"{}\" style=\"box-shadow: inset 0 -0.45em 0 rgba(245, 176, 0, {alpha:.2})\"",
            esc(&title),
            signed(w.total)
        );
        layer.push(El {
            start: w.start,
            end: w.end,
            open: format!("<mark class=\"loaded-word\" {attrs}>"),
            cont: format!("<mark class=\"loaded-word cont\" {attrs}>"),
            close: "</mark>",
        });
    }
    layer
}

/// The text of `n` characters with the layers' elements (each layer's elements not
/// overlapping) nested as HTML: paragraphs outermost, then sentences, mentions and
/// marks; an element cut by an outer one's boundary is closed and continued.
fn render_layers(text: &str, layers: &[Vec<El>], n: usize) -> String {
    // Byte offset of every character index (and of the end).
    let mut byte = Vec::with_capacity(n + 1);
    byte.extend(text.char_indices().map(|(b, _)| b));
    byte.push(text.len());
    let mut cuts: Vec<usize> = vec![0, n];
    for l in layers {
        for e in l {
            cuts.push(e.start);
            cuts.push(e.end);
        }
    }
    cuts.sort_unstable();
    cuts.dedup();

    let mut out = String::with_capacity(text.len() * 3);
    let mut opened: Vec<Vec<bool>> = layers.iter().map(|l| vec![false; l.len()]).collect();
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        // The element of each layer covering a..b (elements of a layer do not overlap and
        // no element boundary falls inside a..b).
        let active = |l: usize| -> Option<usize> {
            let i = layers[l].partition_point(|e| e.start <= a);
            (i > 0 && layers[l][i - 1].end > a).then(|| i - 1)
        };
        let want: Vec<(usize, usize)> = match active(P) {
            None => Vec::new(),
            Some(p) => std::iter::once((P, p))
                .chain((1..LAYERS).filter_map(|l| active(l).map(|i| (l, i))))
                .collect(),
        };
        let keep = stack.iter().zip(&want).take_while(|(x, y)| x == y).count();
        while stack.len() > keep {
            let (l, i) = stack.pop().unwrap();
            out.push_str(layers[l][i].close);
        }
        for &(l, i) in &want[keep..] {
            let e = &layers[l][i];
            out.push_str(if opened[l][i] { &e.cont } else { &e.open });
            opened[l][i] = true;
            stack.push((l, i));
        }
        if !want.is_empty() {
            out.push_str(&esc(&text[byte[a]..byte[b]]));
        }
    }
    while let Some((l, i)) = stack.pop() {
        out.push_str(layers[l][i].close);
    }
    out
}

/// A page comparing articles: actors x articles, cells colored by score.
pub fn comparison_page(c: &Comparison) -> String {
    let mut h = head(&format!(
        "Comparison of {} articles – stance",
        c.articles.len()
    ));
    h.push_str("<header>\n");
    let _ = writeln!(
        h,
        "<h1>Comparison of {}</h1>",
        plural(c.articles.len(), "article", "articles")
    );
    h.push_str("<ol class=\"verdicts\">\n");
    for (i, id) in c.articles.iter().enumerate() {
        let verdict = c.verdicts.get(i).map(String::as_str).unwrap_or("");
        let _ = writeln!(
            h,
            "<li><b class=\"article-id\">[{}] {}</b>: <span class=\"verdict\">{}</span></li>",
            i + 1,
            esc(id),
            esc(verdict)
        );
    }
    h.push_str("</ol>\n</header>\n<main>\n<section class=\"compare\">\n<h2>Score per actor and article</h2>\n");
    if c.actors.is_empty() {
        h.push_str("<p class=\"none\">No known actor is mentioned in any article.</p>\n");
    } else {
        h.push_str("<table class=\"compare\">\n<thead><tr><th scope=\"col\">Actor</th>");
        for (i, id) in c.articles.iter().enumerate() {
            let _ = write!(
                h,
                "<th scope=\"col\" title=\"{}\">[{}] {}</th>",
                esc(id),
                i + 1,
                esc(&short(id, 40))
            );
        }
        h.push_str("</tr></thead>\n<tbody>\n");
        for a in &c.actors {
            let _ = write!(h, "<tr><th scope=\"row\">{}</th>", esc(&a.actor));
            for (i, id) in c.articles.iter().enumerate() {
                let m = a.mentions.get(i).copied().unwrap_or(0);
                match a.scores.get(i).copied().flatten() {
                    Some(s) => {
                        let _ = write!(
                            h,
                            "<td class=\"num score cell\" data-article=\"{}\" data-actor=\"{}\" data-score=\"{}\" \
                             style=\"background: {}\">{} {}<small>{}</small></td>",
                            esc(id),
                            esc(&a.actor),
                            signed(s),
                            score_color(s),
                            signed(s),
                            sign_marker(s),
                            plural(m, "mention", "mentions")
                        );
                    }
                    None => h.push_str("<td class=\"absent\" title=\"not mentioned\">–</td>"),
                }
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</tbody>\n</table>\n");
    }
    h.push_str("</section>\n<section class=\"legend\">\n<h2>How to read this page</h2>\n<ul>\n");
    let _ = writeln!(
        h,
        "<li>Colors: <span class=\"scale\" style=\"background: linear-gradient(to right, {}, #fff, {})\"></span> \
         from −1 (red, against) through 0 (white, neutral) to +1 (green, favor); + marks a score at or \
         above +{LEAN_THRESHOLD:.2}, − at or below −{LEAN_THRESHOLD:.2}, ○ in between. – : the article does \
         not mention the actor.</li>",
        rgb(AGAINST_RGB),
        rgb(FAVOR_RGB)
    );
    let _ = writeln!(
        h,
        "<li>A verdict counts actors mentioned in at least {VERDICT_MIN_SENTENCES} sentences; it is \
         one-sided when their spread is at least {ONE_SIDED_SPREAD:.2}. A sentence is loaded when its \
         loaded-language probability is at least {LOADED_THRESHOLD:.2}.</li>"
    );
    h.push_str("</ul>\n</section>\n</main>\n");
    h.push_str(&foot());
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::compare::ComparedActor;
    use crate::analyze::{
        ActorSummary, Contribution, Explanation, MentionOut, SentenceActor, SentenceReport,
    };

    /// Character offsets of the `k`-th occurrence of `needle` in `text`.
    fn find(text: &str, needle: &str, k: usize) -> (usize, usize) {
        let b = text
            .match_indices(needle)
            .nth(k)
            .unwrap_or_else(|| panic!("{needle:?} #{k} not in {text:?}"))
            .0;
        let s = text[..b].chars().count();
        (s, s + needle.chars().count())
    }

    fn sentence_span(text: &str, sentence: &str) -> (usize, usize) {
        find(text, sentence, 0)
    }

    fn mention(text: &str, needle: &str, k: usize) -> MentionOut {
        let (start, end) = find(text, needle, k);
        MentionOut {
            start,
            end,
            text: needle.to_string(),
            kind: crate::text::coref::MentionKind::Name,
        }
    }

    fn actor(name: &str, score: f32, mentions: Vec<MentionOut>) -> SentenceActor {
        let label = if score > 0.25 {
            "favor"
        } else if score < -0.25 {
            "against"
        } else {
            "neutral"
        };
        SentenceActor {
            actor: name.into(),
            kind: String::new(),
            mentions,
            label: label.into(),
            score,
            confidence: 0.9,
            probabilities: Default::default(),
            explanation: None,
        }
    }

    fn contribution(feature: &str, c: f32, spans: Vec<(usize, usize)>) -> Contribution {
        Contribution {
            feature: feature.into(),
            names: feature.split(" / ").map(str::to_string).collect(),
            contribution: c,
            spans,
        }
    }

    fn explanation(features: Vec<Contribution>) -> Option<Explanation> {
        Some(Explanation {
            logit_of: "biased vs unbiased".into(),
            toward: "biased".into(),
            logit: 1.0,
            intercept: 0.0,
            features,
            rest: 0.0,
        })
    }

    fn summary(name: &str, mentions: usize, sentences: usize, score: f32) -> ActorSummary {
        ActorSummary {
            actor: name.into(),
            kind: String::new(),
            mentions,
            sentences,
            score,
            label: if score > 0.0 { "favor" } else { "against" }.into(),
            probabilities: BTreeMap::new(),
            share: sentences as f32 / 3.0,
            top_sentences: Vec::new(),
            strongest_for: None,
            strongest_against: None,
        }
    }

    const TEXT: &str = "L'Élysée «salue» la médiation d'Oman & <Qatar>.\n\n\
                        Iran's \"reckless\" threats rattled 'AT&T <b>' and Oman.   Brutal, brutal talk from Iran!\n";

    /// A small report over [`TEXT`]: multibyte characters before mentions, markup-like
    /// text, an actor name with `&`, `"` and `<`, overlapping and duplicate loaded-word
    /// spans, one of them across a mention boundary.
    fn report() -> ArticleReport {
        let t = TEXT;
        let s0 = "L'Élysée «salue» la médiation d'Oman & <Qatar>.";
        let s1 = "Iran's \"reckless\" threats rattled 'AT&T <b>' and Oman.";
        let s2 = "Brutal, brutal talk from Iran!";
        let (a0, e0) = sentence_span(t, s0);
        let (a1, e1) = sentence_span(t, s1);
        let (a2, e2) = sentence_span(t, s2);
        let odd = "AT&T \"<b>\"";
        let reckless = find(t, "reckless", 0);
        let threats = find(t, "threats", 0);
        // "\"reckless\" threats" overlaps "reckless" and "threats".
        let quoted = find(t, "\"reckless\" threats", 0);
        // "Iran's" overlaps the mention "Iran" (0..4) and runs past its end.
        let irans = find(t, "Iran's", 0);
        let brutal0 = find(t, "Brutal", 0);
        let brutal1 = find(t, "brutal", 0);
        let sentences = vec![
            SentenceReport {
                loaded_words: Vec::new(),
                index: 0,
                start: a0,
                end: e0,
                text: s0.into(),
                bias: Some(0.2),
                bias_explanation: explanation(vec![
                    contribution("w|salue", -0.4, vec![find(t, "salue", 0)]),
                    // Pushes toward biased, but the sentence is not loaded.
                    contribution("w|médiation", 0.3, vec![find(t, "médiation", 0)]),
                ]),
                actors: vec![
                    actor("Oman", 0.8, vec![mention(t, "Oman", 0)]),
                    actor("Qatar", 0.0, vec![mention(t, "Qatar", 0)]),
                ],
            },
            SentenceReport {
                loaded_words: Vec::new(),
                index: 1,
                start: a1,
                end: e1,
                text: s1.into(),
                bias: Some(0.91),
                bias_explanation: explanation(vec![
                    contribution("x|neg|weak", 1.2, vec![reckless, threats]),
                    contribution("x|neg", 0.6, vec![reckless, threats, reckless]),
                    contribution("w|reckless", 0.3, vec![reckless]),
                    contribution("w|\" reckless \" threats", 0.5, vec![quoted]),
                    contribution("w|iran's", 0.25, vec![irans]),
                    contribution("w|rattled", -0.2, vec![find(t, "rattled", 0)]),
                    contribution("c|ra", 0.4, vec![find(t, "rattled", 0)]),
                    contribution("w|and / w|and oman", 0.1, vec![find(t, "and", 0)]),
                ]),
                actors: vec![
                    actor("Iran", -0.7, vec![mention(t, "Iran", 0)]),
                    actor(odd, -0.1, vec![mention(t, "AT&T <b>", 0)]),
                    actor("Oman", 0.5, vec![mention(t, "Oman", 1)]),
                ],
            },
            SentenceReport {
                loaded_words: Vec::new(),
                index: 2,
                start: a2,
                end: e2,
                text: s2.into(),
                bias: Some(0.75),
                bias_explanation: explanation(vec![
                    contribution("x|neg|strong", 0.9, vec![brutal0, brutal1]),
                    contribution("w|brutal", 0.4, vec![brutal0, brutal1]),
                    contribution("w|iran", 0.2, vec![find(t, "Iran", 1)]),
                ]),
                actors: vec![actor("Iran", -0.9, vec![mention(t, "Iran", 1)])],
            },
        ];
        let actors = vec![
            summary("Iran", 2, 2, -0.8),
            summary("Oman", 2, 2, 0.65),
            summary(odd, 1, 1, -0.1),
            summary("Qatar", 1, 1, 0.0),
        ];
        let (verdict, spread, loaded) = crate::analyze::verdict(&actors, &sentences);
        ArticleReport {
            id: "outlet <one> & \"two\"".into(),
            text: t.into(),
            loaded_sentences: loaded,
            loaded_share: loaded.map(|l| l as f32 / 3.0),
            spread,
            verdict,
            sentences,
            actors,
        }
    }

    fn unescape(s: &str) -> String {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    fn strip_tags(s: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in s.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out
    }

    fn normalized(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The inner HTML of the first `<div class="article-text">`.
    fn article_html(page: &str) -> &str {
        let open = "<div class=\"article-text\">";
        let a = page.find(open).expect("article text") + open.len();
        let b = a + page[a..].find("</div>").expect("end of article text");
        &page[a..b]
    }

    /// Check that tags are properly nested (void and self-closing tags aside), that text
    /// holds no raw `<` or `>`, and that spans and marks stay inside paragraphs.
    fn check_nesting(html: &str) -> Result<(), String> {
        const VOID: &[&str] = &["meta", "br", "hr", "img", "input", "link", "wbr", "col"];
        let mut stack: Vec<String> = Vec::new();
        let mut i = 0;
        while let Some(p) = html[i..].find(['<', '>']) {
            let at = i + p;
            if html[at..].starts_with('>') {
                return Err(format!(
                    "raw '>' in text at {at}: {:?}",
                    &html[at.saturating_sub(40)..at + 1]
                ));
            }
            if html[at..].starts_with("<!") {
                i = at + html[at..].find('>').ok_or("unterminated <!")? + 1;
                continue;
            }
            let end = at + html[at..].find('>').ok_or("unterminated tag")?;
            let tag = &html[at + 1..end];
            if tag.contains('<') {
                return Err(format!("'<' inside tag at {at}: {tag:?}"));
            }
            i = end + 1;
            if let Some(name) = tag.strip_prefix('/') {
                match stack.pop() {
                    Some(top) if top == name.trim() => {}
                    top => return Err(format!("</{name}> closes {top:?} at {at}")),
                }
                continue;
            }
            let name = tag
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            if name.is_empty() {
                return Err(format!("empty tag at {at}"));
            }
            if tag.ends_with('/') || VOID.contains(&name.as_str()) {
                continue;
            }
            if matches!(name.as_str(), "p" | "div" | "section" | "table")
                && stack.iter().any(|t| t == "p" || t == "span" || t == "mark")
            {
                return Err(format!(
                    "<{name}> inside phrasing content {stack:?} at {at}"
                ));
            }
            if name == "style" {
                let close = html[i..].find("</style>").ok_or("unterminated style")?;
                i += close + "</style>".len();
                continue;
            }
            stack.push(name);
        }
        if stack.is_empty() {
            Ok(())
        } else {
            Err(format!("unclosed: {stack:?}"))
        }
    }

    /// Text inside each `<span class="mention" ...>` (tags inside stripped), in order.
    fn mention_texts(html: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (at, _) in html.match_indices("<span class=\"mention\"") {
            let start = at + html[at..].find('>').unwrap() + 1;
            let mut depth = 1;
            let mut j = start;
            while depth > 0 {
                let next_open = html[j..].find("<span").map(|x| x + j);
                let next_close = html[j..].find("</span>").map(|x| x + j).unwrap();
                match next_open {
                    Some(o) if o < next_close => {
                        depth += 1;
                        j = o + 5;
                    }
                    _ => {
                        depth -= 1;
                        j = next_close + 7;
                    }
                }
            }
            out.push(unescape(&strip_tags(&html[start..j - 7])));
        }
        out
    }

    #[test]
    fn page_is_well_nested_and_keeps_the_text() {
        let r = report();
        let page = article_page(&r);
        check_nesting(&page).unwrap_or_else(|e| panic!("{e}\n{page}"));
        let body = article_html(&page);
        check_nesting(body).unwrap_or_else(|e| panic!("{e}\n{body}"));
        assert_eq!(
            normalized(&unescape(&strip_tags(body))),
            normalized(TEXT),
            "{body}"
        );
        // Two paragraphs, three sentences, one loaded sentence per loaded bias.
        assert_eq!(body.matches("<p>").count(), 2, "{body}");
        assert_eq!(body.matches("<span class=\"sentence").count(), 3, "{body}");
        assert_eq!(
            body.matches("<span class=\"sentence loaded\"").count(),
            2,
            "{body}"
        );
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(!page.contains("<script"));
        assert!(!page.contains("src=") && !page.contains("href=\"http"));
    }

    #[test]
    fn text_actor_names_and_ids_are_escaped() {
        let page = article_page(&report());
        // Article text.
        assert!(
            !page.contains("<Qatar>") && !page.contains("<b>'"),
            "{page}"
        );
        assert!(page.contains("&amp; &lt;"), "{page}");
        assert!(page.contains("&#39;") && page.contains("&quot;"));
        // Actor name in attributes, chart and table.
        let odd = "AT&amp;T &quot;&lt;b&gt;&quot;";
        assert!(page.contains(&format!("data-actor=\"{odd}\"")), "{page}");
        assert!(
            page.contains(&format!("<th scope=\"row\">{odd} ")),
            "{page}"
        );
        assert!(!page.contains("AT&T"), "{page}");
        // Title and heading.
        let id = "outlet &lt;one&gt; &amp; &quot;two&quot;";
        assert!(page.contains(&format!("<title>{id} – stance</title>")));
        assert!(page.contains(&format!("<h1>{id}</h1>")));
        // The verdict line, escaped.
        assert!(page.contains(&esc(&report().verdict)));
    }

    #[test]
    fn mentions_land_on_the_right_characters_after_multibyte_text() {
        let r = report();
        let page = article_page(&r);
        let body = article_html(&page);
        let got = mention_texts(body);
        let mut want: Vec<(usize, String)> = r
            .sentences
            .iter()
            .flat_map(|s| s.actors.iter())
            .flat_map(|a| a.mentions.iter().map(|m| (m.start, m.text.clone())))
            .collect();
        want.sort();
        let want: Vec<String> = want.into_iter().map(|(_, t)| t).collect();
        assert_eq!(got, want, "{body}");
        assert!(body.contains(
            "<span class=\"mention\" data-actor=\"Oman\" data-score=\"+0.80\" data-sign=\"+\" \
             title=\"Oman: favor (+0.80)\" style=\"background: "
        ));
        assert!(
            body.contains("d&#39;<span class=\"mention\" data-actor=\"Oman\""),
            "{body}"
        );
        assert!(body.contains("data-sign=\"\u{2212}\" title=\"Iran: against (-0.70)\""));
    }

    #[test]
    fn loaded_words_are_merged_and_split_at_mentions() {
        let page = article_page(&report());
        let body = article_html(&page);
        // "reckless" gets three features (one listing its span twice); the quoted phrase
        // has spaces, so it is not a word feature and does not join it to "threats".
        let marks: Vec<&str> = body
            .match_indices("<mark")
            .map(|(i, _)| &body[i..])
            .collect();
        let texts: Vec<String> = marks
            .iter()
            .map(|m| {
                let a = m.find('>').unwrap() + 1;
                unescape(&m[a..m.find("</mark>").unwrap()])
            })
            .collect();
        // Iran's: split at the end of the mention "Iran" (inside it, then "'s" after it).
        assert_eq!(
            texts,
            ["Iran", "'s", "reckless", "threats", "Brutal", "brutal", "Iran"],
            "{body}"
        );
        assert!(body.contains("<mark class=\"loaded-word cont\""), "{body}");
        // A mention holds the first part; its continuation follows the mention.
        assert!(
            body.contains("Iran</mark></span><mark class=\"loaded-word cont\""),
            "{body}"
        );
        // Contributions: reckless gets half of the two-span lexicon features plus w|.
        let reckless = marks[2];
        assert!(
            reckless.starts_with("<mark class=\"loaded-word\" title=\"+1.20 toward biased (x|neg|weak +0.60, w|reckless +0.30, x|neg +0.30)\""),
            "{reckless}"
        );
        // Negative, character and collision-with-phrase features mark nothing.
        assert!(!body.contains(">salue</mark>") && !body.contains(">rattled</mark>"));
        assert!(!body.contains(">and</mark>"));
        // Words of sentences that are not loaded are not marked.
        assert!(!body.contains(">médiation</mark>"));
    }

    #[test]
    fn loaded_words_overlapping_each_other_merge_into_one_mark() {
        let mut r = report();
        let t = TEXT;
        let e = r.sentences[1].bias_explanation.as_mut().unwrap();
        // "reckless" plus an overlapping span "reckless\" thr" (a strange one-token span).
        let (a, _) = find(t, "reckless", 0);
        e.features
            .push(contribution("x|pos", 0.1, vec![(a + 4, a + 13)]));
        let page = article_page(&r);
        let body = article_html(&page);
        check_nesting(body).unwrap_or_else(|e| panic!("{e}\n{body}"));
        assert!(body.contains(">reckless&quot; threats</mark>"), "{body}");
        assert_eq!(normalized(&unescape(&strip_tags(body))), normalized(TEXT));
    }

    #[test]
    fn words_a_loaded_word_detector_counts_are_marked() {
        let mut r = report();
        let (a, b) = find(TEXT, "rattled", 0);
        let e = r.sentences[1].bias_explanation.as_mut().unwrap();
        e.features.push(contribution(
            "loaded words: words above 0.2 (rattled 0.41)",
            0.3,
            vec![(a, b)],
        ));
        let page = article_page(&r);
        let body = article_html(&page);
        assert!(body.contains(">rattled</mark>"), "{body}");
        assert!(
            body.contains("loaded words: words above 0.2 (rattled 0.41) +0.30"),
            "{body}"
        );
    }

    #[test]
    fn elements_cut_by_a_paragraph_break_are_reopened() {
        // One sentence (per a segmenter that missed the break) spans two paragraphs, and a
        // mark covers both sides of the break.
        let text = "Headline about Oman\n\n Oman praised Qatar.";
        let mut r = report();
        r.text = text.into();
        let all = (0, text.chars().count());
        let oman1 = find(text, "Oman", 1);
        let about = find(text, "about", 0);
        r.sentences = vec![SentenceReport {
            loaded_words: Vec::new(),
            index: 0,
            start: all.0,
            end: all.1,
            text: text.into(),
            bias: Some(0.6),
            bias_explanation: explanation(vec![contribution(
                "x|pos",
                0.5,
                vec![(about.0, oman1.1)],
            )]),
            actors: vec![actor(
                "Oman",
                0.5,
                vec![mention(text, "Oman", 0), mention(text, "Oman", 1)],
            )],
        }];
        let page = article_page(&r);
        check_nesting(&page).unwrap_or_else(|e| panic!("{e}\n{page}"));
        let body = article_html(&page);
        assert_eq!(
            normalized(&unescape(&strip_tags(body))),
            normalized(text),
            "{body}"
        );
        assert_eq!(body.matches("<p>").count(), 2);
        assert_eq!(
            body.matches("<span class=\"sentence loaded\" id=\"s0\"")
                .count(),
            1
        );
        assert_eq!(
            body.matches("<span class=\"sentence loaded cont\"").count(),
            1
        );
        assert_eq!(body.matches("<span class=\"mention\"").count(), 2, "{body}");
        // "about " in the sentence, "Oman" in the first mention, "Oman" in the second.
        assert_eq!(
            body.matches("<mark class=\"loaded-word\"").count(),
            1,
            "{body}"
        );
        assert_eq!(
            body.matches("<mark class=\"loaded-word cont\"").count(),
            2,
            "{body}"
        );
    }

    #[test]
    fn offsets_out_of_range_and_empty_texts_do_not_panic() {
        let mut r = report();
        r.sentences[0].actors[0].mentions[0].end = 10_000;
        r.sentences[1].actors[0].mentions[0].start = 10_000;
        let page = article_page(&r);
        check_nesting(&page).unwrap();
        r.text = String::new();
        r.actors.clear();
        let page = article_page(&r);
        check_nesting(&page).unwrap();
        assert!(page.contains("(empty article)") && page.contains("No known actor"));
    }

    #[test]
    fn chart_has_one_bar_per_actor_on_the_side_of_its_sign() {
        let r = report();
        let page = article_page(&r);
        assert_eq!(page.matches("<svg class=\"chart\"").count(), 1);
        assert_eq!(page.matches("<rect class=\"bar\"").count(), r.actors.len());
        let bar = |name: &str| {
            let at = page
                .find(&format!("<rect class=\"bar\" data-actor=\"{name}\""))
                .unwrap();
            let tag = &page[at..at + page[at..].find("/>").unwrap()];
            let num = |attr: &str| -> f32 {
                let a = tag.find(&format!(" {attr}=\"")).unwrap() + attr.len() + 3;
                tag[a..a + tag[a..].find('"').unwrap()].parse().unwrap()
            };
            (num("x"), num("width"), tag.to_string())
        };
        let (xi, wi, iran) = bar("Iran");
        let (xo, wo, oman) = bar("Oman");
        assert!(iran.contains("data-score=\"-0.80\"") && oman.contains("data-score=\"+0.65\""));
        assert!(
            (xi + wi - xo).abs() < 0.2,
            "both bars touch the axis: {iran} {oman}"
        );
        assert!(wi > wo && wo > 0.0);
        assert!(iran.contains("fill=\"rgb(224, 72, 60)\""));
        // Table and legend.
        assert!(page.contains("Strongest sentence for") && page.contains("How to read"));
        assert!(page.contains(&format!("{ONE_SIDED_SPREAD:.2}")));
    }

    #[test]
    fn colors_diverge_from_white() {
        assert_eq!(score_color(0.0), "rgb(255, 255, 255)");
        assert_eq!(score_color(-1.0), "rgb(224, 72, 60)");
        assert_eq!(score_color(1.0), "rgb(46, 160, 86)");
        assert_eq!(score_color(f32::NAN), "rgb(255, 255, 255)");
        assert_eq!(signed(-0.001), "+0.00");
        assert_eq!(sign_marker(0.3), "+");
    }

    #[test]
    fn comparison_page_colors_cells_and_marks_absent_actors() {
        let c = Comparison {
            articles: vec!["a <1>".into(), "b&2".into()],
            verdicts: vec![
                "one-sided: against Iran (-0.80)".into(),
                "balanced \"ok\"".into(),
            ],
            actors: vec![
                ComparedActor {
                    actor: "Iran".into(),
                    scores: vec![Some(-0.8), Some(-0.2)],
                    mentions: vec![3, 1],
                },
                ComparedActor {
                    actor: "O'man & co".into(),
                    scores: vec![None, Some(0.5)],
                    mentions: vec![0, 2],
                },
            ],
        };
        let page = comparison_page(&c);
        check_nesting(&page).unwrap_or_else(|e| panic!("{e}\n{page}"));
        assert_eq!(page.matches("<td class=\"absent\"").count(), 1);
        assert_eq!(page.matches("<td class=\"num score cell\"").count(), 3);
        assert!(page.contains("[1] a &lt;1&gt;") && page.contains("[2] b&amp;2"));
        assert!(page.contains("balanced &quot;ok&quot;"));
        assert!(page.contains("O&#39;man &amp; co"));
        assert!(page.contains("-0.80 \u{2212}<small>3 mentions</small>"));
        assert!(page.contains("<small>1 mention</small>"));
        assert!(page.contains(&format!("style=\"background: {}\"", score_color(0.5))));
    }
}
