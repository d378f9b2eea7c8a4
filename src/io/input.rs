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
    /// The article's text.
    pub text: String,
}

/// Largest article read by default (64 MB): a long report is a few hundred kilobytes;
/// anything much larger is a collection that should be split into articles.
pub const DEFAULT_MAX_ARTICLE_BYTES: usize = 64 << 20;

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
    /// exhaust memory.
    pub fn for_each_limited(
        &self,
        format: InputFormat,
        max_bytes: usize,
        each: &mut dyn FnMut(Document) -> Result<()>,
    ) -> Result<()> {
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
                each(doc)?;
            }
            Ok(())
        } else {
            // Sized from the file's length when known: growing by doubling would hold up
            // to three times a large article's size at once.
            let hint = match self {
                Source::Path(p) => std::fs::metadata(p).map_or(0, |m| m.len()),
                Source::Stdin => 0,
            };
            let mut bytes = Vec::with_capacity(hint.min(limit) as usize);
            r.take(limit)
                .read_to_end(&mut bytes)
                .map_err(|e| Error::io(name.clone(), e))?;
            if bytes.len() > max_bytes {
                return Err(too_large("this plain-text article".into()));
            }
            let text = decode(bytes, &name)?;
            let id = match self {
                Source::Stdin => "-".to_string(),
                Source::Path(p) => file_id(p),
            };
            each(Document { id, text })
        }
    }
}

fn file_id(p: &Path) -> String {
    p.display().to_string()
}

fn decode(bytes: Vec<u8>, name: &str) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
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
