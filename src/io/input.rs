//! Articles to classify: text files, directories of them, standard input, or JSON Lines
//! of `{"id": ..., "text": ...}`.

use crate::error::{Error, Result};
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

/// How to read a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// JSON Lines when the file name ends in `.jsonl` or the first non-blank character
    /// is `{`; plain text otherwise.
    Auto,
    /// The whole source is one article.
    Text,
    /// One `{"id","text"}` object per line.
    Jsonl,
}

/// One article.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The article's id: its file name without extension, or its JSON Lines `id`.
    pub id: String,
    /// The article's text (of this section, for an article read in sections).
    pub text: String,
    /// For an article longer than the section size, read and reported in sections
    /// (see [`Source::for_each_sectioned`]): which section this is, from 1; its `id` is
    /// then the article's id followed by ` (section N)`. `None` for a whole article.
    pub section: Option<usize>,
}

/// Largest article read by default (64 MB): a long report is a few hundred kilobytes;
/// anything much larger is a collection that should be split into articles.
pub const DEFAULT_MAX_ARTICLE_BYTES: usize = 64 << 20;

/// Longest stretch of an article scored and reported at once by default (512 KB): a
/// longer article (a book, a transcript, a table without sentence punctuation) is read
/// and reported in consecutive sections of at most this size, so memory stays bounded
/// whatever one article's size. News articles, long reports included, are far shorter.
pub const DEFAULT_SECTION_BYTES: usize = 512 << 10;

/// A place to read from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// Standard input (`-`).
    Stdin,
    /// A file, or a directory of article files.
    Path(PathBuf),
}

/// Expand sources: `-` is standard input; a directory yields its `.txt`, `.text` and
/// `.jsonl` files (not hidden, not recursive), sorted by name.
pub fn expand(args: &[String]) -> Result<Vec<Source>> {
    let mut out = Vec::new();
    for a in args {
        if a == "-" {
            out.push(Source::Stdin);
            continue;
        }
        let p = PathBuf::from(a);
        let meta = std::fs::metadata(&p).map_err(|e| Error::io(a.clone(), e))?;
        if meta.is_dir() {
            let mut files: Vec<PathBuf> = Vec::new();
            for entry in std::fs::read_dir(&p).map_err(|e| Error::io(a.clone(), e))? {
                let f = entry.map_err(|e| Error::io(a.clone(), e))?.path();
                let wanted = !f
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                    && f.extension()
                        .is_some_and(|x| matches!(x.to_str(), Some("txt" | "text" | "jsonl")));
                if !wanted {
                    continue;
                }
                // An article file that cannot be read as one is an error, not skipped:
                // a dangling symbolic link, a FIFO (reading it could block forever), a
                // socket or device. Subdirectories are not read (not recursive).
                match std::fs::metadata(&f) {
                    Ok(m) if m.is_file() => files.push(f),
                    Ok(m) if m.is_dir() => {}
                    Ok(_) => {
                        return Err(Error::io(
                            f.display().to_string(),
                            std::io::Error::new(
                                std::io::ErrorKind::InvalidInput,
                                "not a regular file (a FIFO, socket or device) in an article \
                                 directory; remove it or give the files one by one",
                            ),
                        ))
                    }
                    Err(e) => {
                        let what = if std::fs::symlink_metadata(&f).is_ok() {
                            format!("a symbolic link to a missing file ({e})")
                        } else {
                            e.to_string()
                        };
                        return Err(Error::io(
                            f.display().to_string(),
                            std::io::Error::new(e.kind(), what),
                        ));
                    }
                }
            }
            files.sort();
            if files.is_empty() {
                return Err(Error::io(
                    a.clone(),
                    std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "directory has no .txt, .text or .jsonl files",
                    ),
                ));
            }
            out.extend(files.into_iter().map(Source::Path));
        } else {
            out.push(Source::Path(p));
        }
    }
    Ok(out)
}

impl Source {
    /// Name used in ids and errors.
    pub fn name(&self) -> String {
        match self {
            Source::Stdin => "-".into(),
            Source::Path(p) => p.display().to_string(),
        }
    }

    fn open(&self) -> Result<Box<dyn BufRead>> {
        Ok(match self {
            Source::Stdin => Box::new(std::io::BufReader::new(std::io::stdin())),
            Source::Path(p) => Box::new(std::io::BufReader::new(
                std::fs::File::open(p).map_err(|e| Error::io(self.name(), e))?,
            )),
        })
    }

    /// Read the source's documents, calling `each` for every document in order, so that
    /// JSON Lines input is streamed one line at a time. An article (a plain-text source,
    /// or one JSON Lines record) over [`DEFAULT_MAX_ARTICLE_BYTES`] is an error.
    pub fn for_each(
        &self,
        format: InputFormat,
        each: &mut dyn FnMut(Document) -> Result<()>,
    ) -> Result<()> {
        self.for_each_limited(format, DEFAULT_MAX_ARTICLE_BYTES, each)
    }

    /// [`Source::for_each`] with articles of at most `max_bytes`: a larger one is an error
    /// naming the source (and line) before it is read whole, so that a huge file cannot
    /// exhaust memory. Every article is read whole (see [`Source::for_each_sectioned`]).
    pub fn for_each_limited(
        &self,
        format: InputFormat,
        max_bytes: usize,
        each: &mut dyn FnMut(Document) -> Result<()>,
    ) -> Result<()> {
        self.for_each_sectioned(format, max_bytes, usize::MAX, each)
    }

    /// [`Source::for_each_limited`], with an article longer than `section_bytes` passed
    /// on in consecutive sections of at most `section_bytes` (see [`Document::section`]),
    /// cut at the last paragraph break in the second half of the bound, else the last
    /// line break, sentence end (`.`, `!` or `?` and a space) or space, else between two
    /// characters. A plain-text source is read a section at a time, so memory stays
    /// bounded by the section size, not the article's; a JSON Lines record is read whole
    /// (up to `max_bytes`) and then cut. A plain-text file over `max_bytes` is refused
    /// before any of it is passed on; on standard input, the sections before the limit
    /// are passed on first.
    pub fn for_each_sectioned(
        &self,
        format: InputFormat,
        max_bytes: usize,
        section_bytes: usize,
        each: &mut dyn FnMut(Document) -> Result<()>,
    ) -> Result<()> {
        let section_bytes = section_bytes.max(MIN_SECTION_BYTES);
        let name = self.name();
        let too_large = |what: String| Error::ArticleTooLarge {
            input: name.clone(),
            what,
            limit_mb: max_bytes >> 20,
        };
        // One byte more than the limit is read, to tell a larger article; with a limit
        // of u64::MAX bytes or more ("unlimited"), the sum saturates instead of wrapping.
        let limit = (max_bytes as u64).saturating_add(1);
        let mut r = self.open()?;
        let is_jsonl = match format {
            InputFormat::Jsonl => true,
            InputFormat::Text => false,
            InputFormat::Auto => {
                name.ends_with(".jsonl") || {
                    let buf = r.fill_buf().map_err(|e| Error::io(name.clone(), e))?;
                    buf.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
                }
            }
        };
        if is_jsonl {
            let mut line = Vec::new();
            let mut n = 0u64;
            // The line of each id, to refuse a repeated one: the reports of two articles
            // with one id could not be told apart.
            let mut ids: std::collections::HashMap<String, u64> = Default::default();
            loop {
                line.clear();
                let got = (&mut r)
                    .take(limit)
                    .read_until(b'\n', &mut line)
                    .map_err(|e| Error::io(name.clone(), e))?;
                if got == 0 {
                    break;
                }
                n += 1;
                if line.len() > max_bytes {
                    return Err(too_large(format!("line {n}")));
                }
                // A blank line is an empty document, so output stays line for line.
                let doc = if line.iter().all(u8::is_ascii_whitespace) {
                    Document {
                        id: format!("{name}:{n}"),
                        text: String::new(),
                        section: None,
                    }
                } else {
                    parse_jsonl_line(&line, &name, n)?
                };
                if let Some(first) = ids.insert(doc.id.clone(), n) {
                    return Err(Error::InvalidRow {
                        file: name.clone(),
                        line: n,
                        reason: format!(
                            "id {:?} was already used on line {first}: give each article its own id",
                            doc.id
                        ),
                    });
                }
                if doc.text.len() <= section_bytes {
                    each(doc)?;
                    continue;
                }
                let mut rest = doc.text.as_str();
                let mut k = 0;
                while !rest.is_empty() {
                    let cut = if rest.len() > section_bytes {
                        section_end(rest.as_bytes(), section_bytes)
                    } else {
                        rest.len()
                    };
                    k += 1;
                    each(Document {
                        id: section_id(&doc.id, k),
                        text: rest[..cut].to_string(),
                        section: Some(k),
                    })?;
                    rest = &rest[cut..];
                }
            }
            Ok(())
        } else {
            let id = match self {
                Source::Stdin => "-".to_string(),
                Source::Path(p) => file_id(p),
            };
            let hint = match self {
                Source::Path(p) => std::fs::metadata(p).map_or(0, |m| m.len()),
                Source::Stdin => 0,
            };
            if hint > max_bytes as u64 {
                return Err(too_large("this plain-text article".into()));
            }
            // Sized from the file's length when known (at most a section and one byte):
            // growing by doubling would hold up to three times a large article's size.
            let want = section_bytes.saturating_add(1);
            let mut pending = Vec::with_capacity(hint.min(want as u64).min(limit) as usize);
            let mut r = r.take(limit);
            // Bytes and lines of the sections already passed on, for error positions.
            let (mut done_bytes, mut done_lines) = (0usize, 0usize);
            let mut k = 0;
            loop {
                let missing = want.saturating_sub(pending.len()) as u64;
                (&mut r)
                    .take(missing)
                    .read_to_end(&mut pending)
                    .map_err(|e| Error::io(name.clone(), e))?;
                if done_bytes.saturating_add(pending.len()) > max_bytes {
                    return Err(too_large("this plain-text article".into()));
                }
                if pending.len() <= section_bytes {
                    // The end of the input: the whole article, or its last section.
                    let text = decode(pending, &name, done_bytes, done_lines)?;
                    return if k == 0 {
                        each(Document {
                            id,
                            text,
                            section: None,
                        })
                    } else {
                        each(Document {
                            id: section_id(&id, k + 1),
                            text,
                            section: Some(k + 1),
                        })
                    };
                }
                let cut = section_end(&pending, section_bytes);
                let rest = pending.split_off(cut);
                let piece = std::mem::replace(&mut pending, rest);
                let lines = piece.iter().filter(|&&b| b == b'\n').count();
                let text = decode(piece, &name, done_bytes, done_lines)?;
                done_bytes += cut;
                done_lines += lines;
                k += 1;
                each(Document {
                    id: section_id(&id, k),
                    text,
                    section: Some(k),
                })?;
            }
        }
    }
}

/// Smallest section size: room for a few sentences, and for a cut in the second half
/// of the bound whatever the characters.
const MIN_SECTION_BYTES: usize = 1 << 10;

/// The id of section `k` of the article `id`.
fn section_id(id: &str, k: usize) -> String {
    format!("{id} (section {k})")
}

/// Where to end a section of `bytes` (longer than `max`): a byte offset in `1..=max`
/// at the start of a UTF-8 character (when the bytes are UTF-8) after the last
/// paragraph break in the second half of the bound, else the last line break, sentence
/// end (`.`, `!` or `?` followed by a space) or space, else the last character start
/// at or before `max`. One backward pass over at most `max / 2` bytes per rule.
fn section_end(bytes: &[u8], max: usize) -> usize {
    debug_assert!(bytes.len() > max && max >= 8);
    let lo = max / 2;
    let window = &bytes[lo..max];
    let after = |i: Option<usize>| i.map(|i| lo + i + 1);
    let paragraph = window
        .windows(2)
        .rposition(|w| w == b"\n\n")
        .map(|i| i + 1);
    let line = || window.iter().rposition(|&b| b == b'\n');
    let sentence = || {
        window
            .windows(2)
            .rposition(|w| matches!(w[0], b'.' | b'!' | b'?') && w[1].is_ascii_whitespace())
            .map(|i| i + 1)
    };
    let space = || window.iter().rposition(|b| b.is_ascii_whitespace());
    if let Some(cut) = after(paragraph.or_else(line).or_else(sentence).or_else(space)) {
        return cut;
    }
    // No whitespace in the window: cut before the character that crosses the bound.
    (lo + 1..=max)
        .rev()
        .find(|&i| bytes[i] & 0xC0 != 0x80)
        .unwrap_or(max)
}

fn file_id(p: &Path) -> String {
    p.display().to_string()
}

/// `bytes` as UTF-8, or an error naming the line and byte offset of the first invalid
/// byte; `bytes` follow `done_bytes` bytes holding `done_lines` line breaks in the file.
fn decode(bytes: Vec<u8>, name: &str, done_bytes: usize, done_lines: usize) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = done_lines + e.as_bytes()[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
        let at = done_bytes + valid;
        Error::io(
            name.to_string(),
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "line {line}: not valid UTF-8 (byte offset {at}); convert the file to UTF-8"
                ),
            ),
        )
    })
}

/// Parse one JSON Lines record.
pub fn parse_jsonl_line(line: &[u8], name: &str, n: u64) -> Result<Document> {
    let bad = |reason: String| Error::InvalidRow {
        file: name.to_string(),
        line: n,
        reason,
    };
    let s = std::str::from_utf8(line).map_err(|_| bad("not valid UTF-8".into()))?;
    let v: serde_json::Value =
        serde_json::from_str(s.trim()).map_err(|e| bad(format!("not a JSON object: {e}")))?;
    if !v.is_object() {
        return Err(bad("not a JSON object".into()));
    }
    // A repeated key (two "text" fields) would keep one silently: refuse it.
    if let Err(e) = serde_json::from_str::<UniqueKeys>(s.trim()) {
        return Err(bad(format!("{e}")));
    }
    let text = v
        .get("text")
        .and_then(|t| t.as_str())
        .ok_or_else(|| bad("missing string field \"text\"".into()))?;
    let id = match v.get("id") {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(x)) => x.to_string(),
        None | Some(serde_json::Value::Null) => format!("{name}:{n}"),
        Some(_) => return Err(bad("field \"id\" must be a string or a number".into())),
    };
    Ok(Document {
        id,
        text: text.to_string(),
        section: None,
    })
}

/// A JSON object whose keys (at the top level) are all different; deserializing checks
/// it.
struct UniqueKeys;

impl<'de> serde::Deserialize<'de> for UniqueKeys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = UniqueKeys;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<UniqueKeys, A::Error> {
                let mut seen = std::collections::HashSet::new();
                while let Some(k) = map.next_key::<String>()? {
                    if !seen.insert(k.clone()) {
                        return Err(serde::de::Error::custom(format!(
                            "the key {k:?} appears twice"
                        )));
                    }
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
                Ok(UniqueKeys)
            }
        }
        d.deserialize_map(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every document `source` yields with sections of `section` bytes.
    fn read(path: &Path, format: InputFormat, section: usize) -> Result<Vec<Document>> {
        let mut docs = Vec::new();
        Source::Path(path.to_path_buf()).for_each_sectioned(
            format,
            DEFAULT_MAX_ARTICLE_BYTES,
            section,
            &mut |d| {
                docs.push(d);
                Ok(())
            },
        )?;
        Ok(docs)
    }

    fn write(text: &[u8]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn sections_end_at_paragraphs_then_lines_sentences_spaces_characters() {
        let max = 64;
        let cut = |t: &str| {
            let t = format!("{t}{}", "z".repeat(80));
            let c = section_end(t.as_bytes(), max);
            t[..c].to_string()
        };
        let head = "a".repeat(40);
        // The last paragraph break in the second half of the bound wins over later
        // line breaks and spaces.
        assert_eq!(cut(&format!("{head}\n\nb c\nd e f")), format!("{head}\n\n"));
        assert_eq!(cut(&format!("{head} b\nc d. e f g")), format!("{head} b\n"));
        // (an abbreviation's period counts: the cut only has to fall between words)
        assert_eq!(cut(&format!("{head} Mr. b c")), format!("{head} Mr. "));
        assert_eq!(cut(&format!("{head} b! cc")), format!("{head} b! "));
        // No whitespace: before the character that crosses the bound.
        let t = format!("{}{}", "a".repeat(63), "é".repeat(10));
        assert_eq!(section_end(t.as_bytes(), max), 63);
        // A break in the first half does not count: a section is never tiny.
        let t = format!("a\n\n{}", "b".repeat(100));
        assert_eq!(section_end(t.as_bytes(), max), max);
    }

    #[test]
    fn a_long_text_is_read_in_sections_that_add_up_to_it() {
        let para = "Iran praised Oman. The United States said nothing at all today.\n\n";
        let text = format!("{}Ünïcode {}", para.repeat(200), "word ".repeat(3000));
        let (_d, path) = write(text.as_bytes());
        let docs = read(&path, InputFormat::Text, 2048).unwrap();
        assert!(docs.len() > 10, "{}", docs.len());
        let name = path.display().to_string();
        let mut joined = String::new();
        for (i, d) in docs.iter().enumerate() {
            assert!(d.text.len() <= 2048, "{}", d.text.len());
            assert!(d.text.len() > 1024, "{}", d.text.len());
            assert_eq!(d.section, Some(i + 1));
            assert_eq!(d.id, format!("{name} (section {})", i + 1));
            joined.push_str(&d.text);
        }
        assert_eq!(joined, text);
        // The paragraphs end sections while there are paragraphs.
        assert!(docs[0].text.ends_with("\n\n"));
        // Read whole: one document, the article's own id.
        let whole = read(&path, InputFormat::Text, usize::MAX).unwrap();
        assert_eq!(whole.len(), 1);
        assert_eq!((whole[0].id.as_str(), whole[0].section), (name.as_str(), None));
        assert_eq!(whole[0].text, text);
        // Not longer than a section: as whole.
        assert_eq!(read(&path, InputFormat::Text, text.len()).unwrap(), whole);
    }

    #[test]
    fn a_long_json_lines_record_is_cut_in_sections_and_short_ones_are_not() {
        let long = "Iran praised Oman today. ".repeat(400);
        let jsonl = format!(
            "{}\n{}\n",
            serde_json::json!({"id": "a", "text": "short"}),
            serde_json::json!({"id": "b", "text": long})
        );
        let (_d, path) = write(jsonl.as_bytes());
        let docs = read(&path, InputFormat::Jsonl, 4096).unwrap();
        assert_eq!((docs[0].id.as_str(), docs[0].section), ("a", None));
        assert_eq!(docs[1].id, "b (section 1)");
        assert_eq!(docs.last().unwrap().id, format!("b (section {})", docs.len() - 1));
        let joined: String = docs[1..].iter().map(|d| d.text.as_str()).collect();
        assert_eq!(joined, long);
        assert!(docs[1..].iter().all(|d| d.text.len() <= 4096 && d.text.ends_with(". ")));
    }

    #[test]
    fn invalid_utf8_in_a_later_section_names_its_line_in_the_file() {
        let mut bytes = "line of text\n".repeat(400).into_bytes();
        bytes.extend_from_slice(b"bad \xff byte\n");
        let (_d, path) = write(&bytes);
        let e = read(&path, InputFormat::Text, 1024).unwrap_err().to_string();
        assert!(e.contains("line 401"), "{e}");
        assert!(e.contains(&format!("byte offset {}", 400 * 13 + 4)), "{e}");
    }

    #[test]
    fn a_file_over_the_article_limit_is_refused_before_any_section() {
        let (_d, path) = write("word ".repeat(1000).as_bytes());
        let mut got = 0;
        let e = Source::Path(path)
            .for_each_sectioned(InputFormat::Text, 4000, 1024, &mut |_| {
                got += 1;
                Ok(())
            })
            .unwrap_err();
        assert!(matches!(e, Error::ArticleTooLarge { .. }), "{e}");
        assert_eq!(got, 0);
    }
}
