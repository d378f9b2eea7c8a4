//! Printers for article reports: a readable table, JSON, JSON Lines and CSV, each over one
//! `Write`. Numbers are printed with fixed precision so outputs can be compared.

use crate::analyze::ArticleReport;
use serde::Serialize;
use std::io::{self, Write};

/// Output format of `stance-classify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Jsonl,
    Csv,
}

/// Something that prints article reports one after another.
pub trait Printer {
    fn article(&mut self, r: &ArticleReport) -> io::Result<()>;
    fn finish(&mut self) -> io::Result<()>;
}

/// Make the printer for a format.
pub fn printer<'w>(
    format: Format,
    out: Box<dyn Write + 'w>,
    sentences: bool,
) -> Box<dyn Printer + 'w> {
    match format {
        Format::Table => Box::new(TablePrinter {
            out,
            sentences,
            first: true,
        }),
        Format::Json => Box::new(JsonPrinter { out, pretty: true }),
        Format::Jsonl => Box::new(JsonPrinter { out, pretty: false }),
        Format::Csv => Box::new(CsvPrinter {
            out: csv::Writer::from_writer(out),
            sentences,
            header: false,
        }),
    }
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
        if r.actors.is_empty() {
            writeln!(o, "(no known actor is mentioned)")?;
        } else {
            let labels: Vec<&String> = r.actors[0].probabilities.keys().collect();
            let w = r
                .actors
                .iter()
                .map(|a| a.actor.chars().count())
                .max()
                .unwrap_or(5)
                .max(5);
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
        if self.sentences {
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
                }
            }
        }
        Ok(())
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// JSON (pretty, one document per article) or JSON Lines (one line per article).
pub struct JsonPrinter<W: Write> {
    out: W,
    pretty: bool,
}

/// Round floats to 4 decimals for stable output.
fn rounded<T: Serialize>(v: &T) -> serde_json::Value {
    fn walk(v: serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match v {
            Value::Number(n) if n.is_f64() => {
                let x = (n.as_f64().unwrap() * 10000.0).round() / 10000.0;
                serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
            }
            Value::Array(a) => Value::Array(a.into_iter().map(walk).collect()),
            Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, walk(v))).collect()),
            v => v,
        }
    }
    walk(serde_json::to_value(v).expect("reports serialize"))
}

impl<W: Write> Printer for JsonPrinter<W> {
    fn article(&mut self, r: &ArticleReport) -> io::Result<()> {
        let v = rounded(r);
        if self.pretty {
            serde_json::to_writer_pretty(&mut self.out, &v)?;
        } else {
            serde_json::to_writer(&mut self.out, &v)?;
        }
        writeln!(self.out)
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
}

impl<W: Write> Printer for CsvPrinter<W> {
    fn article(&mut self, r: &ArticleReport) -> io::Result<()> {
        let labels: Vec<String> = r
            .actors
            .first()
            .map(|a| a.probabilities.keys().cloned().collect())
            .unwrap_or_default();
        let f = |x: f32| format!("{x:.4}");
        if !self.header && !labels.is_empty() {
            let mut h: Vec<String> = if self.sentences {
                [
                    "id", "sentence", "start", "end", "bias", "actor", "mentions", "label", "score",
                ]
            } else {
                [
                    "id",
                    "actor",
                    "mentions",
                    "sentences",
                    "score",
                    "label",
                    "",
                    "",
                    "",
                ]
            }
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.to_string())
            .collect();
            h.extend(labels.iter().map(|l| format!("p_{l}")));
            if self.sentences {
                h.push("text".into());
            }
            self.out.write_record(&h)?;
            self.header = true;
        }
        if self.sentences {
            for s in &r.sentences {
                for a in &s.actors {
                    let mut rec = vec![
                        r.id.clone(),
                        s.index.to_string(),
                        s.start.to_string(),
                        s.end.to_string(),
                        s.bias.map(f).unwrap_or_default(),
                        a.actor.clone(),
                        a.mentions
                            .iter()
                            .map(|m| format!("{}-{}", m.start, m.end))
                            .collect::<Vec<_>>()
                            .join(" "),
                        a.label.clone(),
                        f(a.score),
                    ];
                    rec.extend(labels.iter().map(|l| f(a.probabilities[l])));
                    rec.push(s.text.clone());
                    self.out.write_record(&rec)?;
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
                self.out.write_record(&rec)?;
            }
        }
        Ok(())
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
