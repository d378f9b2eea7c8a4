//! Printers for article reports: a readable table, JSON, JSON Lines and CSV, each over one
//! `Write`. Numbers are printed with fixed precision so outputs can be compared.

use crate::analyze::compare::Comparison;
use crate::analyze::{ArticleReport, MentionKind};
use serde::Serialize;
use std::io::{self, Write};

/// Output format of `stance-classify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A plain-text table per article.
    Table,
    /// One pretty-printed JSON document (an array of reports).
    Json,
    /// One JSON object per line and article.
    Jsonl,
    /// Comma-separated values, one row per actor (or sentence and actor).
    Csv,
    /// A self-contained page (one article, or one comparison).
    Html,
}

/// Something that prints article reports one after another.
pub trait Printer {
    /// Print one article's report.
    fn article(&mut self, r: &ArticleReport) -> io::Result<()>;
    /// Print what [`render`] made of a report (for the formats it renders).
    fn rendered(&mut self, _bytes: &[u8]) -> io::Result<()> {
        Err(io::Error::other("this output format prints reports itself"))
    }
    /// Print what ends the output (a closing bracket, the page's end) and flush.
    fn finish(&mut self) -> io::Result<()>;
}

/// The bytes a printer of `format` prints for one report, when they depend on nothing
/// else (JSON and JSON Lines), so reports can be rendered on all cores; `None` for the
/// other formats.
pub fn render(format: Format, r: &ArticleReport) -> Option<Vec<u8>> {
    let pretty = match format {
        Format::Json => true,
        Format::Jsonl => false,
        _ => return None,
    };
    let mut out = Vec::with_capacity(4096);
    write_rounded(&mut out, r, pretty).expect("reports serialize");
    out.push(b'\n');
    Some(out)
}

/// Make the printer for a format. `labels`: the stance head's class names (the CSV's
/// probability columns; empty for a model without a stance head).
pub fn printer<'w>(
    format: Format,
    out: Box<dyn Write + 'w>,
    sentences: bool,
    labels: &[String],
) -> Box<dyn Printer + 'w> {
    match format {
        Format::Table => Box::new(TablePrinter {
            out,
            sentences,
            first: true,
        }),
        Format::Json | Format::Jsonl => Box::new(JsonPrinter { out, format }),
        Format::Csv => Box::new(CsvPrinter {
            out: csv::Writer::from_writer(out),
            sentences,
            header: false,
            labels: labels.to_vec(),
        }),
        Format::Html => Box::new(HtmlPrinter { out, pages: 0 }),
    }
}

/// One self-contained HTML page; a second article is an error (use `--compare`).
pub struct HtmlPrinter<W: Write> {
    out: W,
    pages: usize,
}

impl<W: Write> Printer for HtmlPrinter<W> {
    fn article(&mut self, r: &ArticleReport) -> io::Result<()> {
        self.pages += 1;
        if self.pages > 1 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "--format html writes one page: give one article, or --compare several",
            ));
        }
        self.out
            .write_all(crate::output::html::article_page(r).as_bytes())
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Width of the actor column: the longest name, at least 5 characters.
fn name_width<'a>(names: impl Iterator<Item = &'a str>) -> usize {
    names.map(|n| n.chars().count()).max().unwrap_or(5).max(5)
}

fn short(s: &str, max: usize) -> String {
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let mut t: String = one_line.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// `favor vs against logit -1.23 = intercept +0.10, w|condemned <t> -0.80, ...`
/// Words shown on the article table's "most loaded words" line.
const TOP_LOADED_WORDS: usize = 8;

/// The article's `n` most probable loaded words (case-insensitively distinct, each at
/// its highest probability), most probable first.
fn top_loaded_words(r: &ArticleReport, n: usize) -> Vec<(&str, f32)> {
    let mut best: Vec<(&str, f32)> = Vec::new();
    for w in r.sentences.iter().flat_map(|s| &s.loaded_words) {
        match best
            .iter_mut()
            .find(|(t, _)| t.to_lowercase() == w.text.to_lowercase())
        {
            Some(b) if b.1 >= w.probability => {}
            Some(b) => *b = (w.text.as_str(), w.probability),
            None => best.push((w.text.as_str(), w.probability)),
        }
    }
    best.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    best.truncate(n);
    best
}

fn loaded_list(words: &[(&str, f32)]) -> String {
    words
        .iter()
        .map(|(w, p)| format!("{w} {p:.2}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn explanation_line(e: &crate::analyze::Explanation) -> String {
    let mut s = format!(
        "{} logit {:+.2} = intercept {:+.2}",
        e.logit_of, e.logit, e.intercept
    );
    for f in &e.features {
        s.push_str(&format!(", {} {:+.2}", f.feature, f.contribution));
    }
    s.push_str(&format!(", other features {:+.2}", e.rest));
    s
}

/// Human-readable table.
pub struct TablePrinter<W: Write> {
    out: W,
    sentences: bool,
    first: bool,
}

impl<W: Write> Printer for TablePrinter<W> {
    fn article(&mut self, r: &ArticleReport) -> io::Result<()> {
        let o = &mut self.out;
        if !self.first {
            writeln!(o)?;
        }
        self.first = false;
        let loaded: Vec<f32> = r.sentences.iter().filter_map(|s| s.bias).collect();
        write!(
            o,
            "== {}: {} sentences, {} actors",
            r.id,
            r.sentences.len(),
            r.actors.len()
        )?;
        if !loaded.is_empty() {
            let n = loaded.iter().filter(|&&p| p >= 0.5).count();
            write!(
                o,
                ", {n} of {} sentences loaded (bias p >= 0.50)",
                loaded.len()
            )?;
        }
        writeln!(o)?;
        writeln!(o, "verdict: {}", r.verdict)?;
        let top = top_loaded_words(r, TOP_LOADED_WORDS);
        if !top.is_empty() {
            writeln!(o, "most loaded words: {}", loaded_list(&top))?;
        }
        actor_table(o, r)?;
        if self.sentences {
            sentence_table(o, r)?;
        }
        Ok(())
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// The table's per-actor rows.
fn actor_table(o: &mut impl Write, r: &ArticleReport) -> io::Result<()> {
    if r.actors.is_empty() {
        writeln!(o, "(no known actor is mentioned)")?;
    } else {
        let labels: Vec<&String> = r.actors[0].probabilities.keys().collect();
        let w = name_width(r.actors.iter().map(|a| a.actor.as_str()));
        write!(
            o,
            "{:<w$}  {:>8}  {:>9}  {:>6}  {:<8}",
            "actor", "mentions", "sentences", "score", "label"
        )?;
        for l in &labels {
            write!(o, "  {:>7}", short(l, 7))?;
        }
        writeln!(o)?;
        for a in &r.actors {
            write!(
                o,
                "{:<w$}  {:>8}  {:>9}  {:>+6.2}  {:<8}",
                a.actor, a.mentions, a.sentences, a.score, a.label
            )?;
            for l in &labels {
                write!(o, "  {:>7.2}", a.probabilities[*l])?;
            }
            writeln!(o)?;
        }
    }
    Ok(())
}

/// The table's per-sentence rows (`--sentences`), with explanations and loaded words.
fn sentence_table(o: &mut impl Write, r: &ArticleReport) -> io::Result<()> {
    writeln!(o)?;
    writeln!(
        o,
        "{:>4}  {:>5}  {:<24}  {:<8}  {:>6}  sentence",
        "#", "bias", "actor", "label", "score"
    )?;
    for s in &r.sentences {
        let bias = s.bias.map_or("-".to_string(), |b| format!("{b:.2}"));
        if s.actors.is_empty() {
            writeln!(
                o,
                "{:>4}  {:>5}  {:<24}  {:<8}  {:>6}  {}",
                s.index,
                bias,
                "-",
                "-",
                "-",
                short(&s.text, 70)
            )?;
        }
        for (i, a) in s.actors.iter().enumerate() {
            let text = if i == 0 {
                short(&s.text, 70)
            } else {
                String::new()
            };
            writeln!(
                o,
                "{:>4}  {:>5}  {:<24}  {:<8}  {:>+6.2}  {}",
                s.index,
                bias,
                short(&a.actor, 24),
                a.label,
                a.score,
                text
            )?;
            let resolved: Vec<String> = a
                .mentions
                .iter()
                .filter(|m| matches!(m.kind, MentionKind::Pronoun | MentionKind::Title))
                .map(|m| format!("\"{}\" ({})", m.text, m.kind.name()))
                .collect();
            if !resolved.is_empty() {
                writeln!(o, "{:>4}  {:>5}  via {}", "", "", resolved.join(", "))?;
            }
            if let Some(e) = &a.explanation {
                writeln!(o, "{:>4}  {:>5}  why? {}", "", "", explanation_line(e))?;
            }
        }
        if let Some(e) = &s.bias_explanation {
            writeln!(o, "{:>4}  {:>5}  loaded? {}", "", "", explanation_line(e))?;
        }
        if !s.loaded_words.is_empty() {
            let words: Vec<(&str, f32)> = s
                .loaded_words
                .iter()
                .map(|w| (w.text.as_str(), w.probability))
                .collect();
            writeln!(
                o,
                "{:>4}  {:>5}  loaded words: {}",
                "",
                "",
                loaded_list(&words)
            )?;
        }
    }
    Ok(())
}

/// JSON (pretty, one document per article) or JSON Lines (one line per article).
pub struct JsonPrinter<W: Write> {
    out: W,
    format: Format,
}

/// Write `v` as JSON (pretty or compact) with every float rounded to 4 decimals, so
/// outputs are stable and comparable; fields come in declaration order.
fn write_rounded<W: Write, T: Serialize + ?Sized>(out: W, v: &T, pretty: bool) -> io::Result<()> {
    let r = if pretty {
        v.serialize(&mut serde_json::Serializer::with_formatter(
            out,
            Rounding(serde_json::ser::PrettyFormatter::new()),
        ))
    } else {
        v.serialize(&mut serde_json::Serializer::with_formatter(
            out,
            Rounding(serde_json::ser::CompactFormatter),
        ))
    };
    r.map_err(io::Error::from)
}

/// A CSV error as an I/O error that keeps the kind of an underlying I/O error (the
/// csv crate's own conversion makes every error `Other`, so a closed pipe would not be
/// recognized as one).
fn csv_io(e: csv::Error) -> io::Error {
    if e.is_io_error() {
        if let csv::ErrorKind::Io(inner) = e.into_kind() {
            return inner;
        }
        unreachable!("an I/O error holds an io::Error");
    }
    io::Error::other(e)
}

/// A JSON formatter that rounds floats to 4 decimals and otherwise defers to `F`.
/// (serde_json writes `null` for non-finite floats before they reach the formatter.)
struct Rounding<F>(F);

fn round4(x: f64) -> f64 {
    (x * 10000.0).round() / 10000.0
}

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for Rounding<F> {
    fn write_f32<W: ?Sized + Write>(&mut self, w: &mut W, v: f32) -> io::Result<()> {
        self.0.write_f64(w, round4(v as f64))
    }
    fn write_f64<W: ?Sized + Write>(&mut self, w: &mut W, v: f64) -> io::Result<()> {
        self.0.write_f64(w, round4(v))
    }
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn end_object_key<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_key(w)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

impl<W: Write> Printer for JsonPrinter<W> {
    fn article(&mut self, r: &ArticleReport) -> io::Result<()> {
        let bytes = render(self.format, r).expect("a JSON format");
        self.out.write_all(&bytes)
    }
    fn rendered(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// CSV: one row per (article, actor), or per (sentence, actor) with `--sentences`.
pub struct CsvPrinter<W: Write> {
    out: csv::Writer<W>,
    sentences: bool,
    header: bool,
    /// The stance classes, one probability column each.
    labels: Vec<String>,
}

impl<W: Write> Printer for CsvPrinter<W> {
    fn article(&mut self, r: &ArticleReport) -> io::Result<()> {
        let labels = &self.labels;
        let f = |x: f32| format!("{x:.4}");
        if !self.header {
            let mut h: Vec<String> = if self.sentences {
                &[
                    "id", "sentence", "start", "end", "bias", "actor", "mentions", "label", "score",
                ][..]
            } else {
                &["id", "actor", "mentions", "sentences", "score", "label"][..]
            }
            .iter()
            .map(|s| s.to_string())
            .collect();
            h.extend(labels.iter().map(|l| format!("p_{l}")));
            if self.sentences {
                h.push("explanation".into());
                h.push("loaded_words".into());
                h.push("text".into());
            }
            self.out.write_record(&h).map_err(csv_io)?;
            self.header = true;
        }
        if self.sentences {
            for s in &r.sentences {
                let loaded = s
                    .loaded_words
                    .iter()
                    .map(|w| format!("{}:{:.4}", w.text, w.probability))
                    .collect::<Vec<_>>()
                    .join(";");
                let head = |rec: &mut Vec<String>| {
                    rec.extend([
                        r.id.clone(),
                        s.index.to_string(),
                        s.start.to_string(),
                        s.end.to_string(),
                        s.bias.map(f).unwrap_or_default(),
                    ])
                };
                // A sentence without actors still has a row (its bias and loaded words).
                if s.actors.is_empty() {
                    let mut rec = Vec::new();
                    head(&mut rec);
                    rec.extend(std::iter::repeat_n(String::new(), 4 + labels.len() + 1));
                    rec.push(loaded.clone());
                    rec.push(s.text.to_string());
                    self.out.write_record(&rec).map_err(csv_io)?;
                }
                for a in &s.actors {
                    let mut rec = Vec::new();
                    head(&mut rec);
                    rec.extend([
                        a.actor.clone(),
                        a.mentions
                            .iter()
                            .map(|m| format!("{}-{}", m.start, m.end))
                            .collect::<Vec<_>>()
                            .join(" "),
                        a.label.clone(),
                        f(a.score),
                    ]);
                    rec.extend(labels.iter().map(|l| f(a.probabilities[l])));
                    rec.push(
                        a.explanation
                            .as_deref()
                            .map(explanation_line)
                            .unwrap_or_default(),
                    );
                    rec.push(loaded.clone());
                    rec.push(s.text.to_string());
                    self.out.write_record(&rec).map_err(csv_io)?;
                }
            }
        } else {
            for a in &r.actors {
                let mut rec = vec![
                    r.id.clone(),
                    a.actor.clone(),
                    a.mentions.to_string(),
                    a.sentences.to_string(),
                    f(a.score),
                    a.label.clone(),
                ];
                rec.extend(labels.iter().map(|l| f(a.probabilities[l])));
                self.out.write_record(&rec).map_err(csv_io)?;
            }
        }
        Ok(())
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Print a comparison in a format: table, JSON (one document), JSON Lines (one line per
/// actor) or CSV (one row per actor, one score column per article).
pub fn print_comparison(c: &Comparison, format: Format, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Table => {
            let w = name_width(c.actors.iter().map(|a| a.actor.as_str()));
            for (i, (a, v)) in c.articles.iter().zip(&c.verdicts).enumerate() {
                writeln!(out, "[{}] {a}: {v}", i + 1)?;
            }
            writeln!(out)?;
            write!(out, "{:<w$}", "actor")?;
            for i in 0..c.articles.len() {
                write!(out, "  {:>12}", format!("[{}]", i + 1))?;
            }
            writeln!(out)?;
            for a in &c.actors {
                write!(out, "{:<w$}", a.actor)?;
                for (s, m) in a.scores.iter().zip(&a.mentions) {
                    match s {
                        Some(s) => write!(out, "  {:>12}", format!("{s:+.2} ({m})"))?,
                        None => write!(out, "  {:>12}", "-")?,
                    }
                }
                writeln!(out)?;
            }
            writeln!(
                out,
                "\n(score, and mentions in parentheses; - = not mentioned)"
            )
        }
        Format::Json => {
            write_rounded(&mut *out, c, true)?;
            writeln!(out)
        }
        Format::Jsonl => {
            for a in &c.actors {
                let v = serde_json::json!({
                    "actor": a.actor,
                    "scores": c.articles.iter().zip(&a.scores).map(|(id, s)| (id.clone(), serde_json::json!(s))).collect::<serde_json::Map<_, _>>(),
                });
                write_rounded(&mut *out, &v, false)?;
                writeln!(out)?;
            }
            Ok(())
        }
        Format::Html => out.write_all(crate::output::html::comparison_page(c).as_bytes()),
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            let mut h = vec!["actor".to_string()];
            h.extend(c.articles.iter().cloned());
            w.write_record(&h).map_err(csv_io)?;
            for a in &c.actors {
                let mut rec = vec![a.actor.clone()];
                rec.extend(
                    a.scores
                        .iter()
                        .map(|s| s.map(|x| format!("{x:.4}")).unwrap_or_default()),
                );
                w.write_record(&rec).map_err(csv_io)?;
            }
            w.flush()
        }
    }
}
