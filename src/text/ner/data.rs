//! Reading labeled sentences (the GMB extract's CSV) and turning spans into token tags.

use super::tokens::{tokenize, Token};
use super::{EntityKind, EntitySpan, NerError, NerSentence, TagScheme};
use std::io::Read;

/// Reads `id,text,entities` CSV: `entities` is a JSON list of `[start, end, TYPE]`
/// (character offsets into `text`, end exclusive; TYPE one of PERSON, ORG, GPE_OR_LOC,
/// OTHER). Columns are found by name and may come in any order; the `id` column is not
/// needed. `file_name` only names the input in errors.
///
/// Every span must lie inside the text, have `start < end`, not cut a word in two (a
/// letter or digit on both sides of either offset) and not overlap another span.
pub fn read_gmb_csv<R: Read>(reader: R, file_name: &str) -> Result<Vec<NerSentence>, NerError> {
    let file = || file_name.to_string();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(reader);
    let headers = rdr
        .headers()
        .map_err(|e| NerError::Csv {
            file: file(),
            line: 1,
            message: e.to_string(),
        })?
        .clone();
    let col = |name: &str| -> Result<usize, NerError> {
        headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| NerError::MissingColumn {
                file: file(),
                column: name.to_string(),
            })
    };
    let (text_col, ent_col) = (col("text")?, col("entities")?);
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line_before = rdr.position().line();
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(line_before);
                return Err(NerError::Csv {
                    file: file(),
                    line,
                    message: e.to_string(),
                });
            }
        }
        let line = record.position().map(|p| p.line()).unwrap_or(line_before);
        let text = record.get(text_col).unwrap_or_default().to_string();
        let raw = record.get(ent_col).unwrap_or_default();
        let entities =
            parse_entities(&text, raw).map_err(|problem| problem.into_error(file_name, line))?;
        out.push(NerSentence { text, entities });
    }
    Ok(out)
}

/// A problem with one row's spans, before the file and line are known.
#[derive(Debug)]
pub(crate) enum SpanProblem {
    Json(String),
    UnknownType(String),
    OutOfRange {
        start: usize,
        end: usize,
        len: usize,
    },
    Reversed {
        start: usize,
        end: usize,
    },
    SplitsWord {
        offset: usize,
    },
    Overlap {
        first: (usize, usize),
        second: (usize, usize),
    },
}

impl SpanProblem {
    pub(crate) fn into_error(self, file: &str, line: u64) -> NerError {
        let file = file.to_string();
        match self {
            SpanProblem::Json(message) => NerError::EntitiesJson {
                file,
                line,
                message,
            },
            SpanProblem::UnknownType(kind) => NerError::UnknownType { file, line, kind },
            SpanProblem::OutOfRange { start, end, len } => NerError::OffsetOutOfRange {
                file,
                line,
                start,
                end,
                len,
            },
            SpanProblem::Reversed { start, end } => NerError::EmptyOrReversedSpan {
                file,
                line,
                start,
                end,
            },
            SpanProblem::SplitsWord { offset } => NerError::SplitsWord { file, line, offset },
            SpanProblem::Overlap { first, second } => NerError::OverlappingSpans {
                file,
                line,
                first,
                second,
            },
        }
    }
}

/// Parses and checks one row's entities JSON against its text.
pub(crate) fn parse_entities(text: &str, raw: &str) -> Result<Vec<EntitySpan>, SpanProblem> {
    let triples: Vec<(i64, i64, String)> = if raw.trim().is_empty() {
        Vec::new()
    } else {
        serde_json::from_str(raw).map_err(|e| SpanProblem::Json(e.to_string()))?
    };
    let chars: Vec<char> = text.chars().collect();
    let len = chars.len();
    let mut spans = Vec::with_capacity(triples.len());
    for (s, e, kind) in triples {
        let kind = EntityKind::parse(&kind).ok_or(SpanProblem::UnknownType(kind))?;
        if s < 0 || e < 0 || s as usize > len || e as usize > len {
            return Err(SpanProblem::OutOfRange {
                start: s.max(0) as usize,
                end: e.max(0) as usize,
                len,
            });
        }
        let (start, end) = (s as usize, e as usize);
        if start >= end {
            return Err(SpanProblem::Reversed { start, end });
        }
        for offset in [start, end] {
            if offset > 0
                && offset < len
                && chars[offset - 1].is_alphanumeric()
                && chars[offset].is_alphanumeric()
            {
                return Err(SpanProblem::SplitsWord { offset });
            }
        }
        spans.push(EntitySpan { start, end, kind });
    }
    spans.sort_by_key(|s| (s.start, s.end));
    for w in spans.windows(2) {
        if w[1].start < w[0].end {
            return Err(SpanProblem::Overlap {
                first: (w[0].start, w[0].end),
                second: (w[1].start, w[1].end),
            });
        }
    }
    Ok(spans)
}

/// Tokens of a labeled sentence, split further wherever a span boundary falls inside a
/// token (between a letter or digit and punctuation, as in "Inc|." at a sentence end), and
/// their gold tag ids under `scheme`. A span that covers no token is dropped.
pub fn tokens_and_tags(sentence: &NerSentence, scheme: TagScheme) -> (Vec<Token>, Vec<u8>) {
    let text = &sentence.text;
    let mut tokens = tokenize(text);
    if !sentence.entities.is_empty() {
        let mut cuts: Vec<usize> = sentence
            .entities
            .iter()
            .flat_map(|s| [s.start, s.end])
            .collect();
        cuts.sort_unstable();
        cuts.dedup();
        if tokens
            .iter()
            .any(|t| cuts.iter().any(|&c| c > t.start && c < t.end))
        {
            let byte_of: Vec<usize> = text
                .char_indices()
                .map(|(b, _)| b)
                .chain([text.len()])
                .collect();
            let mut refined = Vec::with_capacity(tokens.len() + 2);
            for t in tokens {
                let mut a = t.start;
                for &c in cuts.iter().filter(|&&c| c > t.start && c < t.end) {
                    refined.push(Token {
                        start: a,
                        end: c,
                        byte_start: byte_of[a],
                        byte_end: byte_of[c],
                    });
                    a = c;
                }
                refined.push(Token {
                    start: a,
                    end: t.end,
                    byte_start: byte_of[a],
                    byte_end: t.byte_end,
                });
            }
            tokens = refined;
        }
    }
    let mut tags = vec![0u8; tokens.len()];
    let mut k = 0;
    for span in &sentence.entities {
        while k < tokens.len() && tokens[k].start < span.start {
            k += 1;
        }
        let first = k;
        while k < tokens.len() && tokens[k].end <= span.end {
            k += 1;
        }
        if k > first {
            scheme.write_span(&mut tags[first..k], span.kind);
        }
    }
    (tokens, tags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(csv: &str) -> Result<Vec<NerSentence>, NerError> {
        read_gmb_csv(csv.as_bytes(), "t.csv")
    }

    #[test]
    fn reads_rows() {
        let s = read(
            "id,text,entities\n1,President Bush visited Iraq.,\"[[0,14,\"\"PERSON\"\"],[23,27,\"\"GPE_OR_LOC\"\"]]\"\n2,Nothing here.,[]\n",
        )
        .unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(
            s[0].entities[0],
            EntitySpan {
                start: 0,
                end: 14,
                kind: EntityKind::Person
            }
        );
        assert_eq!(s[0].entities[1].kind, EntityKind::GpeOrLoc);
        assert!(s[1].entities.is_empty());
    }

    fn err(csv: &str) -> NerError {
        read(csv).unwrap_err()
    }

    #[test]
    fn missing_column() {
        let e = err("id,text\n1,Hello\n");
        assert!(
            matches!(&e, NerError::MissingColumn { column, .. } if column == "entities"),
            "{e}"
        );
        assert!(e.to_string().contains("t.csv"));
    }

    #[test]
    fn malformed_json() {
        let e = err("id,text,entities\n1,Hi there,\"[[0,2\"\n");
        assert!(matches!(e, NerError::EntitiesJson { line: 2, .. }), "{e}");
        assert!(
            e.to_string().contains("t.csv") && e.to_string().contains("line 2"),
            "{e}"
        );
    }

    #[test]
    fn unknown_type() {
        let e = err("id,text,entities\n1,Hi Bob,\"[[3,6,\"\"PER\"\"]]\"\n");
        assert!(
            matches!(&e, NerError::UnknownType { kind, line: 2, .. } if kind == "PER"),
            "{e}"
        );
    }

    #[test]
    fn out_of_range() {
        let e = err("id,text,entities\n1,Hi Bob,\"[[3,9,\"\"PERSON\"\"]]\"\n");
        assert!(
            matches!(
                e,
                NerError::OffsetOutOfRange {
                    start: 3,
                    end: 9,
                    len: 6,
                    ..
                }
            ),
            "{e}"
        );
        let e = err("id,text,entities\n1,Hi Bob,\"[[-1,2,\"\"PERSON\"\"]]\"\n");
        assert!(matches!(e, NerError::OffsetOutOfRange { .. }), "{e}");
    }

    #[test]
    fn reversed_or_empty() {
        let e = err("id,text,entities\n1,Hi Bob,\"[[6,3,\"\"PERSON\"\"]]\"\n");
        assert!(
            matches!(
                e,
                NerError::EmptyOrReversedSpan {
                    start: 6,
                    end: 3,
                    ..
                }
            ),
            "{e}"
        );
        let e = err("id,text,entities\n1,Hi Bob,\"[[3,3,\"\"PERSON\"\"]]\"\n");
        assert!(matches!(e, NerError::EmptyOrReversedSpan { .. }), "{e}");
    }

    #[test]
    fn splits_a_word() {
        let e = err("id,text,entities\n1,Hi Bobby,\"[[3,6,\"\"PERSON\"\"]]\"\n");
        assert!(
            matches!(
                e,
                NerError::SplitsWord {
                    offset: 6,
                    line: 2,
                    ..
                }
            ),
            "{e}"
        );
    }

    #[test]
    fn overlapping() {
        let e = err(
            "id,text,entities\n1,Hi Bob Smith,\"[[3,12,\"\"PERSON\"\"],[7,12,\"\"PERSON\"\"]]\"\n",
        );
        assert!(matches!(e, NerError::OverlappingSpans { .. }), "{e}");
    }

    #[test]
    fn bad_csv_row() {
        let e = err("id,text,entities\n1,Hi,[],extra\n");
        assert!(matches!(e, NerError::Csv { line: 2, .. }), "{e}");
    }

    #[test]
    fn tags_with_refined_tokens() {
        let s = NerSentence {
            text: "He joined Acme Inc.".into(),
            entities: vec![EntitySpan {
                start: 10,
                end: 18,
                kind: EntityKind::Org,
            }],
        };
        let (toks, tags) = tokens_and_tags(&s, TagScheme::Bio);
        let words: Vec<&str> = toks.iter().map(|t| t.text(&s.text)).collect();
        assert_eq!(words, vec!["He", "joined", "Acme", "Inc", "."]);
        let names: Vec<String> = tags.iter().map(|&t| TagScheme::Bio.tag_name(t)).collect();
        assert_eq!(names, vec!["O", "O", "B-ORG", "I-ORG", "O"]);
        let (_, tags) = tokens_and_tags(&s, TagScheme::Bilou);
        let names: Vec<String> = tags.iter().map(|&t| TagScheme::Bilou.tag_name(t)).collect();
        assert_eq!(names, vec!["O", "O", "B-ORG", "L-ORG", "O"]);
    }
}
