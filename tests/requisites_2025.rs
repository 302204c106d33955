//! The requisites of ГОСТ Р 7.0.97-2025, as a reader of the printed page
//! finds them: the QR code decodes (zxing-cpp on a `pdftoppm` image) to
//! what the TOML says, at the corner chosen, within 1 mm, in our PDF and in
//! LibreOffice's PDF of our DOCX; the electronic-signature mark shows its
//! text in a frame, at the same place in both; the checks speak at the
//! right lines; and every DOCX carries its document's date and
//! organisation in its properties. `scripts/test.sh` installs poppler,
//! LibreOffice and the Python zxing-cpp.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

const EXAMPLE: &str = "011_zarechny_rasporyazhenie_qr_ep";
const LINK: &str = "https://zarechny.example.ru/docs/2024/61-r";
const DPI: u32 = 300;

/// Builds `input` into `out` with the gostdoc binary (DOCX and PDF).
fn build(input: &Path, out: &Path) -> (PathBuf, PathBuf) {
    let o = gostdoc(
        &root(),
        &[
            "build",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stem = input.file_stem().unwrap().to_string_lossy().into_owned();
    (
        out.join(format!("{stem}.docx")),
        out.join(format!("{stem}.pdf")),
    )
}

/// LibreOffice's PDF of a DOCX, in `out`.
fn libreoffice(docx: &Path, out: &Path) -> PathBuf {
    let profile = out.join("lo-profile");
    let o = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(out.join("lo"))
        .arg(docx)
        .output()
        .expect("soffice: run scripts/test.sh");
    assert!(o.status.success());
    out.join("lo")
        .join(docx.with_extension("pdf").file_name().unwrap())
}

/// What the Python helper reads off page 1 of `pdf`: QR codes, and the
/// frame around `bbox` (mm) when given.
fn read_page(pdf: &Path, bbox: Option<[f32; 4]>) -> serde_json::Value {
    let dir = pdf.parent().unwrap();
    let stem = dir.join(format!(
        "{}-page",
        pdf.file_stem().unwrap().to_string_lossy()
    ));
    let o = Command::new("pdftoppm")
        .args([
            "-r",
            &DPI.to_string(),
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            "-png",
        ])
        .arg(pdf)
        .arg(&stem)
        .output()
        .expect("pdftoppm: run scripts/test.sh");
    assert!(o.status.success());
    let mut cmd = Command::new("python3");
    cmd.arg(root().join("tests/requisites_2025.py"))
        .arg(stem.with_extension("png"))
        .arg(DPI.to_string());
    if let Some(b) = bbox {
        cmd.args(b.iter().map(|v| v.to_string()));
    }
    let o = cmd.output().expect("python3: run scripts/test.sh");
    assert!(
        o.status.success(),
        "python3 -m zxingcpp: run scripts/test.sh\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The words of page 1 with their boxes, mm: `pdftotext -bbox`.
fn words(pdf: &Path) -> Vec<(String, [f32; 4])> {
    let html = common::lo::run(
        "pdftotext",
        &[
            "-bbox".as_ref(),
            "-f".as_ref(),
            "1".as_ref(),
            "-l".as_ref(),
            "1".as_ref(),
            pdf.as_os_str(),
            "-".as_ref(),
        ],
    );
    let re = regex_lite::Regex::new(
        r#"<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>"#,
    )
    .unwrap();
    let pt = 25.4 / 72.0;
    re.captures_iter(&html)
        .map(|c| {
            let v = |i: usize| c[i].parse::<f32>().unwrap() * pt;
            (c[5].to_owned(), [v(1), v(2), v(3), v(4)])
        })
        .collect()
}

/// The square the QR symbol of `text` (without its quiet zone) covers,
/// mm: the square with its quiet zone of 4 modules (20 mm for a link of
/// 29 modules) at the bottom right of the text area (right margin 10 mm,
/// bottom 20 mm).
fn expected_symbol(text: &str) -> [f32; 4] {
    let symbol = gostdoc::qr::encode(text).unwrap();
    let size = symbol.default_size_mm();
    let module = size / symbol.width_with_quiet_zone() as f32;
    let (x, y) = (210.0 - 10.0 - size, 297.0 - 20.0 - size);
    [
        x + 4.0 * module,
        y + 4.0 * module,
        x + size - 4.0 * module,
        y + size - 4.0 * module,
    ]
}

/// The QR code's text and how far its symbol is from the expected square
/// at worst, mm.
fn qr_error(page: &serde_json::Value) -> (String, f32) {
    let codes = page["qr"].as_array().unwrap();
    assert_eq!(codes.len(), 1, "one QR code on page 1: {page}");
    let code = &codes[0];
    let c = code["corners_mm"].as_array().unwrap();
    let xs: Vec<f32> = c.iter().map(|p| p[0].as_f64().unwrap() as f32).collect();
    let ys: Vec<f32> = c.iter().map(|p| p[1].as_f64().unwrap() as f32).collect();
    let found = [
        xs.iter().cloned().fold(f32::MAX, f32::min),
        ys.iter().cloned().fold(f32::MAX, f32::min),
        xs.iter().cloned().fold(f32::MIN, f32::max),
        ys.iter().cloned().fold(f32::MIN, f32::max),
    ];
    let text = code["text"].as_str().unwrap();
    let want = expected_symbol(text);
    // zxing-cpp's corners are the outer corners of the finder patterns,
    // on the last pixel inside the symbol: up to one pixel in.
    let error = found
        .iter()
        .zip(want)
        .map(|(f, w)| (f - w).abs())
        .fold(0.0, f32::max);
    (text.to_owned(), error)
}

#[test]
fn the_qr_code_decodes_at_the_bottom_right_in_our_pdf_and_in_libreoffice() {
    let dir = tempfile::tempdir().unwrap();
    let input = root().join(format!("data/{EXAMPLE}.toml"));
    let (docx, pdf) = build(&input, dir.path());
    let lo = libreoffice(&docx, dir.path());
    for (who, file) in [("our PDF", &pdf), ("LibreOffice", &lo)] {
        let (text, error) = qr_error(&read_page(file, None));
        assert_eq!(text, LINK, "{who}");
        assert!(
            error <= 1.0,
            "{who}: the QR symbol is {error:.2} mm from its place"
        );
        eprintln!("{who}: QR «{text}», {error:.3} mm from its place");
    }
}

#[test]
fn the_docx_anchors_the_qr_picture_at_the_same_place() {
    let docx = render(&root().join(format!("data/{EXAMPLE}.toml")));
    let xml = part(&docx, "word/document.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let anchor = doc
        .descendants()
        .find(|n| {
            n.has_tag_name("anchor")
                && n.descendants()
                    .any(|d| d.has_tag_name("docPr") && d.attribute("name") == Some("QR-код"))
        })
        .expect("a drawing named «QR-код» anchored to the page");
    let offset = |axis: &str| -> f32 {
        let pos = anchor
            .children()
            .find(|c| c.has_tag_name(axis))
            .unwrap_or_else(|| panic!("{axis}"));
        assert_eq!(pos.attribute("relativeFrom"), Some("page"));
        let v = pos
            .descendants()
            .find(|d| d.has_tag_name("posOffset"))
            .and_then(|d| d.text())
            .unwrap();
        v.parse::<f32>().unwrap() / 36000.0
    };
    assert!((offset("positionH") - 180.0).abs() < 0.01);
    assert!((offset("positionV") - 257.0).abs() < 0.01);
    assert!(
        anchor.descendants().any(|d| d.has_tag_name("wrapNone")),
        "the text never moves for the code"
    );
    // The picture is a PNG in the package, the same symbol.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&docx)).unwrap();
    assert!(zip.by_name("word/media/qr1.png").is_ok());
}

/// The mark's words and its frame, in both PDFs.
#[test]
fn the_electronic_signature_mark_has_its_text_in_a_frame_in_both_pdfs() {
    let dir = tempfile::tempdir().unwrap();
    let input = root().join(format!("data/{EXAMPLE}.toml"));
    let (docx, pdf) = build(&input, dir.path());
    let lo = libreoffice(&docx, dir.path());
    let mut boxes = Vec::new();
    for (who, file) in [("our PDF", &pdf), ("LibreOffice", &lo)] {
        let w = words(file);
        let text: Vec<&str> = w.iter().map(|(t, _)| t.as_str()).collect();
        let joined = text.join(" ");
        for line in [
            "ДОКУМЕНТ ПОДПИСАН",
            "ЭЛЕКТРОННОЙ ПОДПИСЬЮ",
            "Сертификат 01DA7C3B2E5F60718293A4B5C6D7E8F9",
            "Владелец Белов Андрей Викторович",
            "Действителен с 15.01.2024 по 15.04.2025",
        ] {
            assert!(joined.contains(line), "{who}: «{line}» in {joined}");
        }
        // The mark's words, from «ДОКУМЕНТ» to the last date.
        let first = text.iter().position(|t| *t == "ДОКУМЕНТ").unwrap();
        let last = first
            + text[first..]
                .iter()
                .position(|t| *t == "15.04.2025")
                .unwrap();
        let mark = &w[first..=last];
        let bbox = [
            mark.iter().map(|(_, b)| b[0]).fold(f32::MAX, f32::min),
            mark.iter().map(|(_, b)| b[1]).fold(f32::MAX, f32::min),
            mark.iter().map(|(_, b)| b[2]).fold(f32::MIN, f32::max),
            mark.iter().map(|(_, b)| b[3]).fold(f32::MIN, f32::max),
        ];
        // Between the position and the name, on the name's line.
        let name = w.iter().rev().find(|(t, _)| t == "Белов").unwrap().1;
        // «муниципального округа», the position's last line, beside the name.
        let glava = w
            .iter()
            .find(|(t, b)| t == "муниципального" && (b[3] - name[3]).abs() < 2.0)
            .unwrap()
            .1;
        assert!(
            bbox[0] > glava[2] + 3.0,
            "{who}: the mark clears the position"
        );
        assert!(bbox[2] < name[0] - 3.0, "{who}: the mark clears the name");
        let frame = &read_page(file, Some(bbox))["frame"];
        for side in ["top", "bottom", "left", "right"] {
            assert!(
                frame[side].is_number(),
                "{who}: no frame line {side} of the mark: {frame}"
            );
        }
        let f = |s: &str| frame[s].as_f64().unwrap() as f32;
        // The frame ends at the bottom of the name's line, and nothing of
        // the text above enters it.
        assert!(
            (f("bottom") - name[3]).abs() < 1.5,
            "{who}: {frame} {name:?}"
        );
        let above = w[..first]
            .iter()
            .filter(|(_, b)| b[2] > f("left") && b[0] < f("right"))
            .map(|(_, b)| b[3])
            .fold(0.0, f32::max);
        assert!(above < f("top"), "{who}: text above runs into the mark");
        boxes.push(([f("left"), f("top"), f("right"), f("bottom")], bbox));
    }
    // LibreOffice draws frame and text where we do.
    let (ours, theirs) = (&boxes[0], &boxes[1]);
    for k in 0..4 {
        assert!(
            (ours.0[k] - theirs.0[k]).abs() < 0.5,
            "frame: ours {:?}, LibreOffice {:?}",
            ours.0,
            theirs.0
        );
        // pdftotext gives LibreOffice's embedded fonts a deeper descent
        // (0.6 mm at 8 pt): the words' bottoms are compared loosely.
        let tolerance = if k == 3 { 1.0 } else { 0.5 };
        assert!(
            (ours.1[k] - theirs.1[k]).abs() < tolerance,
            "text: ours {:?}, LibreOffice {:?}",
            ours.1,
            theirs.1
        );
    }
    eprintln!(
        "frame ours {:?}, LibreOffice {:?}; words ours {:?}, LibreOffice {:?}",
        ours.0, theirs.0, ours.1, theirs.1
    );
}

#[test]
fn the_docx_holds_the_mark_as_a_framed_text_box() {
    let docx = render(&root().join(format!("data/{EXAMPLE}.toml")));
    let xml = part(&docx, "word/document.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let anchor = doc
        .descendants()
        .find(|n| {
            n.has_tag_name("anchor")
                && n.descendants().any(|d| {
                    d.has_tag_name("docPr")
                        && d.attribute("name") == Some("Отметка об электронной подписи")
                })
        })
        .expect("the mark's drawing");
    // In the paragraph with the signer's name.
    let paragraph = anchor.ancestors().find(|a| a.has_tag_name("p")).unwrap();
    let own: String = paragraph
        .descendants()
        .filter(|d| d.has_tag_name("t"))
        .filter(|d| !d.ancestors().any(|a| a.has_tag_name("txbxContent")))
        .filter_map(|d| d.text())
        .collect();
    assert!(
        own.contains("муниципального округа") && own.contains("Белов"),
        "{own}"
    );
    let ln = anchor
        .descendants()
        .find(|d| d.has_tag_name("ln"))
        .expect("a frame line");
    assert!(ln.descendants().any(|d| d.has_tag_name("solidFill")));
    let lines: Vec<String> = anchor
        .descendants()
        .filter(|d| d.has_tag_name("txbxContent"))
        .flat_map(|b| b.children().filter(|c| c.has_tag_name("p")))
        .map(|p| {
            p.descendants()
                .filter(|d| d.has_tag_name("t"))
                .filter_map(|d| d.text())
                .collect()
        })
        .collect();
    assert_eq!(
        lines,
        [
            "ДОКУМЕНТ ПОДПИСАН",
            "ЭЛЕКТРОННОЙ ПОДПИСЬЮ",
            "Сертификат 01DA7C3B2E5F60718293A4B5C6D7E8F9",
            "Владелец Белов Андрей Викторович",
            "Действителен с 15.01.2024 по 15.04.2025",
        ]
    );
}

/// A document of the example with `edit` applied, checked: (success,
/// what check printed).
fn check_edited(edit: impl Fn(String) -> String) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join(format!("data/{EXAMPLE}.toml"))).unwrap();
    std::fs::create_dir_all(dir.path().join("profiles")).unwrap();
    for f in ["zarechny.toml", "zarechny_gerb.png"] {
        std::fs::copy(
            root().join("data/profiles").join(f),
            dir.path().join("profiles").join(f),
        )
        .unwrap();
    }
    std::fs::write(dir.path().join("d.toml"), edit(text)).unwrap();
    let o = gostdoc(dir.path(), &["check", "d.toml"]);
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr),
    )
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn a_qr_code_under_the_2016_edition_is_a_warning_at_its_line() {
    let text = std::fs::read_to_string(root().join(format!("data/{EXAMPLE}.toml"))).unwrap();
    let (ok, out) = check_edited(|t| t.replace("edition = 2025", "edition = 2016"));
    assert!(ok, "{out}");
    let line = line_of(&text, "qr = ");
    assert!(
        out.contains(&format!("d.toml, строка {line}"))
            && out.contains("предупреждение")
            && out.contains("ГОСТ Р 7.0.97-2016")
            && out.contains("edition = 2025"),
        "{out}"
    );
    let (ok, out) = check_edited(|t| t);
    assert!(ok && !out.contains("QR"), "{out}");
}

#[test]
fn a_wrong_certificate_is_an_error_at_its_line() {
    let text = std::fs::read_to_string(root().join(format!("data/{EXAMPLE}.toml"))).unwrap();
    let line = line_of(&text, "electronic = ");
    let (ok, out) = check_edited(|t| t.replace("01DA7C3B2E5F", "01ДА7C3B2E5F"));
    assert!(!ok, "{out}");
    assert!(
        out.contains(&format!("строка {line}"))
            && out.contains("«signature.electronic.certificate»")
            && out.contains("шестнадцатеричные"),
        "{out}"
    );
    let (ok, out) = check_edited(|t| t.replace("valid_to = 2025-04-15", "valid_to = 2023-04-15"));
    assert!(
        !ok && out.contains("кончается") && out.contains("electronic.valid_to"),
        "{out}"
    );
    let (ok, out) = check_edited(|t| t.replace("valid_to = 2025-04-15", "valid_to = 2024-03-01"));
    assert!(ok && out.contains("вне срока"), "{out}");
}

#[test]
fn qr_true_encodes_the_registration_data() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join(format!("data/{EXAMPLE}.toml"))).unwrap();
    std::fs::create_dir_all(dir.path().join("profiles")).unwrap();
    for f in ["zarechny.toml", "zarechny_gerb.png"] {
        std::fs::copy(
            root().join("data/profiles").join(f),
            dir.path().join("profiles").join(f),
        )
        .unwrap();
    }
    let input = dir.path().join("reg.toml");
    std::fs::write(
        &input,
        text.replace(&format!("qr = \"{LINK}\""), "qr = true"),
    )
    .unwrap();
    let (_, pdf) = build(&input, &dir.path().join("out"));
    let page = read_page(&pdf, None);
    assert_eq!(
        page["qr"][0]["text"],
        "Распоряжение № 61-р от 02.04.2024\nАдминистрация Заречного муниципального округа"
    );
}

/// Every example's DOCX names its organisation and its own date in the
/// file's properties, never the clock's.
#[test]
fn every_docx_carries_its_date_and_organisation() {
    let t = templates();
    for entry in std::fs::read_dir(root().join("data")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let model = gostdoc::model::load(&path).unwrap();
        let (_, docx) = gostdoc::build::render(&path, &t).unwrap();
        let core = part(&docx, "docProps/core.xml");
        let name = path.display();
        let org = &model.organization;
        let author = if org.name.is_empty() {
            org.header.join(" ")
        } else {
            org.name.clone()
        };
        if author.is_empty() {
            assert!(!core.contains("<dc:creator>"), "{name}: {core}");
        } else {
            let escaped = author.replace('&', "&amp;").replace('<', "&lt;");
            assert!(
                core.contains(&format!("<dc:creator>{escaped}</dc:creator>")),
                "{name}: {core}"
            );
        }
        match model.number_and_date().1 {
            Some(d) => {
                for tag in ["dcterms:created", "dcterms:modified"] {
                    let want = format!(
                        r#"<{tag} xsi:type="dcterms:W3CDTF">{}T00:00:00Z</{tag}>"#,
                        d.format("%Y-%m-%d")
                    );
                    assert!(core.contains(&want), "{name}: {want} in {core}");
                }
            }
            None => assert!(!core.contains("dcterms:created"), "{name}: {core}"),
        }
    }
}

#[test]
fn a_mark_with_no_room_beside_a_long_position_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join(format!("data/{EXAMPLE}.toml"))).unwrap();
    std::fs::create_dir_all(dir.path().join("profiles")).unwrap();
    for f in ["zarechny.toml", "zarechny_gerb.png"] {
        std::fs::copy(
            root().join("data/profiles").join(f),
            dir.path().join("profiles").join(f),
        )
        .unwrap();
    }
    let long = text.replace(
        r#"position = ["Глава Заречного", "муниципального округа"]"#,
        r#"position = "Исполняющий обязанности главы Заречного округа""#,
    );
    assert_ne!(long, text);
    std::fs::write(dir.path().join("d.toml"), long).unwrap();
    let o = gostdoc(dir.path(), &["build", "d.toml", "-o", "out"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{out}");
    assert!(
        out.contains("не помещается между должностью") && out.contains("разбейте"),
        "{out}"
    );
}

/// A protocol signed by the chair and the secretary electronically, with
/// `qr = true`: the registration data decode from both PDFs at the
/// bottom right, and the two marks stand one above the other, apart, in
/// the same places in both.
#[test]
fn a_protocol_with_two_marks_and_its_registration_data() {
    let dir = tempfile::tempdir().unwrap();
    let input = root().join("data/012_shkola_sovet_ep.toml");
    let (docx, pdf) = build(&input, dir.path());
    let lo = libreoffice(&docx, dir.path());
    let mut tops = Vec::new();
    for (who, file) in [("our PDF", &pdf), ("LibreOffice", &lo)] {
        let (text, error) = qr_error(&read_page(file, None));
        assert_eq!(
            text, "Протокол № 3 от 10.12.2024\nМБОУ «Средняя школа № 3» г. Заречного",
            "{who}"
        );
        assert!(error <= 1.0, "{who}: {error:.2} mm");
        let w = words(file);
        let marks: Vec<[f32; 4]> = w
            .iter()
            .filter(|(t, _)| t == "ДОКУМЕНТ")
            .map(|(_, b)| *b)
            .collect();
        let ends: Vec<[f32; 4]> = w
            .iter()
            .filter(|(t, _)| t == "по")
            .map(|(_, b)| *b)
            .collect();
        assert_eq!(marks.len(), 2, "{who}: two marks");
        // The first mark's last line is above the second mark's first.
        let first_end = ends.iter().find(|b| b[1] > marks[0][1]).unwrap();
        assert!(first_end[3] < marks[1][1], "{who}: the marks overlap");
        tops.push(marks);
    }
    for (k, (ours, theirs)) in tops[0].iter().zip(&tops[1]).enumerate() {
        // Left, top and right of «ДОКУМЕНТ» (the bottom is a font's descent).
        for c in 0..3 {
            assert!(
                (ours[c] - theirs[c]).abs() < 0.5,
                "mark {k}: ours {ours:?}, LibreOffice {theirs:?}"
            );
        }
    }
}

/// The profile's `[signature]` signs an act that has none: a wrong
/// certificate there is said at the profile's line, not the document's.
#[test]
fn a_wrong_certificate_in_the_profile_is_an_error_at_the_profiles_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("profiles")).unwrap();
    std::fs::copy(
        root().join("data/profiles/zarechny_gerb.png"),
        dir.path().join("profiles/zarechny_gerb.png"),
    )
    .unwrap();
    let profile = std::fs::read_to_string(root().join("data/profiles/zarechny.toml")).unwrap();
    let profile = profile.replace(
        "person = \"Белов\"\n",
        "person = \"Белов\"\nelectronic = { certificate = \"XYZ\", valid_from = 2024-01-15, valid_to = 2025-04-15 }\n",
    );
    let line = line_of(&profile, "certificate = \"XYZ\"");
    std::fs::write(dir.path().join("profiles/zarechny.toml"), &profile).unwrap();
    let text = std::fs::read_to_string(root().join(format!("data/{EXAMPLE}.toml"))).unwrap();
    let without = &text[..text.find("[[signature]]").unwrap()];
    std::fs::write(dir.path().join("d.toml"), without).unwrap();
    let o = gostdoc(dir.path(), &["check", "d.toml"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{out}");
    assert!(
        out.contains(&format!("zarechny.toml, строка {line}, столбец 30"))
            && out.contains("«signature.electronic.certificate»"),
        "{out}"
    );
}

/// An act printed as its appendices only has no first page for the code:
/// `qr` is then a warning at its line, never silently dropped.
#[test]
fn a_qr_code_of_an_act_printed_as_appendices_only_is_a_warning() {
    let text = std::fs::read_to_string(root().join(format!("data/{EXAMPLE}.toml"))).unwrap();
    let (_, out) = check_edited(|t| {
        t.replace("qr = ", "appendices_only = true\nqr = ")
            + "\n[[appendix]]\ntitle = \"Схема уборки\"\n"
    });
    let line = line_of(&text, "qr = ") + 1;
    assert!(
        out.contains(&format!("d.toml, строка {line}")) && out.contains("QR-код не напечатается"),
        "{out}"
    );
}
