//! `mamar link` and `mamar clk` as an operator runs them: CSV files in, clusters, pairs, a
//! review file and overlap counts out; clear errors naming the line and column; nothing left
//! half-written.

use std::path::{Path, PathBuf};
use std::process::Output;

use mamar_linkage::synth::{Households, ListSpec, generate_households};

use crate::support::{mamar, run};

const LIST_A: &str = "\
id,given_name,father_name,family_name,mother_name,birth_year,place,phone
a1,محمد,أحمد,الخطيب,فاطمة,١٩٨٥,حلب,0944 123 456
a2,خالد,عمر,الحلبي,مريم,1979,إدلب,
a3,عبد الرحمن,حسين,قشامي,زينب,1990,حمص,0933 222 111
a4,يوسف,علي,الكردي,خديجة,1968,الرقة,
a5,سامر,محمود,العلي,هدى,2001,درعا,
";

const LIST_B: &str = "\
id,given_name,father_name,family_name,mother_name,birth_year,place,phone
b1,Mohammed,Ahmad,Al-Khatib,Fatima,1985,Aleppo,+963 944123456
b2,Abdul Rahman,Hussein,Kashami,Zainab,1990,Homs,
b3,Youssef,Ali,Kurdi,Khadija,1969,Raqqa,
b4,Bassel,Nabil,Haddad,Lina,1993,Latakia,
b5,Rami,Fadi,Khoury,Rana,1988,Tartus,
";

fn write(dir: &Path, name: &str, contents: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn success(output: &Output) -> String {
    assert!(
        output.status.success(),
        "mamar failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn one_error_line(output: &Output) -> String {
    assert!(!output.status.success(), "should have failed");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("mamar: "), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

fn read_csv(path: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| line.split(',').map(str::to_owned).collect())
        .collect()
}

#[test]
fn two_lists_in_arabic_and_latin_are_linked_and_counted_for_mamar_estimate() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "centre.csv", LIST_A.as_bytes());
    let b = write(dir.path(), "taskforce.csv", LIST_B.as_bytes());
    let out = dir.path().join("out");
    let stdout = success(&run(mamar()
        .arg("link")
        .args([&a, &b])
        .arg("--out")
        .arg(&out)
        .args(["--one-to-one", "--review", "0.3"])));
    assert!(stdout.contains("10 records in 2 list(s)"), "{stdout}");
    assert!(
        stdout.contains("names+family"),
        "the blocking rules are reported: {stdout}"
    );
    assert!(stdout.contains("matches expected"), "{stdout}");
    assert!(stdout.contains("confident non-matches (p < 0.01)"), "{stdout}");
    assert!(
        !stdout.contains("cluster completion"),
        "lists without duplicates have nothing to complete: {stdout}"
    );
    assert!(
        stdout.contains("time: reading") && stdout.contains("  linking: blocking"),
        "the time of each step is reported: {stdout}"
    );

    let pairs = read_csv(&out.join("pairs.csv"));
    assert_eq!(
        pairs[0][..7],
        [
            "list_a",
            "id_a",
            "list_b",
            "id_b",
            "probability",
            "match_weight",
            "band"
        ]
    );
    let accepted: Vec<(String, String)> = pairs[1..]
        .iter()
        .filter(|row| row[6] == "accepted")
        .map(|row| (row[1].clone(), row[3].clone()))
        .collect();
    for expected in [("a1", "b1"), ("a3", "b2")] {
        assert!(
            accepted.contains(&(expected.0.into(), expected.1.into())),
            "{expected:?} not in {accepted:?}"
        );
    }
    assert!(
        !accepted.iter().any(|(x, y)| x == "a5" || y == "b4" || y == "b5"),
        "{accepted:?}"
    );

    let clusters = read_csv(&out.join("clusters.csv"));
    assert_eq!(clusters[0], ["list", "id", "cluster", "cluster_size"]);
    assert_eq!(clusters.len(), 11);
    let cluster_of = |id: &str| clusters.iter().find(|row| row[1] == id).unwrap()[2].clone();
    assert_eq!(cluster_of("a1"), cluster_of("b1"));
    assert_ne!(cluster_of("a2"), cluster_of("b1"));

    let overlap = std::fs::read_to_string(out.join("overlap.csv")).unwrap();
    assert!(overlap.starts_with("centre,taskforce,count\n"), "{overlap}");
    let review = std::fs::read_to_string(out.join("review.csv")).unwrap();
    assert!(review.starts_with("list_a,id_a,"), "{review}");

    // The overlap file is what `mamar estimate` reads.
    let estimate = run(mamar()
        .arg("estimate")
        .arg(out.join("overlap.csv"))
        .args(["--model", "independence"]));
    assert!(
        estimate.status.success(),
        "{}",
        String::from_utf8_lossy(&estimate.stderr)
    );
}

#[test]
fn blocks_with_more_pairs_than_allowed_are_left_out_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    // Three Mohammed Ahmad al-Khatib on each list: a block of nine pairs.
    let a = write(
        dir.path(),
        "a.csv",
        "id,given_name,father_name,family_name,birth_year\n\
         a1,محمد,أحمد,الخطيب,1980\na2,محمد,أحمد,الخطيب,1981\na3,محمد,أحمد,الخطيب,1990\n"
            .as_bytes(),
    );
    let b = write(
        dir.path(),
        "b.csv",
        "id,given_name,father_name,family_name,birth_year\n\
         b1,Mohammed,Ahmad,Khatib,1980\nb2,Mohamed,Ahmed,Al-Khatib,1985\nb3,Muhammad,Ahmad,Khatib,1970\n"
            .as_bytes(),
    );
    let row = |stdout: &str, rule: &str| -> Vec<String> {
        stdout
            .lines()
            .find(|line| line.trim_start().starts_with(&format!("{rule} ")))
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_owned)
            .collect()
    };
    let run_with = |limit: &str| {
        success(&run(mamar()
            .arg("link")
            .args([&a, &b])
            .arg("--out")
            .arg(dir.path().join(format!("out-{limit}")))
            .args(["--one-to-one", "--max-block-pairs", limit])))
    };
    let kept = run_with("9");
    assert_eq!(row(&kept, "names+family")[1..3], ["9", "0"], "{kept}");
    let left_out = run_with("8");
    assert_eq!(row(&left_out, "names+family")[1..3], ["0", "1"], "{left_out}");
}

#[test]
fn one_list_is_deduplicated_with_a_full_name_column() {
    let dir = tempfile::tempdir().unwrap();
    let list = "\
name,birth_year,phone
محمد أحمد الخطيب,1985,0944123456
Mohammed Ahmad Al-Khatib,1985,+963944123456
خالد عمر الحلبي,1979,
Bassel Nabil Haddad,1993,
";
    let input = write(dir.path(), "registry.csv", list.as_bytes());
    let out = dir.path().join("out");
    success(&run(mamar()
        .arg("link")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .arg("--quiet")));
    let clusters = read_csv(&out.join("clusters.csv"));
    // Without an id column, records are named by their line.
    assert_eq!(clusters[1][1], "line-2");
    assert_eq!(
        clusters[1][2], clusters[2][2],
        "lines 2 and 3 are one person: {clusters:?}"
    );
    assert_eq!(clusters[1][3], "2");
    let overlap = std::fs::read_to_string(out.join("overlap.csv")).unwrap();
    assert_eq!(overlap, "registry,count\n1,3\n");
}

#[test]
fn malformed_csv_is_refused_with_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let ragged = write(
        dir.path(),
        "ragged.csv",
        b"id,given_name,family_name\n1,Omar,Hamwi\n2,Ali\n",
    );
    let stderr = one_error_line(&run(mamar().arg("link").arg(&ragged).arg("--out").arg(&out)));
    assert!(
        stderr.contains("ragged.csv: line 3 has 2 fields, but the header has 3"),
        "{stderr}"
    );

    // "محمد" in Windows-1256, as old Arabic spreadsheets save it.
    let legacy = write(
        dir.path(),
        "legacy.csv",
        b"id,given_name,family_name\n1,Omar,Hamwi\n2,\xe3\xc7\xe3\xcf,Ali\n",
    );
    let stderr = one_error_line(&run(mamar().arg("link").arg(&legacy).arg("--out").arg(&out)));
    assert!(stderr.contains("line 3, column 2"), "{stderr}");
    assert!(stderr.contains("UTF-8"), "{stderr}");

    let utf16 = write(dir.path(), "utf16.csv", &[0xFF, 0xFE, b'i', 0, b'd', 0]);
    let stderr = one_error_line(&run(mamar().arg("link").arg(&utf16).arg("--out").arg(&out)));
    assert!(stderr.contains("UTF-16"), "{stderr}");

    let empty = write(dir.path(), "empty.csv", b"");
    let stderr = one_error_line(&run(mamar().arg("link").arg(&empty).arg("--out").arg(&out)));
    assert!(stderr.contains("empty.csv is empty"), "{stderr}");

    let header_only = write(dir.path(), "header.csv", b"id,given_name\n");
    let stderr = one_error_line(&run(mamar().arg("link").arg(&header_only).arg("--out").arg(&out)));
    assert!(stderr.contains("has a header but no records"), "{stderr}");

    let no_names = write(dir.path(), "nonames.csv", b"id,colour\n1,red\n");
    let stderr = one_error_line(&run(mamar().arg("link").arg(&no_names).arg("--out").arg(&out)));
    assert!(stderr.contains("no name column"), "{stderr}");

    let duplicate_ids = write(dir.path(), "ids.csv", b"id,given_name\n7,Omar\n7,Ali\n");
    let stderr = one_error_line(&run(mamar()
        .arg("link")
        .arg(&duplicate_ids)
        .arg("--out")
        .arg(&out)));
    assert!(
        stderr.contains("line 3: the id \"7\" is already used on line 2"),
        "{stderr}"
    );

    assert!(!out.exists(), "no output for a refused input");
}

#[test]
fn a_failed_run_leaves_no_file_half_written() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.csv", LIST_A.as_bytes());
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // A directory where overlap.csv must go: the last file cannot be renamed into place.
    std::fs::create_dir(out.join("overlap.csv")).unwrap();
    std::fs::write(out.join("clusters.csv"), "the previous run's file\n").unwrap();
    let output = run(mamar().arg("link").arg(&a).arg("--out").arg(&out).arg("--quiet"));
    assert!(!output.status.success());
    let leftovers: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn encodings_link_arabic_and_latin_lists_without_the_secret_reaching_the_matcher() {
    let dir = tempfile::tempdir().unwrap();
    let secret = write(dir.path(), "clk.secret", b"kJ3v9QxW2mZr8TfL1pYs4uHn6bDc0eGa\n");
    let a = write(dir.path(), "a.csv", LIST_A.as_bytes());
    let b = write(dir.path(), "b.csv", LIST_B.as_bytes());
    let (clk_a, clk_b) = (dir.path().join("clk_a.csv"), dir.path().join("clk_b.csv"));
    for (input, output) in [(&a, &clk_a), (&b, &clk_b)] {
        let stdout = success(&run(mamar()
            .args(["clk", "encode"])
            .arg(input)
            .arg("--secret-file")
            .arg(&secret)
            .arg("--out")
            .arg(output)));
        assert!(stdout.contains("5 records encoded"), "{stdout}");
        assert!(!stdout.contains("kJ3v9Qx"));
    }
    let encoded = std::fs::read_to_string(&clk_a).unwrap();
    assert!(encoded.starts_with("id,clk,scheme\n"));
    assert!(!encoded.contains("محمد") && !encoded.contains("kJ3v9Qx"));

    let overlap = dir.path().join("overlap.csv");
    let stdout = success(&run(mamar()
        .args(["clk", "match"])
        .args([&clk_a, &clk_b])
        .arg("--out")
        .arg(&overlap)));
    assert!(stdout.contains("comparisons"), "{stdout}");
    let counts = std::fs::read_to_string(&overlap).unwrap();
    assert!(counts.starts_with("clk_a,clk_b,count\n"), "{counts}");
    assert!(
        counts.contains("1,1,3\n"),
        "three people are on both lists: {counts}"
    );
    assert!(
        counts.contains("1,0,2\n") && counts.contains("0,1,2\n"),
        "{counts}"
    );
    assert!(stdout.contains("million per second"), "{stdout}");
    assert!(
        !dir.path().join("pairs.csv").exists(),
        "pairs only when asked for"
    );

    // The matched pairs, for a registry: the three people on both lists, by list and id.
    let pairs = dir.path().join("pairs.csv");
    success(&run(mamar()
        .args(["clk", "match"])
        .args([&clk_a, &clk_b])
        .arg("--out")
        .arg(&overlap)
        .arg("--pairs")
        .arg(&pairs)));
    let mut rows = read_csv(&pairs);
    assert_eq!(rows.remove(0), ["list_a", "id_a", "list_b", "id_b"]);
    rows.sort();
    let expected: Vec<Vec<String>> = [["a1", "b1"], ["a3", "b2"], ["a4", "b3"]]
        .iter()
        .map(|[x, y]| vec!["clk_a".into(), (*x).into(), "clk_b".into(), (*y).into()])
        .collect();
    assert_eq!(rows, expected);
}

#[test]
fn clk_errors_are_clear() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.csv", LIST_A.as_bytes());
    let short = write(dir.path(), "short.secret", b"abc\n");
    let stderr = one_error_line(&run(mamar()
        .args(["clk", "encode"])
        .arg(&a)
        .arg("--secret-file")
        .arg(&short)
        .arg("--out")
        .arg(dir.path().join("x.csv"))));
    assert!(stderr.contains("too short"), "{stderr}");
    assert!(!stderr.contains("abc"), "the secret is not echoed: {stderr}");

    let good = write(
        dir.path(),
        "clk_a.csv",
        b"id,clk,scheme\n1,AAAAAAAAAAA=,mamar-clk-v1;bits=64;hardening=none;salt=none\n",
    );
    let bad = write(dir.path(), "clk_b.csv", b"id,clk,scheme\n1,AAAAAAAAAAA=,mamar-clk-v1;bits=64;hardening=none;salt=none\n2,not base64!,mamar-clk-v1;bits=64;hardening=none;salt=none\n");
    let out = dir.path().join("overlap.csv");
    let stderr = one_error_line(&run(mamar()
        .args(["clk", "match"])
        .args([&good, &bad])
        .arg("--out")
        .arg(&out)));
    assert!(
        stderr.contains("clk_b.csv: line 3, column 2 (clk): not a base64 encoding"),
        "{stderr}"
    );

    let other_scheme = write(
        dir.path(),
        "clk_c.csv",
        b"id,clk,scheme\n1,AAAAAAAAAAA=,mamar-clk-v1;bits=64;hardening=balance;salt=none\n",
    );
    let stderr = one_error_line(&run(mamar()
        .args(["clk", "match"])
        .args([&good, &other_scheme])
        .arg("--out")
        .arg(&out)));
    assert!(stderr.contains("same options"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn columns_named_by_hand_are_read_and_unused_columns_are_named() {
    let dir = tempfile::tempdir().unwrap();
    // Headers no rule recognises, and a notes column.
    let list = "\
ref,prenom,pere,grand_pere,nom,annee,notes
r1,محمد,أحمد,عمر,الخطيب,1985,arrived 2019
r2,Mohammed,Ahmad,Omar,Al-Khatib,1985,
r3,خالد,عمر,حسن,الحلبي,1979,
";
    let input = write(dir.path(), "registry.csv", list.as_bytes());
    let out = dir.path().join("out");
    let summary = success(&run(mamar()
        .arg("link")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .args(["--id-column", "ref"])
        .args(["--column", "given_name=prenom", "--column", "father_name=pere"])
        .args([
            "--column",
            "grandfather_name=grand_pere",
            "--column",
            "family_name=Nom",
        ])
        .args(["--column", "birth_year=annee"])));
    assert!(summary.contains("columns not used: notes"), "{summary}");
    let clusters = read_csv(&out.join("clusters.csv"));
    assert_eq!(clusters[1][1], "r1");
    assert_eq!(
        clusters[1][2], clusters[2][2],
        "r1 and r2 are one person: {clusters:?}"
    );
    assert_ne!(clusters[1][2], clusters[3][2], "{clusters:?}");

    // The same mapping from a file.
    let mapping = write(
        dir.path(),
        "columns.txt",
        "# registry of 2024\ngiven_name=prenom\nfather_name=pere\ngrandfather_name=grand_pere\nfamily_name=nom\n\
         birth_year=annee\n"
            .as_bytes(),
    );
    let out2 = dir.path().join("out2");
    success(&run(mamar()
        .arg("link")
        .arg(&input)
        .arg("--out")
        .arg(&out2)
        .args(["--id-column", "ref", "--quiet"])
        .arg("--columns")
        .arg(&mapping)));
    assert_eq!(read_csv(&out2.join("clusters.csv")), clusters);

    // A mapping to a column no file has, or of an unknown name, is refused.
    let error = one_error_line(&run(mamar()
        .arg("link")
        .arg(&input)
        .arg("--out")
        .arg(dir.path().join("out3"))
        .args(["--column", "given_name=vorname"])));
    assert!(error.contains("vorname"), "{error}");
    let output = run(mamar()
        .arg("link")
        .arg(&input)
        .arg("--out")
        .arg(dir.path().join("out3"))
        .args(["--column", "nickname=prenom"]));
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unknown column \"nickname\"") && stderr.contains("grandfather_name"),
        "{stderr}"
    );
    assert!(!dir.path().join("out3").exists());
}

#[test]
fn help_lists_the_recognised_columns() {
    let help = success(&run(mamar().args(["link", "--help"])));
    for expected in [
        "grandfather_name",
        "اسم_الجد",
        "given_name",
        "first_name",
        "--column",
        "--max-field-bytes",
        "--apart-below",
        "--no-completion",
    ] {
        assert!(help.contains(expected), "{expected} missing from:\n{help}");
    }
}

#[test]
fn an_oversized_field_or_line_is_refused_with_its_line_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut list = String::from(LIST_A);
    list.push_str(&format!(
        "a6,{},أحمد,الخطيب,فاطمة,1985,حلب,\n",
        "م".repeat(20_000)
    ));
    let input = write(dir.path(), "long.csv", list.as_bytes());
    let out = dir.path().join("out");
    let error = one_error_line(&run(mamar().arg("link").arg(&input).arg("--out").arg(&out)));
    assert!(
        error.contains("line 7")
            && error.contains("column 2 (given_name)")
            && error.contains("--max-field-bytes"),
        "{error}"
    );
    assert!(!out.exists(), "nothing is written");
    // A higher limit accepts it; a lower line limit refuses the line.
    success(&run(mamar()
        .arg("link")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .args(["--max-field-bytes", "100000", "--quiet"])));
    let out2 = dir.path().join("out2");
    let error = one_error_line(&run(mamar()
        .arg("link")
        .arg(&input)
        .arg("--out")
        .arg(&out2)
        .args(["--max-field-bytes", "100000", "--max-line-bytes", "1000"])));
    assert!(
        error.contains("line 7 is") && error.contains("--max-line-bytes"),
        "{error}"
    );
    assert!(!out2.exists());
}

/// Two generated lists of about 3,600 people each, in households (brothers, cousins, a few
/// duplicates inside each list), written as an operator's CSV files.
fn generated_lists(dir: &Path) -> Vec<PathBuf> {
    let lists = generate_households(
        6_000,
        &[
            ListSpec::columns("a", 0.6, 0.7, 0.05),
            ListSpec::columns("b", 0.6, 0.3, 0.05),
        ],
        &Households::default(),
        21,
    );
    let header =
        "id,given_name,father_name,grandfather_name,family_name,mother_name,birth_year,place,phone\n";
    let mut paths = Vec::new();
    for (number, rows) in lists.iter().enumerate() {
        let mut text = String::from(header);
        for row in rows {
            let r = &row.input;
            let fields = [
                row.id.as_str(),
                &r.given,
                &r.father,
                &r.grandfather,
                &r.family,
                &r.mother,
                &r.birth_year,
                &r.place,
                &r.phone,
            ];
            assert!(fields.iter().all(|f| !f.contains([',', '"', '\n'])));
            text.push_str(&fields.join(","));
            text.push('\n');
        }
        paths.push(write(dir, &format!("list{number}.csv"), text.as_bytes()));
    }
    paths
}

/// The number just before `label` on the summary's line that holds `line`.
fn count_before(summary: &str, line: &str, label: &str) -> u64 {
    let text = summary
        .lines()
        .find(|l| l.contains(line))
        .unwrap_or_else(|| panic!("no line {line:?} in:\n{summary}"));
    let before = text
        .split(label)
        .next()
        .filter(|_| text.contains(label))
        .unwrap_or_else(|| panic!("no {label:?} in {text:?}"));
    before
        .split_whitespace()
        .last()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no number before {label:?} in {text:?}"))
}

fn accepted_pairs(out: &Path) -> u64 {
    read_csv(&out.join("pairs.csv"))
        .iter()
        .filter(|row| row[6] == "accepted")
        .count() as u64
}

/// Links `lists` into `dir`/`name` with `flags`: the summary and the output directory.
fn link_into(dir: &Path, lists: &[PathBuf], name: &str, flags: &[&str]) -> (String, PathBuf) {
    let out = dir.join(name);
    let summary = success(&run(mamar()
        .arg("link")
        .args(lists)
        .arg("--out")
        .arg(&out)
        .args(flags)));
    (summary, out)
}

#[test]
fn confident_non_matches_and_cluster_completion_are_counted_and_can_be_turned_off() {
    let dir = tempfile::tempdir().unwrap();
    let lists = generated_lists(dir.path());
    let link = |name: &str, flags: &[&str]| {
        let (summary, out) = link_into(dir.path(), &lists, name, flags);
        (summary, accepted_pairs(&out))
    };

    let (summary, accepted) = link("defaults", &[]);
    let refused = count_before(
        &summary,
        "confident non-matches (p < 0.01)",
        "accepted links refused",
    );
    let completed = count_before(&summary, "cluster completion:", "review pairs accepted");
    assert!(refused > 0 && completed > 0, "{summary}");
    // Brothers counted, by default, from a sample of the households rather than among the
    // pairs blocking compared (picked on the given name or the year): more of them are
    // expected than without the sample.
    let brothers = |summary: &str| count_before(summary, "households:", "pairs of brothers expected");
    let (unsampled, _) = link("no-household-sample", &["--no-household-sample"]);
    assert!(
        brothers(&summary) > brothers(&unsampled),
        "{summary}\n{unsampled}"
    );
    // The flag of when the sample was an option still runs, and changes nothing.
    let (_, sampled) = link("household-sample", &["--household-sample"]);
    assert_eq!(sampled, accepted);
    // Agreement on a name across scripts weighed by the larger of the two names' frequencies:
    // fewer pairs reach the accept threshold.
    let (_, larger) = link("larger-name-frequency", &["--larger-name-frequency"]);
    assert!(larger < accepted, "{larger} against {accepted}");
    // The summary's accepted pairs are pairs.csv's.
    assert_eq!(
        count_before(&summary, "candidate pairs compared", "accepted (p"),
        accepted,
        "{summary}"
    );

    // Without completion, the pairs it accepted stay in review.
    let (summary, without_completion) = link("no-completion", &["--no-completion"]);
    assert!(
        summary.contains("cluster completion: off (--no-completion)"),
        "{summary}"
    );
    assert_eq!(without_completion, accepted - completed);

    // Without the brake, the links it refused join their chains.
    let (summary, without_brake) = link("no-brake", &["--no-completion", "--apart-below", "0"]);
    assert!(
        summary.contains("confident non-matches: none kept apart"),
        "{summary}"
    );
    assert!(without_brake > without_completion, "{summary}");
}

#[test]
fn the_summary_gives_the_matches_expected_within_each_list_and_across_them() {
    let dir = tempfile::tempdir().unwrap();
    let lists = generated_lists(dir.path());
    let link = |name: &str, flags: &[&str]| {
        success(&run(mamar()
            .arg("link")
            .args(&lists)
            .arg("--out")
            .arg(dir.path().join(name))
            .args(flags)))
    };
    let summary = link("per-kind", &[]);
    let within: u64 = ["within list0", "within list1"]
        .iter()
        .map(|kind| count_before(&summary, kind, "matches expected among"))
        .sum();
    let across = count_before(&summary, "list0 – list1", "matches expected among");
    // Each list holds few duplicates (one person in twenty recorded twice); the two lists
    // share most of their people.
    assert!(within > 0 && across > 5 * within, "{summary}");

    let summary = link("one-prior", &["--one-prior"]);
    assert!(!summary.contains("prior of a match by kind of pair"), "{summary}");
    assert!(summary.contains("matches expected)"), "{summary}");
}

#[test]
fn with_script_weights_names_are_weighed_by_the_two_records_scripts() {
    let dir = tempfile::tempdir().unwrap();
    let lists = generated_lists(dir.path());
    let link = |name: &str, flags: &[&str]| {
        let (summary, out) = link_into(dir.path(), &lists, name, flags);
        (summary, std::fs::read_to_string(out.join("pairs.csv")).unwrap())
    };
    let (summary, by_script) = link("by-script", &["--script-weights"]);
    assert!(
        summary.contains("given name exact by scripts: Arabic–Arabic "),
        "{summary}"
    );
    let (summary, pooled) = link("one-weight", &[]);
    assert!(!summary.contains("given name exact by scripts"), "{summary}");
    // The pairs' probabilities move with the weights.
    assert_ne!(by_script, pooled);
}

#[test]
fn a_non_match_threshold_outside_zero_to_review_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.csv", LIST_A.as_bytes());
    let out = dir.path().join("out");
    for flags in [
        &["--apart-below", "0.6"][..],
        &["--apart-below", "0.3", "--review", "0.2"],
        &["--apart-below=-0.01"],
        &["--apart-below", "NaN"],
    ] {
        let error = one_error_line(&run(mamar()
            .arg("link")
            .arg(&a)
            .arg("--out")
            .arg(&out)
            .args(flags)));
        assert!(
            error.contains("0 ≤ --apart-below ≤ --review"),
            "{flags:?}: {error}"
        );
    }
    let output = run(mamar()
        .arg("link")
        .arg(&a)
        .arg("--out")
        .arg(&out)
        .args(["--apart-below", "often"]));
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("--apart-below"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!out.exists(), "nothing is written");
}
