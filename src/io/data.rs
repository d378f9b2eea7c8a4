//! Labeled CSV input: the training and evaluation schema.
//!
//! Header required. Columns (names overridable): `text`, `target`, `stance`, optional
//! `mention_start`/`mention_end` (0-based character offsets, i.e. Unicode scalar values,
//! end exclusive), `bias`, `id`, `actor`, `loaded_words` (the words annotators marked as
//! loaded in a row with a bias label; see [`parse_marks`]). Other columns are ignored. A row may carry a
//! stance label, a bias label, or both. Every problem is reported with the file and the
//! line it starts on; with `skip_invalid` bad rows are skipped and listed instead.

use crate::error::{Error, Result};
pub use crate::io::label_check::{LabelCheck, LabelRule};
use std::io::Read;
use std::sync::Arc;

/// Column names to read; defaults are the shared schema's.
#[derive(Debug, Clone)]
pub struct Columns {
    /// Column of the sentence text (default `text`).
    pub text: String,
    /// Column of the target: a mention in the text or a topic (default `target`).
    pub target: String,
    /// Column of the stance label (default `stance`).
    pub stance: String,
    /// Column of the target mention's first character (default `mention_start`).
    pub mention_start: String,
    /// Column of the target mention's end character, exclusive (default `mention_end`).
    pub mention_end: String,
    /// Column of the bias label (default `bias`).
    pub bias: String,
    /// Column of the row's id (default `id`).
    pub id: String,
    /// Column of the target's canonical actor name (default `actor`).
    pub actor: String,
    /// Column of the words marked as loaded (default `loaded_words`).
    pub loaded_words: String,
    /// Column whose value keeps rows together in cross-validation folds (an article or
    /// outlet id). `None`: not read.
    pub group: Option<String>,
}

impl Default for Columns {
    fn default() -> Self {
        Columns {
            text: "text".into(),
            target: "target".into(),
            stance: "stance".into(),
            mention_start: "mention_start".into(),
            mention_end: "mention_end".into(),
            bias: "bias".into(),
            id: "id".into(),
            actor: "actor".into(),
            loaded_words: "loaded_words".into(),
            group: None,
        }
    }
}

impl Columns {
    /// Column names from `FIELD=NAME` overrides (`--column text=sentence,stance=label`;
    /// several specs, each possibly comma-separated); unnamed fields keep their default.
    pub fn from_specs(specs: &[String]) -> Result<Columns> {
        let mut c = Columns::default();
        for spec in specs.iter().flat_map(|s| s.split(',')) {
            let Some((k, v)) = spec.split_once('=') else {
                return Err(Error::InvalidColumnSpec {
                    spec: spec.to_string(),
                });
            };
            let slot = match k.trim() {
                "text" => &mut c.text,
                "target" => &mut c.target,
                "stance" => &mut c.stance,
                "mention_start" => &mut c.mention_start,
                "mention_end" => &mut c.mention_end,
                "bias" => &mut c.bias,
                "id" => &mut c.id,
                "actor" => &mut c.actor,
                "loaded_words" => &mut c.loaded_words,
                other => {
                    return Err(Error::UnknownColumnField {
                        field: other.to_string(),
                    })
                }
            };
            *slot = v.trim().to_string();
        }
        Ok(c)
    }
}

/// One labeled example.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Line of the file on which the record starts (1-based; the header is line 1).
    pub line: u64,
    /// The row's file, when rows of several files are pooled ([`Dataset::pool`]);
    /// `None` for the rows of one file read alone.
    pub file: Option<Arc<str>>,
    /// The row's id, when the data has an id column.
    pub id: Option<String>,
    /// The sentence.
    pub text: String,
    /// The target as written in the data (a mention or a topic); empty when absent.
    pub target: String,
    /// Character span of the target mention in `text`, when the data gives one.
    pub span: Option<(usize, usize)>,
    /// The stance label, when the row has one.
    pub stance: Option<String>,
    /// The bias label, when the row has one.
    pub bias: Option<String>,
    /// Canonical actor name for the target, when the data has an `actor` column.
    pub actor: Option<String>,
    /// Words or phrases an annotator marked as loaded in the text (rows with a bias
    /// label and a `loaded_words` column; an empty list: none is loaded). `None`: not
    /// annotated.
    pub loaded_words: Option<Vec<String>>,
    /// The row's value of the `Columns::group` column, when one is named.
    pub group: Option<String>,
}

/// A row that was skipped under `skip_invalid`.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    /// Line of the file on which the skipped record starts.
    pub line: u64,
    /// Why it was skipped.
    pub reason: String,
}

/// Labeled rows read from one CSV file: what a model is trained or evaluated on.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// The file's name as given (used in messages and stored in a model's provenance).
    pub name: String,
    /// xxh3-64 of the file's bytes, 16 hex digits.
    pub fingerprint: String,
    /// The valid rows, in file order.
    pub rows: Vec<Row>,
    /// Rows skipped as invalid (only when reading with `skip_invalid`).
    pub skipped: Vec<Skipped>,
}

impl Dataset {
    /// Read a labeled CSV with the default column names, refusing invalid rows. `name`
    /// is used in error messages.
    pub fn from_csv<R: Read>(reader: R, name: &str) -> Result<Dataset> {
        read_csv(reader, name, &Columns::default(), false)
    }

    /// The rows of several files as one data set, in order. One file is returned as it
    /// is; with more, each row names its file, the name is the files' names joined by
    /// ` + ` and the fingerprint their fingerprints joined the same way. Skipped rows are
    /// dropped from the pool (their lines would be ambiguous): report them per file.
    pub fn pool(mut parts: Vec<Dataset>) -> Dataset {
        if parts.len() == 1 {
            return parts.pop().expect("one part");
        }
        let join = |f: fn(&Dataset) -> &str| parts.iter().map(f).collect::<Vec<_>>().join(" + ");
        let mut out = Dataset {
            name: join(|d| &d.name),
            fingerprint: join(|d| &d.fingerprint),
            rows: Vec::with_capacity(parts.iter().map(|d| d.rows.len()).sum()),
            skipped: Vec::new(),
        };
        for part in parts {
            let file: Arc<str> = Arc::from(part.name.as_str());
            out.rows.extend(part.rows.into_iter().map(|mut r| {
                r.file = Some(file.clone());
                r
            }));
        }
        out
    }
}

/// Where a row starts, for messages: `line N`, or `FILE: line N` for a row of pooled
/// files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowPlace {
    /// The row's file, when rows of several files are pooled.
    pub file: Option<Arc<str>>,
    /// The line on which the row starts.
    pub line: u64,
}

impl std::fmt::Display for RowPlace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.file {
            Some(file) => write!(f, "{file}: line {}", self.line),
            None => write!(f, "line {}", self.line),
        }
    }
}

impl Row {
    /// Where the row starts.
    pub fn place(&self) -> RowPlace {
        RowPlace {
            file: self.file.clone(),
            line: self.line,
        }
    }
}

/// A reader that feeds what it reads to a hasher.
pub(crate) struct Hashing<'h, R> {
    pub(crate) inner: R,
    pub(crate) hasher: Option<&'h mut xxhash_rust::xxh3::Xxh3>,
}

impl<R: Read> Read for Hashing<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(h) = self.hasher.as_deref_mut() {
            h.update(&buf[..n]);
        }
        Ok(n)
    }
}

struct Index {
    text: usize,
    target: Option<usize>,
    stance: Option<usize>,
    start: Option<usize>,
    end: Option<usize>,
    bias: Option<usize>,
    id: Option<usize>,
    actor: Option<usize>,
    loaded_words: Option<usize>,
    group: Option<usize>,
}

/// The header's column names (a byte-order mark dropped, names trimmed), or why there
/// is no header.
fn header_names<R: Read>(rdr: &mut csv::Reader<R>) -> std::result::Result<Vec<String>, String> {
    let header = rdr.byte_headers().map_err(|e| e.to_string())?.clone();
    if header.is_empty() || (header.len() == 1 && header[0].is_empty()) {
        return Err("empty file: expected a header row".into());
    }
    Ok(header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = if i == 0 {
                h.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(h)
            } else {
                h
            };
            String::from_utf8_lossy(h).trim().to_string()
        })
        .collect())
}

impl Index {
    /// Where each of `columns` is in the header `names` of `file`, or why the header
    /// cannot be used (a used column named twice, a required one missing).
    fn new(columns: &Columns, names: &[String], file: &str) -> Result<Index> {
        let invalid_csv = |reason: String| Error::InvalidCsv {
            file: file.to_string(),
            reason,
        };
        check_unique(columns, names).map_err(invalid_csv)?;
        let find = |c: &str| names.iter().position(|n| n == c);
        let idx = Index {
            text: find(&columns.text).ok_or_else(|| {
                invalid_csv(format!(
                    "missing required column {:?} (header has: {})",
                    columns.text,
                    quoted(names)
                ))
            })?,
            target: find(&columns.target),
            stance: find(&columns.stance),
            start: find(&columns.mention_start),
            end: find(&columns.mention_end),
            bias: find(&columns.bias),
            id: find(&columns.id),
            actor: find(&columns.actor),
            loaded_words: find(&columns.loaded_words),
            group: match &columns.group {
                None => None,
                Some(g) => Some(find(g).ok_or_else(|| Error::MissingGroupColumn {
                    file: file.to_string(),
                    column: g.clone(),
                    header: quoted(names),
                })?),
            },
        };
        if idx.stance.is_none() && idx.bias.is_none() {
            return Err(invalid_csv(format!(
                "no label column: need {:?} and/or {:?} (header has: {})",
                columns.stance,
                columns.bias,
                quoted(names)
            )));
        }
        if idx.stance.is_some() && idx.target.is_none() {
            return Err(invalid_csv(format!(
                "missing required column {:?} (needed with {:?})",
                columns.target, columns.stance
            )));
        }
        if idx.start.is_some() != idx.end.is_some() {
            return Err(invalid_csv(format!(
                "columns {:?} and {:?} must be given together",
                columns.mention_start, columns.mention_end
            )));
        }
        Ok(idx)
    }
}

/// A column the reader uses must be named once: with two `text` columns, which one is
/// the text?
fn check_unique(columns: &Columns, names: &[String]) -> std::result::Result<(), String> {
    let mut used: Vec<&str> = vec![
        &columns.text,
        &columns.target,
        &columns.stance,
        &columns.mention_start,
        &columns.mention_end,
        &columns.bias,
        &columns.id,
        &columns.actor,
        &columns.loaded_words,
    ];
    used.extend(columns.group.as_deref());
    for c in used {
        let at: Vec<usize> = (0..names.len()).filter(|&i| names[i] == c).collect();
        if at.len() > 1 {
            return Err(format!(
                "column {c:?} appears {} times in the header (columns {}): rename or \
                 remove all but one",
                at.len(),
                at.iter()
                    .map(|i| (i + 1).to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    Ok(())
}

/// Read a labeled CSV from any reader. `name` is used in error messages.
pub fn read_csv<R: Read>(
    reader: R,
    name: &str,
    columns: &Columns,
    skip_invalid: bool,
) -> Result<Dataset> {
    read_csv_checked(reader, name, columns, skip_invalid, LabelCheck::default())
}

/// [`read_csv`] with label checks: a row whose label breaks `labels` is invalid (an
/// error naming the file and line, or skipped under `skip_invalid`).
pub fn read_csv_checked<R: Read>(
    reader: R,
    name: &str,
    columns: &Columns,
    skip_invalid: bool,
    labels: LabelCheck,
) -> Result<Dataset> {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let reader = Hashing {
        inner: reader,
        hasher: Some(&mut hasher),
    };
    let mut rdr = RowReader::new(reader, name, columns, skip_invalid)?.with_labels(labels);
    let mut out = Dataset {
        name: name.to_string(),
        ..Dataset::default()
    };
    while let Some(item) = rdr.next_row()? {
        match item {
            Ok(row) => out.rows.push(row),
            Err(skipped) => out.skipped.push(skipped),
        }
    }
    rdr.check_not_empty(out.rows.len(), out.skipped.len())?;
    // The reader has read to the end of the input: the hash covers all of it.
    drop(rdr);
    out.fingerprint = format!("{:016x}", hasher.digest());
    Ok(out)
}

/// Reads labeled rows one at a time (for files too large to hold), with the checks and
/// messages of [`read_csv`].
pub struct RowReader<R: Read> {
    rdr: csv::Reader<R>,
    name: String,
    idx: Index,
    names: Vec<String>,
    skip_invalid: bool,
    record: csv::ByteRecord,
    labels: LabelCheck,
}

impl<R: Read> RowReader<R> {
    /// Read and check the header.
    pub fn new(reader: R, name: &str, columns: &Columns, skip_invalid: bool) -> Result<Self> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(reader);
        let invalid_csv = |reason: String| Error::InvalidCsv {
            file: name.to_string(),
            reason,
        };
        let names = header_names(&mut rdr).map_err(invalid_csv)?;
        let idx = Index::new(columns, &names, name)?;
        Ok(RowReader {
            rdr,
            name: name.to_string(),
            idx,
            names,
            skip_invalid,
            record: csv::ByteRecord::new(),
            labels: LabelCheck::default(),
        })
    }

    /// Check each row's labels with `labels` (see [`read_csv_checked`]).
    pub fn with_labels(mut self, labels: LabelCheck) -> Self {
        self.labels = labels;
        self
    }

    /// The next row, or under `skip_invalid` the next skipped record; `None` at the end.
    /// Without `skip_invalid` a bad record is an error naming the file and line.
    #[allow(clippy::type_complexity)]
    pub fn next_row(&mut self) -> Result<Option<std::result::Result<Row, Skipped>>> {
        let line_hint = self.rdr.position().line();
        let (line, reason) = match self.rdr.read_byte_record(&mut self.record) {
            Ok(false) => return Ok(None),
            Ok(true) => {
                let line = self
                    .record
                    .position()
                    .map(|p| p.line())
                    .unwrap_or(line_hint);
                match parse_row(&self.record, &self.idx, &self.names, line) {
                    Ok(row) => match self
                        .labels
                        .problem(row.stance.as_deref(), row.bias.as_deref())
                    {
                        None => return Ok(Some(Ok(row))),
                        Some(reason) => (line, reason),
                    },
                    Err(reason) => (line, reason),
                }
            }
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(line_hint);
                let reason = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => format!("has {len} fields, the header has {expected_len}"),
                    csv::ErrorKind::Io(io) => {
                        return Err(Error::io(
                            &self.name,
                            std::io::Error::new(io.kind(), io.to_string()),
                        ))
                    }
                    _ => e.to_string(),
                };
                (line, reason)
            }
        };
        if self.skip_invalid {
            Ok(Some(Err(Skipped { line, reason })))
        } else {
            Err(Error::InvalidRow {
                file: self.name.clone(),
                line,
                reason,
            })
        }
    }

    /// The error for a file that gave no valid row, if it did not.
    pub fn check_not_empty(&self, rows: usize, skipped: usize) -> Result<()> {
        if rows > 0 {
            return Ok(());
        }
        Err(Error::InvalidCsv {
            file: self.name.clone(),
            reason: if skipped == 0 {
                "no data rows after the header".to_string()
            } else {
                format!("no valid rows ({skipped} invalid rows skipped)")
            },
        })
    }
}

/// Header names for a message, each quoted with control characters escaped (a binary
/// file's header must not reach a terminal raw).
fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn field<'r>(
    record: &'r csv::ByteRecord,
    i: Option<usize>,
    names: &[String],
) -> std::result::Result<&'r str, String> {
    let Some(i) = i else { return Ok("") };
    let bytes = record.get(i).unwrap_or(b"");
    std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "column {:?} is not valid UTF-8 (bad byte at offset {} of the field); the file must be UTF-8",
            names[i],
            e.valid_up_to()
        )
    })
}

fn parse_row(
    record: &csv::ByteRecord,
    idx: &Index,
    names: &[String],
    line: u64,
) -> std::result::Result<Row, String> {
    let text = field(record, Some(idx.text), names)?;
    let target = field(record, idx.target, names)?.trim();
    let stance = field(record, idx.stance, names)?.trim();
    let bias = field(record, idx.bias, names)?.trim();
    let start = field(record, idx.start, names)?.trim();
    let end = field(record, idx.end, names)?.trim();
    let id = field(record, idx.id, names)?.trim();
    let actor = field(record, idx.actor, names)?.trim();
    let marks = field(record, idx.loaded_words, names)?.trim();
    let group = match idx.group {
        None => None,
        Some(i) => {
            let g = field(record, Some(i), names)?.trim();
            if g.is_empty() {
                return Err(format!(
                    "empty {:?} (the column that groups the folds: every row needs a group)",
                    names[i]
                ));
            }
            Some(g.to_string())
        }
    };
    if text.trim().is_empty() {
        return Err(format!("empty {:?}", names[idx.text]));
    }
    if stance.is_empty() && bias.is_empty() {
        return Err("no label: stance and bias are both empty".into());
    }
    if !stance.is_empty() && target.is_empty() {
        return Err(format!("stance {stance:?} given but the target is empty"));
    }
    let span = match (start.is_empty(), end.is_empty()) {
        (true, true) => None,
        (false, false) => {
            let s: usize = start
                .parse()
                .map_err(|_| format!("mention_start {start:?} is not a non-negative integer"))?;
            let e: usize = end
                .parse()
                .map_err(|_| format!("mention_end {end:?} is not a non-negative integer"))?;
            let len = text.chars().count();
            if s >= e || e > len {
                return Err(format!(
                    "mention offsets {s}..{e} do not fit a text of {len} characters"
                ));
            }
            let mention: String = text.chars().skip(s).take(e - s).collect();
            if !target.is_empty() && mention != target {
                return Err(format!(
                    "mention offsets {s}..{e} cover {mention:?}, but the target is {target:?}"
                ));
            }
            Some((s, e))
        }
        _ => {
            return Err("mention_start and mention_end must both be given or both be empty".into())
        }
    };
    let loaded_words = if marks.is_empty() {
        None
    } else if bias.is_empty() {
        return Err(format!(
            "{:?} given but the bias label is empty (marked words train the bias head)",
            names[idx.loaded_words.expect("a marks column")]
        ));
    } else {
        Some(parse_marks(marks).map_err(|e| {
            format!(
                "{:?}: {e}",
                names[idx.loaded_words.expect("a marks column")]
            )
        })?)
    };
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    Ok(Row {
        line,
        file: None,
        id: opt(id),
        text: text.to_string(),
        target: target.to_string(),
        span,
        stance: opt(stance),
        bias: opt(bias),
        actor: opt(actor),
        loaded_words,
        group,
    })
}

/// Parse a cell of marked words: a bracketed list of quoted strings as Python or JSON
/// write them (`['bizarre', "so-called"]`, `[]` for none), or words separated by `;` or
/// `|` (`bizarre; so-called`). Empty items are an error, not dropped.
pub fn parse_marks(cell: &str) -> std::result::Result<Vec<String>, String> {
    let cell = cell.trim();
    let Some(inner) = cell.strip_prefix('[') else {
        return cell
            .split([';', '|'])
            .map(|w| {
                let w = w.trim();
                if w.is_empty() {
                    Err(format!("empty item in {cell:?}"))
                } else {
                    Ok(w.to_string())
                }
            })
            .collect();
    };
    let inner = inner
        .strip_suffix(']')
        .ok_or_else(|| format!("list {cell:?} does not end with ']'"))?;
    let mut out = Vec::new();
    let mut chars = inner.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let Some(q) = chars.next() else { break };
        if q != '\'' && q != '"' {
            return Err(format!("list {cell:?}: expected a quoted string at {q:?}"));
        }
        let mut word = String::new();
        loop {
            match chars.next() {
                None => return Err(format!("list {cell:?}: unclosed quote")),
                Some('\\') => match chars.next() {
                    Some(c) => word.push(c),
                    None => return Err(format!("list {cell:?}: unclosed quote")),
                },
                Some(c) if c == q => break,
                Some(c) => word.push(c),
            }
        }
        if word.trim().is_empty() {
            return Err(format!("list {cell:?}: empty item"));
        }
        out.push(word.trim().to_string());
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.next() {
            None => break,
            Some(',') => {}
            Some(c) => return Err(format!("list {cell:?}: expected ',' or ']' at {c:?}")),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(csv: &str, skip: bool) -> Result<Dataset> {
        read_csv(csv.as_bytes(), "t.csv", &Columns::default(), skip)
    }

    #[test]
    fn reads_schema_with_offsets_in_characters() {
        let l = load(
            "id,text,target,stance,mention_start,mention_end,bias\n\
             a,\"Café owner Iran, said\",Iran,against,11,15,biased\n\
             b,Plain topic tweet,Atheism,favor,,,\n",
            false,
        )
        .unwrap();
        assert_eq!(l.rows.len(), 2);
        assert_eq!(l.rows[0].span, Some((11, 15)));
        assert_eq!(l.rows[0].bias.as_deref(), Some("biased"));
        assert_eq!(l.rows[0].line, 2);
        assert_eq!(l.rows[1].span, None);
        assert_eq!(l.rows[1].bias, None);
    }

    #[test]
    fn bad_rows_name_their_line_or_are_skipped() {
        let csv = "text,target,stance,mention_start,mention_end\n\
                   ok text,ok,favor,0,2\n\
                   wrong span,Iran,favor,0,3\n\
                   \"multi\nline\",x,,,\n";
        let err = load(csv, false).unwrap_err().to_string();
        assert!(
            err.contains("t.csv: line 3") && err.contains("\"wro\""),
            "{err}"
        );
        let l = load(csv, true).unwrap();
        assert_eq!(l.rows.len(), 1);
        assert_eq!(l.skipped.len(), 2);
        assert_eq!(l.skipped[1].line, 4);
        assert!(l.skipped[1].reason.contains("no label"));
    }

    #[test]
    fn marked_words_are_parsed_or_rejected_with_their_line() {
        assert_eq!(
            parse_marks(r#"['bizarre', "so-called",'it\'s']"#).unwrap(),
            ["bizarre", "so-called", "it's"]
        );
        assert_eq!(parse_marks("[]").unwrap(), Vec::<String>::new());
        assert_eq!(parse_marks("['a', ]").unwrap(), ["a"]);
        assert_eq!(
            parse_marks(" slammed ; radical|x ").unwrap(),
            ["slammed", "radical", "x"]
        );
        for bad in ["['a'", "['a' 'b']", "[a]", "a;;b", "['']", "['a',,]"] {
            assert!(parse_marks(bad).is_err(), "{bad}");
        }
        let l = load(
            "text,bias,loaded_words\n\
             They slammed it,biased,['slammed']\n\
             Plain,unbiased,[]\n\
             Plain,unbiased,\n",
            false,
        )
        .unwrap();
        assert_eq!(
            l.rows[0].loaded_words.as_deref(),
            Some(&["slammed".to_string()][..])
        );
        assert_eq!(l.rows[1].loaded_words.as_deref(), Some(&[][..]));
        assert_eq!(l.rows[2].loaded_words, None);
        let err = load("text,bias,loaded_words\nA b,biased,['b'\n", false)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("line 2") && err.contains("loaded_words"),
            "{err}"
        );
        let err = load(
            "text,target,stance,loaded_words\nA b,A,favor,['b']\n",
            false,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("line 2") && err.contains("bias label"),
            "{err}"
        );
    }

    #[test]
    fn invalid_utf8_and_missing_columns_are_errors() {
        let mut bytes = b"text,target,stance\nfine,x,favor\n".to_vec();
        bytes.extend_from_slice(b"caf\xe9,x,favor\n");
        let err = read_csv(&bytes[..], "f.csv", &Columns::default(), false)
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 3") && err.contains("UTF-8"), "{err}");
        let err = load("txt,target\nx,y\n", false).unwrap_err().to_string();
        assert!(err.contains("missing required column \"text\""), "{err}");
        let err = load("", false).unwrap_err().to_string();
        assert!(err.contains("empty file"), "{err}");
        let err = load("text,stance,target\n", false).unwrap_err().to_string();
        assert!(err.contains("no data rows"), "{err}");
        let err = load("text,stance,target\na,b\n", false)
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2") && err.contains("2 fields"), "{err}");
    }
}
