use super::*;

/// Builds a sentence from text with entities marked as `[text|KIND]`.
fn marked(src: &str) -> NerSentence {
    let mut text = String::new();
    let mut entities = Vec::new();
    let mut rest = src;
    while let Some(open) = rest.find('[') {
        text.push_str(&rest[..open]);
        let close = rest[open..].find(']').unwrap() + open;
        let (name, kind) = rest[open + 1..close].split_once('|').unwrap();
        let start = text.chars().count();
        text.push_str(name);
        let end = text.chars().count();
        entities.push(EntitySpan {
            start,
            end,
            kind: EntityKind::parse(kind).unwrap(),
        });
        rest = &rest[close + 1..];
    }
    text.push_str(rest);
    NerSentence { text, entities }
}

fn toy() -> Vec<NerSentence> {
    let people = [
        "John Smith",
        "Mary Jones",
        "Ahmed Karimi",
        "Li Wei",
        "Olga Petrova",
        "Pedro Alvarez",
    ];
    let orgs = [
        "Acme Corp",
        "the United Nations",
        "Global Bank",
        "the Red Cross",
    ];
    let places = ["Paris", "Kenya", "Lima", "Oslo", "Vietnam"];
    let mut out = Vec::new();
    for (k, p) in people.iter().enumerate() {
        let o = orgs[k % orgs.len()];
        let g = places[k % places.len()];
        let (o_pre, o_name) = match o.strip_prefix("the ") {
            Some(n) => ("the ", n),
            None => ("", o),
        };
        out.push(marked(&format!(
            "Officials said [President {p}|PERSON] met the leaders in [{g}|GPE_OR_LOC] on Monday."
        )));
        out.push(marked(&format!(
            "The report by {o_pre}[{o_name}|ORG] was published in [{g}|GPE_OR_LOC]."
        )));
        out.push(marked(&format!(
            "[{p}|PERSON] told reporters that {o_pre}[{o_name}|ORG] would help."
        )));
        out.push(marked(&format!(
            "Many [French|OTHER] workers left [{g}|GPE_OR_LOC] after [Mr. {p}|PERSON] spoke."
        )));
    }
    out
}

#[test]
fn marked_helper() {
    let s = marked("Ask [Bob|PERSON] in [Zürich|GPE_OR_LOC].");
    assert_eq!(s.text, "Ask Bob in Zürich.");
    assert_eq!(
        s.entities[1],
        EntitySpan {
            start: 11,
            end: 17,
            kind: EntityKind::GpeOrLoc
        }
    );
}

#[test]
fn learns_toy_names() {
    let train = toy();
    for scheme in [TagScheme::Bio, TagScheme::Bilou] {
        let tagger = NerParams::default()
            .prune(0.0)
            .epochs(8)
            .buckets(1 << 14)
            .scheme(scheme)
            .fit(&train)
            .unwrap();
        let scores = evaluate(&tagger, &train);
        assert!(scores.micro().f1() > 0.95, "{scheme:?}\n{scores}");
        // an unseen name in a familiar frame
        let s = marked("Officials said [President Carlos Mendes|PERSON] met the leaders in [Oslo|GPE_OR_LOC] on Monday.");
        let got = tagger.tag(&s.text);
        assert_eq!(got, s.entities, "{scheme:?}");
        let why = tagger.explain(&s.text, &got[0], 5).unwrap();
        assert_eq!(why.tokens.len(), 3);
        assert_eq!(why.tokens[0].tag, "B-PERSON");
        let last = if scheme == TagScheme::Bio {
            "I-PERSON"
        } else {
            "L-PERSON"
        };
        assert_eq!(why.tokens[2].tag, last);
        assert!(!why.tokens[0].features.is_empty());
        assert!(why.to_string().contains("President"), "{why}");
        // a span the tagger does not produce has no explanation
        let wrong = EntitySpan {
            start: 0,
            end: 9,
            kind: EntityKind::Org,
        };
        assert!(tagger.explain(&s.text, &wrong, 5).is_none());
    }
}

#[test]
fn deterministic_for_a_seed() {
    let train = toy();
    let a = NerParams::default()
        .prune(0.0)
        .epochs(3)
        .buckets(1 << 12)
        .seed(7)
        .fit(&train)
        .unwrap();
    let b = NerParams::default()
        .prune(0.0)
        .epochs(3)
        .buckets(1 << 12)
        .seed(7)
        .fit(&train)
        .unwrap();
    assert_eq!(a.to_bytes(), b.to_bytes());
}

/// A tagger fit on [`toy`] for `epochs` epochs, unpruned, in 2^12 buckets.
fn toy_tagger(epochs: usize) -> NerTagger {
    NerParams::default()
        .prune(0.0)
        .epochs(epochs)
        .buckets(1 << 12)
        .fit(&toy())
        .unwrap()
}

#[test]
fn file_round_trip() {
    let train = toy();
    let tagger = toy_tagger(4);
    let bytes = tagger.to_bytes();
    let back = NerTagger::from_bytes(&bytes).unwrap();
    assert_eq!(back.to_bytes(), bytes);
    for s in &train {
        assert_eq!(back.tag(&s.text), tagger.tag(&s.text));
    }
}

#[test]
fn stored_scores_round_trip_and_version_2_files_load_without_them() {
    let train = toy();
    let tagger = toy_tagger(2);
    assert!(tagger.scores().is_none());
    let measured = TaggerScores {
        data: "toy.csv".into(),
        sentences: train.len(),
        scores: evaluate(&tagger, &train),
    };
    let scored = tagger.clone().with_scores(measured.clone());
    let back = NerTagger::from_bytes(&scored.to_bytes()).unwrap();
    assert_eq!(back.scores(), Some(&measured));
    // A version 2 file: the same payload without the scores, under version 2.
    let bytes = tagger.to_bytes();
    let mut v2 = bytes[..MAGIC.len()].to_vec();
    v2.extend_from_slice(&2u16.to_le_bytes());
    let body = &bytes[MAGIC.len() + 2..];
    assert_eq!(body.last(), Some(&0), "None is one zero byte at the end");
    v2.extend_from_slice(&body[..body.len() - 1]);
    let old = NerTagger::from_bytes(&v2).unwrap();
    assert!(old.scores().is_none());
    assert_eq!(old.to_bytes(), bytes);
    for s in &train {
        assert_eq!(old.tag(&s.text), tagger.tag(&s.text));
    }
}

#[test]
fn bad_files_are_typed_errors() {
    let tagger = toy_tagger(1);
    let bytes = tagger.to_bytes();
    assert!(matches!(
        NerTagger::from_bytes(b"hello world"),
        Err(NerError::NotATaggerFile)
    ));
    assert!(matches!(
        NerTagger::from_bytes(&[]),
        Err(NerError::NotATaggerFile)
    ));
    let mut newer = bytes.clone();
    newer[MAGIC.len()..MAGIC.len() + 2].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    assert!(matches!(
        NerTagger::from_bytes(&newer),
        Err(NerError::NewerFormat { found, supported }) if found == FORMAT_VERSION + 1 && supported == FORMAT_VERSION
    ));
    // every truncation is an error, never a panic
    for cut in 0..bytes.len() {
        assert!(
            NerTagger::from_bytes(&bytes[..cut]).is_err(),
            "cut at {cut}"
        );
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(matches!(
        NerTagger::from_bytes(&longer),
        Err(NerError::CorruptFile(_))
    ));
    // flipped bytes: an error or a tagger, never a panic
    for k in (MAGIC.len() + 2..bytes.len()).step_by(7) {
        let mut b = bytes.clone();
        b[k] ^= 0xA5;
        let _ = NerTagger::from_bytes(&b);
    }
}

#[test]
fn settings_are_checked() {
    assert!(matches!(
        NerParams::default().prune(0.0).epochs(0).check(),
        Err(NerError::ZeroEpochs)
    ));
    assert!(matches!(
        NerParams::default().buckets(10).check(),
        Err(NerError::BucketsOutOfRange { buckets: 10, .. })
    ));
    assert!(matches!(
        NerParams::default().quant_levels(3).check(),
        Err(NerError::QuantizationLevels(3))
    ));
    assert!(matches!(
        NerParams::default().prune(-1.0).check(),
        Err(NerError::PruneThreshold(_))
    ));
    assert!(matches!(
        NerParams::default().prune(f32::NAN).check(),
        Err(NerError::PruneThreshold(_))
    ));
    assert!(matches!(
        NerParams::default().fit(&[]),
        Err(NerError::EmptyTrainingSet)
    ));
}

#[test]
fn tag_schemes() {
    let bio = TagScheme::Bio;
    let b_org = bio.tag(EntityKind::Org, 0);
    let i_org = bio.tag(EntityKind::Org, 1);
    let i_per = bio.tag(EntityKind::Person, 1);
    assert!(bio.allowed(b_org, i_org, false));
    assert!(!bio.allowed(0, i_org, false));
    assert!(!bio.allowed(b_org, i_per, false));
    let bilou = TagScheme::Bilou;
    let (b, i, l, u) =
        (0..4)
            .map(|p| bilou.tag(EntityKind::Org, p))
            .fold((0, 0, 0, 0), |acc, t| match acc {
                (0, _, _, _) => (t, 0, 0, 0),
                (b, 0, _, _) => (b, t, 0, 0),
                (b, i, 0, _) => (b, i, t, 0),
                (b, i, l, _) => (b, i, l, t),
            });
    assert!(bilou.allowed(0, b, false) && !bilou.allowed(0, b, true));
    assert!(bilou.allowed(b, i, false) && bilou.allowed(b, l, true) && !bilou.allowed(b, 0, false));
    assert!(bilou.allowed(l, u, true) && !bilou.allowed(0, l, false));
    let mut spans = Vec::new();
    bilou.spans(&[0, u, b, i, l, 0], |a, z, k| spans.push((a, z, k)));
    assert_eq!(
        spans,
        vec![(1, 2, EntityKind::Org), (2, 5, EntityKind::Org)]
    );
    spans.clear();
    bio.spans(&[b_org, i_org, 0, i_per, b_org], |a, z, k| {
        spans.push((a, z, k))
    });
    assert_eq!(
        spans,
        vec![
            (0, 2, EntityKind::Org),
            (3, 4, EntityKind::Person),
            (4, 5, EntityKind::Org)
        ]
    );
}

#[test]
fn feature_counts_match() {
    let text = "Mr. Bush met NATO chiefs in Brussels on Monday.";
    let toks = tokens::tokenize(text);
    let mut infos = Vec::new();
    features::sentence_info(
        text,
        &toks,
        &WordLists::default(),
        &HashMap::default(),
        &mut InfoScratch::default(),
        &mut infos,
    );
    for i in 0..infos.len() {
        let mut n = 0;
        features::context_features(&infos, i, &mut |_, _| n += 1);
        assert_eq!(n, features::N_CONTEXT);
    }
    assert!(infos[0].initial && !infos[1].initial);
    assert_eq!(infos[1].caps, features::Caps::Title as u8);
    assert_eq!(infos[3].caps, features::Caps::Upper as u8);
    assert!(infos[0].class & features::class::TITLE != 0);
}

#[test]
fn gating_keeps_names() {
    let train = toy();
    let mut tagger = NerParams::default()
        .prune(0.0)
        .epochs(8)
        .buckets(1 << 14)
        .gate(true)
        .fit(&train)
        .unwrap();
    assert!(evaluate(&tagger, &train).micro().f1() > 0.95);
    let back = NerTagger::from_bytes(&tagger.to_bytes()).unwrap();
    assert!(back.params().gate_enabled());
    tagger.set_gate(false);
    assert!(evaluate(&tagger, &train).micro().f1() > 0.95);
}

#[test]
fn pruning_shrinks_the_file() {
    let train = toy();
    let p = NerParams::default().epochs(4).buckets(1 << 12);
    let full = p.clone().prune(0.0).fit(&train).unwrap().to_bytes();
    let pruned = p.prune(0.5).fit(&train).unwrap().to_bytes();
    assert!(
        pruned.len() < full.len(),
        "{} vs {}",
        pruned.len(),
        full.len()
    );
}

#[test]
fn odd_texts_do_not_panic() {
    let tagger = toy_tagger(2);
    let mut scratch = NerScratch::default();
    let mut out = Vec::new();
    for text in [
        "",
        "   ",
        "!!!",
        "a",
        "Ünal 😀 met Zoë in São Paulo.",
        "-",
        "'s",
        "U.S.",
        "A B C D E F G",
    ] {
        tagger.tag_into(text, &mut scratch, &mut out);
        let n = text.chars().count();
        for s in &out {
            assert!(s.start < s.end && s.end <= n, "{text:?}: {s:?}");
        }
        assert_eq!(out, tagger.tag(text));
    }
}

#[test]
fn word_clusters_are_read_and_kept_in_the_file() {
    let table =
        "# comment\n# word\tc64\tc256\tc1024\nsmith\t1\t3\t7\njones\t1\t3\t7\nparis\t2\t5\t9\n";
    let clusters = WordClusters::parse(table).unwrap();
    assert_eq!(clusters.len(), 3);
    for bad in [
        "a\t1\t2",
        "a\t1\t2\tx",
        "a\t64\t2\t3",
        "a\t1\t2\t3\nb\t2\t2\t3",
    ] {
        assert!(
            matches!(WordClusters::parse(bad), Err(NerError::Clusters { .. })),
            "{bad:?}"
        );
    }
    let train = toy();
    let tagger = NerParams::default()
        .prune(0.0)
        .epochs(3)
        .buckets(1 << 12)
        .check()
        .unwrap()
        .fit_with_clusters(&train, &clusters, |_, _, _| {})
        .unwrap();
    let bytes = tagger.to_bytes();
    let back = NerTagger::from_bytes(&bytes).unwrap();
    assert_eq!(back.to_bytes(), bytes);
    let stat = back.capstats[&xxh3_64(b"paris")];
    assert_eq!(stat.cluster, [3, 6, 10]);
    for s in &train {
        assert_eq!(back.tag(&s.text), tagger.tag(&s.text));
    }
    // a file of format version 1 (no clusters) still loads
    let plain = toy_tagger(1);
    let v2 = plain.to_bytes();
    let (stored, _): (Stored, &[u8]) = postcard::take_from_bytes(&v2[MAGIC.len() + 2..]).unwrap();
    let mut prev = 0u64;
    let v1 = StoredV1 {
        params: stored.params,
        scheme: stored.scheme,
        buckets: stored.buckets,
        n_tags: stored.n_tags,
        scale: stored.scale,
        row_gaps: stored.row_gaps,
        weights: stored.weights,
        capstats: stored
            .capstats
            .iter()
            .map(|&(gap, cap, kind, _, _)| {
                prev += gap;
                (prev, cap, kind)
            })
            .collect(),
    };
    let mut old = MAGIC.to_vec();
    old.extend_from_slice(&1u16.to_le_bytes());
    old.extend(postcard::to_stdvec(&v1).unwrap());
    // (it lacks the span-type shares of version 2, so it is not the same tagger)
    let loaded = NerTagger::from_bytes(&old).unwrap();
    let table = |t: &NerTagger| t.weights[t.base..t.base + t.buckets * (t.n_tags - 1)].to_vec();
    assert_eq!(table(&loaded), table(&plain));
    for (w, stat) in &plain.capstats {
        let old = loaded.capstats[w];
        assert_eq!((old.cap, old.kind), (stat.cap, stat.kind));
    }
}

#[test]
fn name_spans_drop_leading_titles() {
    let tagger = toy_tagger(1);
    let text = "Prime Minister Ehud Olmert met Mr. Abbas and Prime, with NATO.";
    let span = |a: usize, b: usize, kind| EntitySpan {
        start: a,
        end: b,
        kind,
    };
    let p = EntityKind::Person;
    assert_eq!(
        tagger.name_span(text, &span(0, 26, p)),
        Some(span(15, 26, p))
    );
    assert_eq!(
        tagger.name_span(text, &span(31, 40, p)),
        Some(span(35, 40, p))
    );
    assert_eq!(tagger.name_span(text, &span(45, 50, p)), None);
    let org = span(57, 61, EntityKind::Org);
    assert_eq!(tagger.name_span(text, &org), Some(org));
}
