//! Our PDF next to LibreOffice's PDF of our DOCX: the conversion, the
//! schema check and the line-for-line comparison the layout tests share.
//! `scripts/test.sh` installs LibreOffice, poppler and openxml-audit.

use super::write_temp;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs a program and returns what it printed (stdout, then stderr).
pub fn run(cmd: &str, args: &[&std::ffi::OsStr]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("`{cmd}` is not installed ({e}): run scripts/test.sh"));
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// Our PDF and LibreOffice's PDF of our DOCX, for each case.
pub struct Converted {
    _dir: tempfile::TempDir,
    /// Our PDFs, in the order of the cases.
    pub ours: Vec<PathBuf>,
    /// LibreOffice's, in the same order.
    pub theirs: Vec<PathBuf>,
}

/// Writes each case's (name, DOCX, PDF) and converts the DOCX files with
/// LibreOffice in one run. With `LO_KEEP=DIR` set, the files are copied
/// there for a look.
pub fn convert(cases: &[(&str, &[u8], &[u8])]) -> Converted {
    let dir = tempfile::tempdir().unwrap();
    let mut docx_files = Vec::new();
    let mut ours = Vec::new();
    for (name, docx, pdf) in cases {
        docx_files.push(write_temp(dir.path(), &format!("lo/{name}.docx"), docx));
        ours.push(write_temp(dir.path(), &format!("ours/{name}.pdf"), pdf));
    }
    let profile = dir.path().join("lo-profile");
    let out = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path().join("lo"))
        .args(&docx_files)
        .output()
        .expect("soffice: run scripts/test.sh");
    assert!(out.status.success());
    let theirs: Vec<PathBuf> = cases
        .iter()
        .map(|(name, _, _)| dir.path().join(format!("lo/{name}.pdf")))
        .collect();
    if let Some(keep) = std::env::var_os("LO_KEEP").map(PathBuf::from) {
        std::fs::create_dir_all(&keep).unwrap();
        for ((name, docx, _), (o, t)) in cases.iter().zip(ours.iter().zip(&theirs)) {
            std::fs::write(keep.join(format!("{name}.docx")), docx).unwrap();
            std::fs::copy(o, keep.join(format!("{name}.ours.pdf"))).unwrap();
            std::fs::copy(t, keep.join(format!("{name}.lo.pdf"))).unwrap();
        }
    }
    Converted {
        _dir: dir,
        ours,
        theirs,
    }
}

/// openxml-audit finds no schema error in the DOCX.
pub fn assert_schema_valid(name: &str, docx: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let file = write_temp(dir.path(), &format!("{name}.docx"), docx);
    let out = Command::new("python3")
        .args(["-m", "openxml_audit"])
        .arg(&file)
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("Errors: 0"),
        "{name}: not schema-valid (scripts/test.sh installs openxml-audit):\n{stdout}"
    );
}

/// Each page's lines, as pdftotext reads them.
pub fn pages_lines(p: &Path) -> Vec<Vec<String>> {
    run("pdftotext", &[p.as_os_str(), "-".as_ref()])
        .split('\u{c}')
        .map(|page| {
            page.lines()
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|l| !l.is_empty())
                .collect()
        })
        .filter(|p: &Vec<String>| !p.is_empty())
        .collect()
}

/// Our PDF has LibreOffice's pages, and on each page its lines.
pub fn assert_same_as_libreoffice(name: &str, ours: &Path, theirs: &Path) {
    let (a, b) = (pages_lines(ours), pages_lines(theirs));
    assert_eq!(
        a.len(),
        b.len(),
        "{name}: {} pages in our PDF, {} in LibreOffice's",
        a.len(),
        b.len()
    );
    for (page, (a, b)) in a.iter().zip(&b).enumerate() {
        let first_diff = a.iter().zip(b).position(|(x, y)| x != y);
        assert!(
            a.len() == b.len() && first_diff.is_none(),
            "{name}, page {}: line {} differs from LibreOffice's:\n  ours: {:?}\n  LO:   {:?}",
            page + 1,
            first_diff.unwrap_or(a.len().min(b.len())) + 1,
            a.get(first_diff.unwrap_or(a.len().min(b.len()))),
            b.get(first_diff.unwrap_or(a.len().min(b.len()))),
        );
    }
}
