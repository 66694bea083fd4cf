//! Clustering matched pairs into persons, and counting persons by the lists they are on.

use rustc_hash::FxHashMap;

/// Union–find over record indices.
#[derive(Debug, Clone)]
pub struct Clusters {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl Clusters {
    pub fn new(records: usize) -> Clusters {
        Clusters {
            parent: (0..records as u32).collect(),
            size: vec![1; records],
        }
    }

    pub fn find(&mut self, mut x: u32) -> u32 {
        while let Some(&parent) = self.parent.get(x as usize) {
            if parent == x {
                break;
            }
            let grandparent = self.parent.get(parent as usize).copied().unwrap_or(parent);
            if let Some(slot) = self.parent.get_mut(x as usize) {
                *slot = grandparent;
            }
            x = grandparent;
        }
        x
    }

    pub fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return;
        }
        let size = |c: &Clusters, r: u32| c.size.get(r as usize).copied().unwrap_or(1);
        let (big, small) = if size(self, ra) >= size(self, rb) {
            (ra, rb)
        } else {
            (rb, ra)
        };
        let merged = size(self, big).saturating_add(size(self, small));
        if let Some(slot) = self.parent.get_mut(small as usize) {
            *slot = big;
        }
        if let Some(slot) = self.size.get_mut(big as usize) {
            *slot = merged;
        }
    }

    /// Whether joining `a`'s and `b`'s clusters would put in one cluster two records that
    /// `apart` says are two people.
    pub fn kept_apart(&mut self, apart: &Apart, a: u32, b: u32) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        let (list_a, list_b) = (apart.of(ra), apart.of(rb));
        let (small, other) = if list_a.len() <= list_b.len() {
            (list_a, rb)
        } else {
            (list_b, ra)
        };
        small.iter().any(|&z| self.find(z) == other)
    }

    /// Joins `a`'s and `b`'s clusters, the records each must stay apart from (in each of the
    /// sets) with them.
    pub fn join(&mut self, first: &mut Apart, second: &mut Apart, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return;
        }
        self.union(a, b);
        let root = self.find(a);
        let from = if root == ra { rb } else { ra };
        for apart in [first, second] {
            if let Some(moved) = apart.by_root.remove(&from) {
                apart.by_root.entry(root).or_default().extend(moved);
            }
        }
    }

    /// A cluster number per record, numbered 0.. in order of first appearance.
    pub fn labels(&mut self) -> Vec<u32> {
        let mut numbers: FxHashMap<u32, u32> = FxHashMap::default();
        (0..self.parent.len() as u32)
            .map(|x| {
                let root = self.find(x);
                let next = numbers.len() as u32;
                *numbers.entry(root).or_insert(next)
            })
            .collect()
    }
}

/// Pairs of records known to be two people (two brothers, say), which clustering must not put
/// together, also through other records: for each cluster (by its root), the records its
/// records must stay apart from.
#[derive(Debug, Clone, Default)]
pub struct Apart {
    by_root: FxHashMap<u32, Vec<u32>>,
}

impl Apart {
    /// Records `a` and `b` are two people. Call before any join.
    pub fn add(&mut self, a: u32, b: u32) {
        self.by_root.entry(a).or_default().push(b);
        self.by_root.entry(b).or_default().push(a);
    }

    /// The pairs known (each counted from both sides).
    pub fn len(&self) -> usize {
        self.by_root.values().map(Vec::len).sum::<usize>() / 2
    }

    pub fn is_empty(&self) -> bool {
        self.by_root.is_empty()
    }

    fn of(&self, root: u32) -> &[u32] {
        self.by_root.get(&root).map_or(&[], Vec::as_slice)
    }
}

/// The number of persons seen on each combination of lists: `pattern` has bit `i` set when
/// the person is on list `i`. Sorted by pattern.
pub fn overlap_counts(cluster_of: &[u32], list_of: &[u16]) -> Vec<(u32, u64)> {
    let mut patterns: FxHashMap<u32, u32> = FxHashMap::default();
    for (cluster, list) in cluster_of.iter().zip(list_of) {
        *patterns.entry(*cluster).or_default() |= 1u32.checked_shl(u32::from(*list)).unwrap_or(0);
    }
    let mut counts: FxHashMap<u32, u64> = FxHashMap::default();
    for pattern in patterns.into_values() {
        *counts.entry(pattern).or_default() += 1;
    }
    let mut out: Vec<(u32, u64)> = counts.into_iter().filter(|(p, _)| *p != 0).collect();
    out.sort_unstable();
    out
}
