use mamar_linkage::name::Name;
use mamar_linkage::similarity::part_similarity;
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let names: Vec<Name> = args.iter().map(|a| Name::parse(a)).collect();
    for (a, n) in args.iter().zip(&names) {
        println!(
            "{a:20} -> {:?}",
            n.parts
                .iter()
                .map(|p| format!(
                    "{} | {} | {} | {}",
                    p.canonical,
                    p.latin_skeleton,
                    String::from_utf8_lossy(&p.sounds),
                    p.consonants
                ))
                .collect::<Vec<_>>()
        );
    }
    for i in 0..names.len() {
        for j in i + 1..names.len() {
            if let (Some(a), Some(b)) = (names[i].first(), names[j].first()) {
                println!("{} ~ {}: {:.3}", args[i], args[j], part_similarity(a, b));
            }
        }
    }
}
